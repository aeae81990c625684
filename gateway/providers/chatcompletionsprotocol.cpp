#include "chatcompletionsprotocol.h"

#include <QSet>

namespace {

TokenUsage usageFrom(const QJsonObject &usage)
{
    TokenUsage result;
    result.prompt = usage.value("prompt_tokens").toInteger();
    result.completion = usage.value("completion_tokens").toInteger();
    result.total = usage.value("total_tokens").toInteger(result.prompt + result.completion);
    return result;
}

// The `model(level)` suffix as OpenAI-compatible servers take it (spec/providers.md §1.4).
void addThinking(QJsonObject &body, const QString &level)
{
    if (level.isEmpty())
        return;
    bool isNumber = false;
    const int number = level.toInt(&isNumber);
    if (level == QLatin1String("none") || (isNumber && number == 0))
        body.insert("thinking", QJsonObject{{"type", "disabled"}});
    else if (isNumber && number > 0)
        body.insert("thinking", QJsonObject{{"type", "enabled"}, {"budget_tokens", number}});
    else if (isNumber)
        body.insert("reasoning_effort", "auto");
    else if (level == QLatin1String("minimal"))
        body.insert("reasoning_effort", "low");
    else if (level == QLatin1String("xhigh") || level == QLatin1String("max"))
        body.insert("reasoning_effort", "high");
    else if (QStringList{"low", "medium", "high", "auto"}.contains(level))
        body.insert("reasoning_effort", level);
}

} // namespace

QJsonObject ChatCompletionsProtocol::requestBody(const ProviderSettings &settings,
                                                 const QList<ChatMessage> &messages,
                                                 const QList<ToolSpec> &tools, bool stream)
{
    QJsonArray wire;
    QSet<QString> pendingCalls; // tool results are only valid after the call that asked for them
    for (const ChatMessage &message : messages) {
        if (message.role == QLatin1String("tool")) {
            if (!pendingCalls.remove(message.toolCallId))
                continue; // an orphan result would be rejected by the provider
            wire.append(QJsonObject{{"role", "tool"},
                                    {"tool_call_id", message.toolCallId},
                                    {"content", message.content}});
            continue;
        }
        QString role = message.role;
        if (role != QLatin1String("system") && role != QLatin1String("assistant"))
            role = QStringLiteral("user");
        QJsonObject item{{"role", role}, {"content", message.content}};
        if (role == QLatin1String("assistant")) {
            if (!message.reasoning.isEmpty())
                item.insert("reasoning_content", message.reasoning);
            if (!message.toolCalls.isEmpty()) {
                QJsonArray calls;
                for (const ToolCall &call : message.toolCalls) {
                    calls.append(call.toJson());
                    pendingCalls.insert(call.id);
                }
                item.insert("tool_calls", calls);
            }
        }
        wire.append(item);
    }
    QJsonObject body{{"model", settings.model}, {"messages", wire}};
    if (!tools.isEmpty()) {
        QJsonArray toolArray;
        for (const ToolSpec &tool : tools)
            toolArray.append(
                QJsonObject{{"type", "function"},
                            {"function", QJsonObject{{"name", tool.name},
                                                     {"description", tool.description},
                                                     {"parameters", tool.parameters}}}});
        body.insert("tools", toolArray);
        body.insert("tool_choice", "auto");
    }
    if (settings.maxTokens > 0)
        body.insert("max_tokens", settings.maxTokens);
    body.insert("temperature", settings.temperature);
    addThinking(body, settings.thinking);
    if (stream) {
        body.insert("stream", true);
        body.insert("stream_options", QJsonObject{{"include_usage", true}});
    }
    return body;
}

LlmResult ChatCompletionsProtocol::parseReply(const QJsonObject &reply)
{
    LlmResult result;
    const QJsonObject choice = reply.value("choices").toArray().first().toObject();
    const QJsonObject message = choice.value("message").toObject();
    result.content = message.value("content").toString();
    result.reasoning = message.value("reasoning_content").toString();
    for (const QJsonValue &call : message.value("tool_calls").toArray())
        result.toolCalls.append(ToolCall::fromJson(call.toObject()));
    result.finishReason = choice.value("finish_reason").toString();
    result.usage = usageFrom(reply.value("usage").toObject());
    return result;
}

QString ChatCompletionsProtocol::addChunk(const QJsonObject &chunk, QString *reasoningDelta)
{
    QString text;
    if (chunk.value("usage").isObject())
        m_usage = usageFrom(chunk.value("usage").toObject());
    for (const QJsonValue &choiceValue : chunk.value("choices").toArray()) {
        const QJsonObject choice = choiceValue.toObject();
        if (choice.value("index").toInt() != 0)
            continue;
        const QJsonObject delta = choice.value("delta").toObject();
        // Some servers send whole messages in the last chunk instead of deltas.
        const QJsonObject message = choice.value("message").toObject();
        const QJsonObject &source = delta.isEmpty() ? message : delta;
        const QString content = source.value("content").toString();
        if (!content.isEmpty()) {
            m_content += content;
            text += content;
        }
        const QString reasoning =
            source.value("reasoning_content").toString(source.value("reasoning").toString());
        if (!reasoning.isEmpty()) {
            m_reasoning += reasoning;
            if (reasoningDelta)
                *reasoningDelta += reasoning;
        }
        const QJsonArray calls = source.value("tool_calls").toArray();
        for (int i = 0; i < calls.size(); ++i) {
            const QJsonObject call = calls.at(i).toObject();
            const int index = call.contains("index") ? call.value("index").toInt() : i;
            PartialCall &partial = m_calls[index];
            if (!call.value("id").toString().isEmpty())
                partial.id = call.value("id").toString();
            const QJsonObject function = call.value("function").toObject();
            if (!function.value("name").toString().isEmpty())
                partial.name = function.value("name").toString();
            partial.arguments += function.value("arguments").toString();
        }
        if (!choice.value("finish_reason").toString().isEmpty())
            m_finishReason = choice.value("finish_reason").toString();
    }
    return text;
}

LlmResult ChatCompletionsProtocol::result() const
{
    LlmResult result;
    result.content = m_content;
    result.reasoning = m_reasoning;
    result.finishReason = m_finishReason;
    result.usage = m_usage;
    int n = 0;
    for (const PartialCall &partial : m_calls) {
        ++n;
        if (partial.name.isEmpty())
            continue;
        result.toolCalls.append(
            ToolCall{partial.id.isEmpty() ? QStringLiteral("call_%1").arg(n) : partial.id,
                     partial.name, partial.arguments});
    }
    return result;
}
