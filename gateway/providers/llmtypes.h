#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// The provider-neutral shapes of a chat exchange (spec/providers.md §1.1).
struct ToolCall
{
    QString id;
    QString name;
    QString arguments; // JSON text, as the model produced it

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

    // The API form: {"role","content"[,"tool_call_id"][,"tool_calls"]}
    QJsonObject toApiJson() const;
};

struct TokenUsage
{
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 total = 0;
};

struct LlmResult
{
    QString content;
    QString reasoning;
    QList<ToolCall> toolCalls;
    QString finishReason;
    TokenUsage usage;
};

// One provider entry of models.providers, resolved for a call.
struct ProviderSettings
{
    QString name;
    QString apiBase;
    QString apiKey;
    QString model;
    bool responsesApi =
        false;           // responses.api: "responses" (reference default) or "chat_completions"
    int timeoutSec = 90; // whole request
    int firstByteTimeoutMs = 20000;
    int idleTimeoutMs = 45000;
    int maxTokens = 8192;
    double temperature = 0.7;
    QString proxy; // http://host:port or socks5://host:port; empty: none
    bool stream = true;
};

// A tool as offered to the model.
struct ToolSpec
{
    QString name;
    QString description;
    QJsonObject parameters; // JSON schema
};
