#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// The provider-neutral shapes of a chat exchange (spec/providers.md §1.1): what sessions
// store, turns build and providers translate. No provider code is needed to use them.
struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text, as the model produced it
    // Gemini's thoughtSignature of this call: sent back within the same turn, never stored.
    QString signature = {};

    // {"id","type":"function","function":{"name","arguments"}}
    QJsonObject toJson() const;
    static ToolCall fromJson(const QJsonObject &object);
    // The arguments as an object; {"raw": text} when they are not a JSON object.
    QJsonObject argumentsObject() const;
};

struct ChatMessage
{
    QString role; // system, user, assistant, tool
    QString content;
    QString reasoning;
    QList<ToolCall> toolCalls;
    QString toolCallId;
    QDateTime time = {}; // when it was said (UTC; from the session line's "timestamp"), if known

    // The API form: {"role","content"[,"tool_call_id"][,"tool_calls"]}
    QJsonObject toApiJson() const;
};
