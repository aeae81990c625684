#pragma once

#include "wireprotocol.h"

// The Gemini API v1beta (spec/providers.md §2.4): `x-goog-api-key`, `systemInstruction`,
// `contents` with user/model roles, `functionCall` / `functionResponse` parts,
// `generationConfig` (with `thinkingConfig` from a `model(level)` suffix) and
// `streamGenerateContent?alt=sse`, whose every event is a partial response.
//
// Gemini often sends function calls without an id. Those get a local id (kLocalIdPrefix…) so
// the agent can pair the result with its call; local ids are never sent back to Gemini, which
// pairs calls and responses by name and order.
class GeminiProtocol : public WireProtocol
{
public:
    static constexpr QLatin1StringView kLocalIdPrefix{"gemini_call_"};

    static QString endpoint(const QString &apiBase, const QString &model, bool stream);
    static QJsonObject requestBody(const ProviderSettings &settings,
                                   const QList<ChatMessage> &messages,
                                   const QList<ToolSpec> &tools);

    QString endpointName() const override { return QStringLiteral("generateContent endpoint"); }
    QNetworkRequest request(const ProviderSettings &settings, bool stream) const override;
    QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                     const QList<ToolSpec> &tools, bool) const override
    {
        return requestBody(settings, messages, tools);
    }
    QString addEvent(const QJsonObject &event, QString *error) override;
    bool ended() const override { return !m_result.finishReason.isEmpty(); }
    LlmResult streamedResult(QString *) const override { return m_result; }
    LlmResult parseReply(const QJsonObject &reply, QString *error) const override;

private:
    // Adds one (partial) response to `result`; returns the visible text it carried.
    static QString merge(const QJsonObject &response, LlmResult *result, int *callCount,
                         QString *error);

    LlmResult m_result;
    int m_callCount = 0;
};
