#include "responsesprotocol.h"

#include <QSet>

QJsonObject ResponsesProtocol::requestBody(const ProviderSettings &settings,
                                           const QList<ChatMessage> &messages,
                                           const QList<ToolSpec> &tools, bool stream)
{
    QJsonArray input;
    QSet<QString> pendingCalls;
    for (const ChatMessage &message : messages) {
        if (message.role == QLatin1String("tool")) {
            if (!pendingCalls.remove(message.toolCallId))
                continue;
            input.append(QJsonObject{{"type", "function_call_output"},
                                     {"call_id", message.toolCallId},
                                     {"output", message.content}});
            continue;
        }
        if (message.role == QLatin1String("assistant")) {
            if (!message.content.isEmpty() || message.toolCalls.isEmpty())
                input.append(QJsonObject{
                    {"type", "message"},
                    {"role", "assistant"},
                    {"content",
                     QJsonArray{QJsonObject{{"type", "output_text"}, {"text", message.content}}}}});
            for (const ToolCall &call : message.toolCalls) {
                if (call.id.isEmpty() || call.name.isEmpty())
                    continue;
                input.append(
                    QJsonObject{{"type", "function_call"},
                                {"call_id", call.id},
                                {"name", call.name},
                                {"arguments", call.arguments.isEmpty() ? QStringLiteral("{}")
                                                                       : call.arguments}});
                pendingCalls.insert(call.id);
            }
            continue;
        }
        const QString role = message.role == QLatin1String("system") ? QStringLiteral("system")
                                                                     : QStringLiteral("user");
        input.append(QJsonObject{{"type", "message"},
                                 {"role", role},
                                 {"content", QJsonArray{QJsonObject{{"type", "input_text"},
                                                                    {"text", message.content}}}}});
    }
    QJsonObject body{{"model", settings.model}, {"input", input}};
    if (!tools.isEmpty()) {
        QJsonArray toolArray;
        for (const ToolSpec &tool : tools)
            toolArray.append(QJsonObject{{"type", "function"},
                                         {"name", tool.name},
                                         {"description", tool.description},
                                         {"parameters", tool.parameters}});
        body.insert("tools", toolArray);
        body.insert("tool_choice", "auto");
    }
    if (settings.maxTokens > 0)
        body.insert("max_output_tokens", settings.maxTokens);
    body.insert("temperature", settings.temperature);
    // The `model(level)` suffix: Responses takes an effort, and sends a summary of the thinking.
    QString effort = settings.thinking;
    if (effort == QLatin1String("xhigh") || effort == QLatin1String("max"))
        effort = QStringLiteral("high");
    if (QStringList{"minimal", "low", "medium", "high"}.contains(effort))
        body.insert("reasoning", QJsonObject{{"effort", effort}, {"summary", "auto"}});
    if (stream)
        body.insert("stream", true);
    return body;
}

LlmResult ResponsesProtocol::parseReply(const QJsonObject &response)
{
    LlmResult result;
    QStringList texts;
    QStringList reasoning;
    int n = 0;
    for (const QJsonValue &itemValue : response.value("output").toArray()) {
        const QJsonObject item = itemValue.toObject();
        const QString type = item.value("type").toString();
        if (type == QLatin1String("function_call") && !item.value("name").toString().isEmpty()) {
            ++n;
            QString id = item.value("call_id").toString(item.value("id").toString());
            if (id.isEmpty())
                id = QStringLiteral("call_%1").arg(n);
            result.toolCalls.append(
                ToolCall{id, item.value("name").toString(), item.value("arguments").toString()});
        } else if (type == QLatin1String("reasoning")) {
            for (const char *field : {"summary", "content"})
                for (const QJsonValue &part : item.value(field).toArray())
                    reasoning << part.toObject().value("text").toString();
        } else if (type == QLatin1String("message")) {
            for (const QJsonValue &part : item.value("content").toArray())
                if (part.toObject().value("type").toString() == QLatin1String("output_text"))
                    texts << part.toObject().value("text").toString();
        }
    }
    result.reasoning = reasoning.join(QLatin1Char('\n'));
    result.content = response.value("output_text").toString();
    if (result.content.isEmpty())
        result.content = texts.join(QLatin1Char('\n'));
    const QString status = response.value("status").toString();
    result.finishReason = (status.isEmpty() || status == QLatin1String("completed"))
                              ? QStringLiteral("stop")
                              : status;
    const QJsonObject usage = response.value("usage").toObject();
    result.usage.prompt = usage.value("input_tokens").toInteger();
    result.usage.completion = usage.value("output_tokens").toInteger();
    result.usage.total =
        usage.value("total_tokens").toInteger(result.usage.prompt + result.usage.completion);
    return result;
}

QString ResponsesProtocol::addEvent(const QJsonObject &event)
{
    const QString type = event.value("type").toString();
    if (type == QLatin1String("response.output_text.delta")) {
        const QString delta = event.value("delta").toString();
        m_content += delta;
        return delta;
    }
    if (type == QLatin1String("response.reasoning_summary_text.delta") ||
        type == QLatin1String("response.reasoning_text.delta")) {
        m_reasoning += event.value("delta").toString();
        return QString();
    }
    if (type == QLatin1String("response.reasoning_summary_part.added") && !m_reasoning.isEmpty())
        m_reasoning += QLatin1Char('\n');
    if (type == QLatin1String("response.output_item.added") ||
        type == QLatin1String("response.output_item.done")) {
        const QJsonObject item = event.value("item").toObject();
        if (item.value("type").toString() == QLatin1String("function_call")) {
            PartialCall &call = m_calls[event.value("output_index").toInt()];
            call.id = item.value("call_id").toString(item.value("id").toString(call.id));
            call.name = item.value("name").toString(call.name);
            if (type == QLatin1String("response.output_item.done") && item.contains("arguments"))
                call.arguments = item.value("arguments").toString();
        }
    } else if (type == QLatin1String("response.function_call_arguments.delta")) {
        m_calls[event.value("output_index").toInt()].arguments += event.value("delta").toString();
    } else if (type == QLatin1String("response.function_call_arguments.done")) {
        m_calls[event.value("output_index").toInt()].arguments =
            event.value("arguments").toString();
    } else if (type == QLatin1String("response.completed") ||
               type == QLatin1String("response.incomplete")) {
        // "incomplete" (max_output_tokens, a content filter) ends the answer too; its status
        // becomes the finish reason.
        const LlmResult full = parseReply(event.value("response").toObject());
        // A second "completed" may carry only usage; keep what we already know.
        if (!m_completed || !full.content.isEmpty() || !full.toolCalls.isEmpty())
            m_final = full;
        else
            m_final.usage = full.usage;
        m_completed = true;
    }
    return QString();
}

LlmResult ResponsesProtocol::result() const
{
    if (m_completed) {
        LlmResult result = m_final;
        if (result.content.isEmpty())
            result.content = m_content;
        if (result.reasoning.isEmpty())
            result.reasoning = m_reasoning;
        return result;
    }
    LlmResult result;
    result.content = m_content;
    result.reasoning = m_reasoning;
    result.finishReason = QStringLiteral("stop");
    int n = 0;
    for (const PartialCall &call : m_calls) {
        ++n;
        if (!call.name.isEmpty())
            result.toolCalls.append(
                ToolCall{call.id.isEmpty() ? QStringLiteral("call_%1").arg(n) : call.id, call.name,
                         call.arguments});
    }
    return result;
}
