#pragma once

#include "wireprotocol.h"

#include <QMap>

// Anthropic Messages (spec/providers.md §2.3), without the reference's Claude Code
// impersonation: `x-api-key` + `anthropic-version`, system prompt as system blocks, tool calls
// as `tool_use` blocks, tool results as `tool_result` blocks of one user message, and the SSE
// state machine (message_start, content_block_start/delta/stop, message_delta, message_stop).
class AnthropicProtocol : public WireProtocol
{
public:
    static constexpr const char *kVersion = "2023-06-01";

    static QString endpoint(const QString &apiBase);
    static QJsonObject requestBody(const ProviderSettings &settings,
                                   const QList<ChatMessage> &messages, const QList<ToolSpec> &tools,
                                   bool stream);

    QString endpointName() const override { return QStringLiteral("Messages endpoint"); }
    QNetworkRequest request(const ProviderSettings &settings, bool stream) const override;
    QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                     const QList<ToolSpec> &tools, bool stream) const override
    {
        return requestBody(settings, messages, tools, stream);
    }
    QString addEvent(const QJsonObject &event, QString *error) override;
    bool ended() const override { return m_stopped; }
    LlmResult streamedResult(QString *error) const override;
    LlmResult parseReply(const QJsonObject &reply, QString *error) const override;

private:
    struct Block
    {
        QString type; // text, thinking, tool_use
        QString text;
        QString toolId;
        QString toolName;
        QString json;      // input_json_delta pieces
        QJsonObject input; // input given whole in content_block_start
        bool closed = false;
    };
    QMap<int, Block> m_blocks; // by index
    QString m_stopReason;
    TokenUsage m_usage;
    bool m_stopped = false;
};
