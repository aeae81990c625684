#include "chatmessage.h"

#include <QJsonDocument>

QJsonObject ToolCall::toJson() const
{
    return QJsonObject{{"id", id},
                       {"type", "function"},
                       {"function", QJsonObject{{"name", name}, {"arguments", arguments}}}};
}

ToolCall ToolCall::fromJson(const QJsonObject &object)
{
    ToolCall call;
    call.id = object.value("id").toString();
    const QJsonObject function = object.value("function").toObject();
    call.name = function.value("name").toString(object.value("name").toString());
    const QJsonValue arguments =
        function.contains("arguments") ? function.value("arguments") : object.value("arguments");
    call.arguments =
        arguments.isString()
            ? arguments.toString()
            : QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact));
    return call;
}

QJsonObject ToolCall::argumentsObject() const
{
    if (arguments.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(arguments.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return QJsonObject{{"raw", arguments}};
    return doc.object();
}

QJsonObject ChatMessage::toApiJson() const
{
    QJsonObject object{{"role", role}, {"content", content}};
    if (!toolCallId.trimmed().isEmpty())
        object.insert("tool_call_id", toolCallId);
    if (!toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &call : toolCalls)
            calls.append(call.toJson());
        object.insert("tool_calls", calls);
    }
    return object;
}
