#include "anthropicprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUrl>

namespace {

// Thinking budgets for the `model(level)` levels; Anthropic's smallest budget is 1024.
int thinkingBudget(const QString &level)
{
    bool isNumber = false;
    const int number = level.toInt(&isNumber);
    if (isNumber)
        return number > 0 ? qMax(1024, number) : (number < 0 ? 8192 : 0);
    if (level == QLatin1String("minimal") || level == QLatin1String("low"))
        return 1024;
    if (level == QLatin1String("medium") || level == QLatin1String("auto"))
        return 8192;
    if (level == QLatin1String("high"))
        return 24576;
    if (level == QLatin1String("xhigh") || level == QLatin1String("max"))
        return 32768;
    return 0; // none, or an unknown word
}

QString finishReason(const QString &stopReason)
{
    if (stopReason == QLatin1String("tool_use"))
        return QStringLiteral("tool_calls");
    if (stopReason == QLatin1String("max_tokens"))
        return QStringLiteral("length");
    if (stopReason.isEmpty() || stopReason == QLatin1String("end_turn") ||
        stopReason == QLatin1String("stop_sequence"))
        return QStringLiteral("stop");
    return stopReason;
}

// Anthropic wants user and assistant turns to alternate: a message of the same role as the one
// before is folded into it.
void appendTurn(QJsonArray &wire, const QString &role, const QJsonArray &blocks)
{
    if (blocks.isEmpty())
        return;
    if (!wire.isEmpty()) {
        QJsonObject last = wire.last().toObject();
        if (last.value("role").toString() == role) {
            QJsonArray content = last.value("content").toArray();
            for (const QJsonValue &block : blocks)
                content.append(block);
            last.insert("content", content);
            wire.replace(wire.size() - 1, last);
            return;
        }
    }
    wire.append(QJsonObject{{"role", role}, {"content", blocks}});
}

QJsonObject textBlock(const QString &text)
{
    return QJsonObject{{"type", "text"}, {"text", text}};
}

void addUsage(TokenUsage &usage, const QJsonObject &fields)
{
    if (fields.contains("input_tokens"))
        usage.prompt = fields.value("input_tokens").toInteger() +
                       fields.value("cache_read_input_tokens").toInteger() +
                       fields.value("cache_creation_input_tokens").toInteger();
    if (fields.contains("output_tokens"))
        usage.completion = fields.value("output_tokens").toInteger();
    usage.total = usage.prompt + usage.completion;
}

} // namespace

QString AnthropicProtocol::endpoint(const QString &apiBase)
{
    QString base = apiBase.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.endsWith(QLatin1String("/v1/messages")))
        return base;
    // A base given with its version ("…/v1") must not become "/v1/v1/messages".
    if (base.endsWith(QLatin1String("/v1")))
        return base + QStringLiteral("/messages");
    return base + QStringLiteral("/v1/messages");
}

QNetworkRequest AnthropicProtocol::request(const ProviderSettings &settings, bool stream) const
{
    QNetworkRequest request = baseRequest(endpoint(settings.apiBase), stream);
    request.setRawHeader("anthropic-version", kVersion);
    const QByteArray key = settings.apiKey.trimmed().toUtf8();
    if (!key.isEmpty() && settings.oauthToken)
        request.setRawHeader("Authorization", "Bearer " + key);
    else if (!key.isEmpty())
        request.setRawHeader("x-api-key", key);
    return request;
}

QJsonObject AnthropicProtocol::requestBody(const ProviderSettings &settings,
                                           const QList<ChatMessage> &messages,
                                           const QList<ToolSpec> &tools, bool stream)
{
    QJsonArray system;
    QJsonArray wire;
    QSet<QString> pendingCalls;
    for (const ChatMessage &message : messages) {
        if (message.role == QLatin1String("system") || message.role == QLatin1String("developer")) {
            if (!message.content.isEmpty())
                system.append(textBlock(message.content));
            continue;
        }
        if (message.role == QLatin1String("tool")) {
            if (!pendingCalls.remove(message.toolCallId))
                continue; // a result without its call would be refused
            appendTurn(wire, QStringLiteral("user"),
                       QJsonArray{QJsonObject{{"type", "tool_result"},
                                              {"tool_use_id", message.toolCallId},
                                              {"content", message.content}}});
            continue;
        }
        if (message.role == QLatin1String("assistant")) {
            QJsonArray blocks;
            if (!message.content.isEmpty())
                blocks.append(textBlock(message.content));
            for (const ToolCall &call : message.toolCalls) {
                if (call.id.isEmpty() || call.name.isEmpty())
                    continue;
                QJsonObject input = call.argumentsObject();
                blocks.append(QJsonObject{
                    {"type", "tool_use"}, {"id", call.id}, {"name", call.name}, {"input", input}});
                pendingCalls.insert(call.id);
            }
            appendTurn(wire, QStringLiteral("assistant"), blocks);
            continue;
        }
        appendTurn(wire, QStringLiteral("user"),
                   QJsonArray{textBlock(message.content.isEmpty() ? QStringLiteral(" ")
                                                                  : message.content)});
    }
    // With thinking on, Anthropic wants the assistant's tool_use turn to start with its signed
    // thinking block, which is not kept: the follow-up requests of a tool loop go without
    // thinking (the first request of the turn thought already).
    const bool toolLoop = !messages.isEmpty() && messages.last().role == QLatin1String("tool");
    const int budget = toolLoop ? 0 : thinkingBudget(settings.thinking);
    int maxTokens = settings.maxTokens > 0 ? settings.maxTokens : 4096;
    if (budget > 0 && maxTokens <= budget)
        maxTokens = budget + 1024; // the budget must leave room for the answer
    QJsonObject body{{"model", settings.model}, {"messages", wire}, {"max_tokens", maxTokens}};
    if (!system.isEmpty())
        body.insert("system", system);
    if (!tools.isEmpty()) {
        QJsonArray toolArray;
        for (const ToolSpec &tool : tools)
            toolArray.append(
                QJsonObject{{"name", tool.name},
                            {"description", tool.description},
                            {"input_schema",
                             tool.parameters.isEmpty()
                                 ? QJsonObject{{"type", "object"}, {"properties", QJsonObject()}}
                                 : tool.parameters}});
        body.insert("tools", toolArray);
        body.insert("tool_choice", QJsonObject{{"type", "auto"}});
    }
    if (budget > 0)
        body.insert("thinking", QJsonObject{{"type", "enabled"}, {"budget_tokens", budget}});
    else // Anthropic refuses a temperature other than 1 with thinking on
        body.insert("temperature", qBound(0.0, settings.temperature, 1.0));
    if (stream)
        body.insert("stream", true);
    return body;
}

LlmResult AnthropicProtocol::parseReply(const QJsonObject &reply, QString *error) const
{
    LlmResult result;
    if (reply.value("type").toString() == QLatin1String("error")) {
        *error = reply.value("error").toObject().value("message").toString(
            QStringLiteral("the provider reported an error"));
        return result;
    }
    QStringList texts;
    QStringList thoughts;
    for (const QJsonValue &value : reply.value("content").toArray()) {
        const QJsonObject block = value.toObject();
        const QString type = block.value("type").toString();
        if (type == QLatin1String("text"))
            texts << block.value("text").toString();
        else if (type == QLatin1String("thinking"))
            thoughts << block.value("thinking").toString();
        else if (type == QLatin1String("tool_use"))
            result.toolCalls.append(
                ToolCall{block.value("id").toString(), block.value("name").toString(),
                         QString::fromUtf8(QJsonDocument(block.value("input").toObject())
                                               .toJson(QJsonDocument::Compact))});
    }
    result.content = texts.join(QString());
    result.reasoning = thoughts.join(QLatin1Char('\n'));
    result.finishReason = finishReason(reply.value("stop_reason").toString());
    addUsage(result.usage, reply.value("usage").toObject());
    return result;
}

QString AnthropicProtocol::addEvent(const QJsonObject &event, QString *error)
{
    const QString type = event.value("type").toString();
    if (type == QLatin1String("message_start")) {
        const QJsonObject message = event.value("message").toObject();
        addUsage(m_usage, message.value("usage").toObject());
        return QString();
    }
    if (type == QLatin1String("content_block_start")) {
        const QJsonObject start = event.value("content_block").toObject();
        Block &block = m_blocks[event.value("index").toInt()];
        block.type = start.value("type").toString();
        block.toolId = start.value("id").toString();
        block.toolName = start.value("name").toString();
        block.input = start.value("input").toObject();
        const QString text = start.value("text").toString();
        block.text = text.isEmpty() ? start.value("thinking").toString() : text;
        return block.type == QLatin1String("text") ? text : QString();
    }
    if (type == QLatin1String("content_block_delta")) {
        const int index = event.value("index").toInt();
        if (!m_blocks.contains(index)) {
            *error =
                QStringLiteral("a content delta for block %1, which was never started").arg(index);
            return QString();
        }
        Block &block = m_blocks[index];
        const QJsonObject delta = event.value("delta").toObject();
        const QString deltaType = delta.value("type").toString();
        if (deltaType == QLatin1String("text_delta")) {
            const QString text = delta.value("text").toString();
            block.text += text;
            return text;
        }
        if (deltaType == QLatin1String("thinking_delta"))
            block.text += delta.value("thinking").toString();
        else if (deltaType == QLatin1String("input_json_delta"))
            block.json += delta.value("partial_json").toString();
        return QString(); // signature_delta and unknown kinds carry nothing we show
    }
    if (type == QLatin1String("content_block_stop")) {
        m_blocks[event.value("index").toInt()].closed = true;
    } else if (type == QLatin1String("message_delta")) {
        const QString stop = event.value("delta").toObject().value("stop_reason").toString();
        if (!stop.isEmpty())
            m_stopReason = stop;
        addUsage(m_usage, event.value("usage").toObject());
    } else if (type == QLatin1String("message_stop")) {
        m_stopped = true;
    } else if (type == QLatin1String("error")) {
        const QJsonObject details = event.value("error").toObject();
        *error = details.value("message").toString(details.value("type").toString(
            QStringLiteral("the provider reported an error in the stream")));
    }
    // ping and event types added later are ignored
    return QString();
}

LlmResult AnthropicProtocol::streamedResult(QString *error) const
{
    LlmResult result;
    for (const Block &block : m_blocks) {
        if (block.type == QLatin1String("text")) {
            result.content += block.text;
        } else if (block.type == QLatin1String("thinking")) {
            if (!result.reasoning.isEmpty())
                result.reasoning += QLatin1Char('\n');
            result.reasoning += block.text;
        } else if (block.type == QLatin1String("tool_use")) {
            QString arguments = block.json.trimmed();
            if (arguments.isEmpty()) {
                arguments =
                    QString::fromUtf8(QJsonDocument(block.input).toJson(QJsonDocument::Compact));
            } else {
                QJsonParseError parseError;
                const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &parseError);
                if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                    *error = QStringLiteral("the arguments of tool call \"%1\" never became "
                                            "complete JSON")
                                 .arg(block.toolName);
                    return result;
                }
            }
            result.toolCalls.append(ToolCall{block.toolId, block.toolName, arguments});
        }
    }
    result.finishReason = finishReason(m_stopReason);
    result.usage = m_usage;
    return result;
}
