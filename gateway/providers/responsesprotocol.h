#pragma once

#include "llmtypes.h"

#include <QMap>

// OpenAI Responses API: request bodies, full replies, and streamed events accumulated into a
// result. A `response.completed` event carries the authoritative full response.
class ResponsesProtocol
{
public:
    static QJsonObject requestBody(const ProviderSettings &settings,
                                   const QList<ChatMessage> &messages, const QList<ToolSpec> &tools,
                                   bool stream);
    static LlmResult parseReply(const QJsonObject &response);

    QString addEvent(const QJsonObject &event);
    bool completed() const { return m_completed; }
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
    QMap<int, PartialCall> m_calls; // by output_index
    bool m_completed = false;
    LlmResult m_final;
};
