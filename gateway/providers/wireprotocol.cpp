#include "wireprotocol.h"

#include "anthropicprotocol.h"
#include "chatcompletionsprotocol.h"
#include "geminiprotocol.h"
#include "llmcall.h"
#include "responsesprotocol.h"

#include <QUrl>

namespace {

// Bearer auth as OpenAI-compatible servers take it; Google hosts want their own header.
void addBearer(QNetworkRequest &request, const ProviderSettings &settings)
{
    const QByteArray key = settings.apiKey.trimmed().toUtf8();
    if (key.isEmpty())
        return;
    if (!settings.oauthToken && request.url().host().contains(QLatin1String("googleapis.com")))
        request.setRawHeader("x-goog-api-key", key);
    else
        request.setRawHeader("Authorization", "Bearer " + key);
}

class ChatCompletionsWire : public WireProtocol
{
public:
    QString endpointName() const override { return QStringLiteral("Chat Completions endpoint"); }
    QNetworkRequest request(const ProviderSettings &settings, bool stream) const override
    {
        QNetworkRequest request = baseRequest(
            LlmCall::endpointFor(settings.apiBase, QStringLiteral("/chat/completions")), stream);
        addBearer(request, settings);
        return request;
    }
    QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                     const QList<ToolSpec> &tools, bool stream) const override
    {
        return ChatCompletionsProtocol::requestBody(settings, messages, tools, stream);
    }
    QString addEvent(const QJsonObject &event, QString *) override
    {
        return m_chat.addChunk(event);
    }
    bool ended() const override { return !m_chat.result().finishReason.isEmpty(); }
    LlmResult streamedResult(QString *) const override { return m_chat.result(); }
    LlmResult parseReply(const QJsonObject &reply, QString *) const override
    {
        return ChatCompletionsProtocol::parseReply(reply);
    }

private:
    ChatCompletionsProtocol m_chat;
};

class ResponsesWire : public WireProtocol
{
public:
    QString endpointName() const override { return QStringLiteral("Responses endpoint"); }
    QNetworkRequest request(const ProviderSettings &settings, bool stream) const override
    {
        QNetworkRequest request = baseRequest(
            LlmCall::endpointFor(settings.apiBase, QStringLiteral("/responses")), stream);
        addBearer(request, settings);
        return request;
    }
    QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                     const QList<ToolSpec> &tools, bool stream) const override
    {
        return ResponsesProtocol::requestBody(settings, messages, tools, stream);
    }
    QString addEvent(const QJsonObject &event, QString *error) override
    {
        const QString text = m_responses.addEvent(event);
        if (event.value("type").toString() == QLatin1String("error")) {
            *error = event.value("message").toString(
                event.value("code").toString(QStringLiteral("the provider reported an error")));
            return text;
        }
        if (event.value("type").toString() == QLatin1String("response.failed")) {
            const QJsonObject details =
                event.value("response").toObject().value("error").toObject();
            *error = details.value("message").toString(
                QStringLiteral("the provider could not complete the answer"));
        }
        return text;
    }
    bool ended() const override { return m_responses.completed(); }
    LlmResult streamedResult(QString *) const override { return m_responses.result(); }
    LlmResult parseReply(const QJsonObject &reply, QString *) const override
    {
        return ResponsesProtocol::parseReply(reply);
    }

private:
    ResponsesProtocol m_responses;
};

} // namespace

std::unique_ptr<WireProtocol> WireProtocol::create(WireKind wire)
{
    switch (wire) {
    case WireKind::Responses:
        return std::make_unique<ResponsesWire>();
    case WireKind::Anthropic:
        return std::make_unique<AnthropicProtocol>();
    case WireKind::Gemini:
    case WireKind::Relay: // AI Studio relays Gemini API requests through the browser
        return std::make_unique<GeminiProtocol>();
    case WireKind::ChatCompletions:
        return std::make_unique<ChatCompletionsWire>();
    case WireKind::Unsupported:
        break;
    }
    return nullptr;
}

QNetworkRequest WireProtocol::baseRequest(const QString &url, bool stream)
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("Accept", stream ? "text/event-stream" : "application/json");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    return request;
}
