#include "wireprotocol.h"

#include "anthropicprotocol.h"
#include "chatcompletionsprotocol.h"
#include "geminiprotocol.h"
#include "llmcall.h"
#include "responsesprotocol.h"

#include <QJsonArray>
#include <QUrl>
#include <QUuid>

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

// The ChatGPT backend that Codex plans use (spec/providers.md §2.2, HTTP SSE only): a Responses
// body normalised the way the backend insists on, Codex CLI headers, the account's id.
class CodexWire : public ResponsesWire
{
public:
    static QString baseUrl(const QString &apiBase)
    {
        const QString base = apiBase.trimmed();
        if (!base.isEmpty() && !base.contains(QLatin1String("api.openai.com")))
            return base;
        return QStringLiteral("https://chatgpt.com/backend-api/codex");
    }

    QString endpointName() const override { return QStringLiteral("Codex endpoint"); }
    QNetworkRequest request(const ProviderSettings &settings, bool) const override
    {
        QNetworkRequest request = baseRequest(
            LlmCall::endpointFor(baseUrl(settings.apiBase), QStringLiteral("/responses")), true);
        addBearer(request, settings);
        // The Codex CLI's headers go with a plan's account (as the reference sends them only
        // for OAuth), not with an API key.
        if (settings.oauthToken) {
            request.setRawHeader("Version", kVersion);
            request.setRawHeader("Session_id",
                                 QUuid::createUuid().toByteArray(QUuid::WithoutBraces));
            request.setRawHeader("User-Agent", QByteArray("codex-tui/") + kVersion +
                                                   " (Mac OS 26.0.1; arm64) Apple_Terminal/464");
            request.setRawHeader("Originator", "codex-tui");
            if (!settings.accountId.isEmpty())
                request.setRawHeader("Chatgpt-Account-Id", settings.accountId.toUtf8());
        }
        return request;
    }
    QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                     const QList<ToolSpec> &tools, bool) const override
    {
        QJsonObject body = ResponsesProtocol::requestBody(settings, messages, tools, true);
        body.insert("stream", true);
        body.insert("store", false);
        body.insert("parallel_tool_calls", true);
        if (!body.contains("instructions"))
            body.insert("instructions", QString());
        QJsonArray include;
        for (const QJsonValue &value : body.value("include").toArray())
            if (!include.contains(value))
                include.append(value);
        if (!include.contains(QJsonValue("reasoning.encrypted_content")))
            include.append("reasoning.encrypted_content");
        body.insert("include", include);
        for (const char *refused :
             {"max_output_tokens", "max_completion_tokens", "temperature", "top_p", "truncation",
              "user", "prompt_cache_retention", "safety_identifier", "previous_response_id"})
            body.remove(QLatin1String(refused));
        // The backend takes no "system" role in the input: developer instead.
        QJsonArray input = body.value("input").toArray();
        for (qsizetype i = 0; i < input.size(); ++i) {
            QJsonObject item = input.at(i).toObject();
            if (item.value("role") == QLatin1String("system")) {
                item.insert("role", "developer");
                input.replace(i, item);
            }
        }
        body.insert("input", input);
        return body;
    }
    QString addEvent(const QJsonObject &event, QString *error) override
    {
        if (event.value("type") == QLatin1String("response.done")) { // = response.completed
            QJsonObject completed = event;
            completed.insert("type", "response.completed");
            return ResponsesWire::addEvent(completed, error);
        }
        return ResponsesWire::addEvent(event, error);
    }

private:
    static constexpr char kVersion[] = "0.115.0-alpha.27"; // the Codex CLI the backend expects
};

} // namespace

std::unique_ptr<WireProtocol> WireProtocol::create(WireKind wire)
{
    switch (wire) {
    case WireKind::Responses:
        return std::make_unique<ResponsesWire>();
    case WireKind::Codex:
        return std::make_unique<CodexWire>();
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
