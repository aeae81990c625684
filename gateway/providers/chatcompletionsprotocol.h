#pragma once

#include "llmtypes.h"

#include <QMap>

// OpenAI Chat Completions: request bodies, full replies, and streamed chunks accumulated into the
// same result a full reply would give (content, reasoning, and tool calls split across chunks).
class ChatCompletionsProtocol
{
public:
    static QJsonObject requestBody(const ProviderSettings &settings,
                                   const QList<ChatMessage> &messages, const QList<ToolSpec> &tools,
                                   bool stream);
    static LlmResult parseReply(const QJsonObject &reply);

    // Feeds one streamed chunk; returns the new visible text it carries (may be empty).
    QString addChunk(const QJsonObject &chunk, QString *reasoningDelta = nullptr);
    LlmResult result() const;

private:
    struct PartialCall
    {
        QString id;
        QString name;
        QString arguments;
    };
    QString m_content;
    QString m_reasoning;
    QString m_finishReason;
    QMap<int, PartialCall> m_calls; // by index, in index order
    TokenUsage m_usage;
};
