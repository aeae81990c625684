#include "llmcall.h"

#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/networkaccess.h"

#include <QHash>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTimer>
#include <QUrl>

namespace {

// Short, single-line excerpt of an upstream body for error messages.
QString preview(const QByteArray &body)
{
    QString text = QString::fromUtf8(body).trimmed();
    text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    if (text.isEmpty())
        return QStringLiteral("<empty body>");
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("...");
    return text;
}

// The message an OpenAI-style error body carries, if any.
QString upstreamMessage(const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonValue error = object.value("error");
    if (error.isObject())
        return error.toObject().value("message").toString();
    if (error.isString())
        return error.toString();
    return object.value("message").toString();
}

} // namespace

LlmCall::LlmCall(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                 const QList<ToolSpec> &tools, QObject *parent)
    : QObject(parent), m_settings(settings), m_firstByteTimer(new QTimer(this)),
      m_idleTimer(new QTimer(this))
{
    const QJsonObject body =
        settings.responsesApi
            ? ResponsesProtocol::requestBody(settings, messages, tools, settings.stream)
            : ChatCompletionsProtocol::requestBody(settings, messages, tools, settings.stream);
    m_body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    m_firstByteTimer->setSingleShot(true);
    m_idleTimer->setSingleShot(true);
    connect(m_firstByteTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("%1 did not answer within %2 s")
                 .arg(who())
                 .arg((m_firstByteTimer->interval() + 999) / 1000));
    });
    connect(m_idleTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("%1 stopped sending for %2 s in the middle of its answer")
                 .arg(who())
                 .arg((m_idleTimer->interval() + 999) / 1000));
    });
}

LlmCall::~LlmCall()
{
    cancel();
}

QString LlmCall::who() const
{
    return QStringLiteral("provider \"%1\"").arg(m_settings.name);
}

QString LlmCall::endpointFor(const QString &apiBase, const QString &relative)
{
    QString base = apiBase.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.isEmpty())
        return relative;
    if (base.endsWith(relative))
        return base;
    return base + relative;
}

void LlmCall::start()
{
    QString proxyError;
    QNetworkAccessManager *network = NetworkAccess::forProxy(m_settings.proxy, &proxyError);
    if (!network) {
        QMetaObject::invokeMethod(
            this, [this, proxyError] { fail(proxyError); }, Qt::QueuedConnection);
        return;
    }
    const QString url = endpointFor(m_settings.apiBase, m_settings.responsesApi
                                                            ? QStringLiteral("/responses")
                                                            : QStringLiteral("/chat/completions"));
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("Accept", m_settings.stream ? "text/event-stream" : "application/json");
    if (!m_settings.apiKey.trimmed().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_settings.apiKey.trimmed().toUtf8());
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    m_reply = network->post(request, m_body);
    connect(m_reply, &QNetworkReply::readyRead, this, &LlmCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &LlmCall::onFinished);
    // Until the first byte: connect + the server's thinking time. A non-streamed answer arrives
    // whole, so it gets the provider's full timeout.
    const int firstByteMs = m_settings.stream
                                ? qMin(m_settings.firstByteTimeoutMs, m_settings.timeoutSec * 1000)
                                : m_settings.timeoutSec * 1000;
    m_firstByteTimer->start(qMax(1, firstByteMs));
}

void LlmCall::cancel()
{
    m_done = true;
    m_firstByteTimer->stop();
    m_idleTimer->stop();
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
}

void LlmCall::fail(const QString &errorIn)
{
    if (m_done)
        return;
    cancel();
    // An upstream that echoes the key it got must not carry it further (to an API answer, a
    // chat_error frame or a Weixin contact).
    QString error = LogHub::instance()->redactor().redact(errorIn);
    if (!m_settings.apiKey.trimmed().isEmpty())
        error.replace(m_settings.apiKey.trimmed(), QStringLiteral("[REDACTED]"));
    qCWarning(lcProviders).noquote() << error;
    Q_EMIT failed(error);
}

void LlmCall::succeed()
{
    if (m_done)
        return;
    const LlmResult result = m_settings.responsesApi ? m_responses.result() : m_chat.result();
    cancel();
    Q_EMIT finished(result);
}

QString LlmCall::httpError(int status, const QByteArray &body) const
{
    const QString detail = upstreamMessage(body).isEmpty() ? preview(body) : upstreamMessage(body);
    if (status == 401 || status == 403)
        return QStringLiteral(
                   "%1 refused the request (HTTP %2: %3). Check models.providers.%4.api_key.")
            .arg(who())
            .arg(status)
            .arg(detail, m_settings.name);
    if (status == 404)
        return QStringLiteral("%1 has no %2 (HTTP 404: %3). Check models.providers.%4.api_base and "
                              "the model name \"%5\".")
            .arg(who(),
                 m_settings.responsesApi ? QStringLiteral("Responses endpoint")
                                         : QStringLiteral("Chat Completions endpoint"),
                 detail, m_settings.name, m_settings.model);
    if (status == 429) {
        const QByteArray retryAfter =
            m_reply ? m_reply->rawHeader("Retry-After").trimmed() : QByteArray();
        return QStringLiteral("%1 is rate limiting requests (HTTP 429: %2)%3")
            .arg(who(), detail,
                 retryAfter.isEmpty()
                     ? QStringLiteral("; try again later")
                     : QStringLiteral("; retry after %1 s").arg(QString::fromLatin1(retryAfter)));
    }
    if (status >= 500)
        return QStringLiteral("%1 failed with HTTP %2: %3").arg(who()).arg(status).arg(detail);
    return QStringLiteral("%1 answered HTTP %2: %3").arg(who()).arg(status).arg(detail);
}

void LlmCall::onReadyRead()
{
    if (m_done || !m_reply)
        return;
    m_firstByteTimer->stop();
    if (!m_headersChecked) {
        m_headersChecked = true;
        m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_streaming = m_status == 200 && m_reply->header(QNetworkRequest::ContentTypeHeader)
                                             .toString()
                                             .contains(QLatin1String("text/event-stream"));
    }
    const QByteArray bytes = m_reply->readAll();
    if (!m_streaming) {
        if (m_buffer.size() + bytes.size() > 64 * 1024 * 1024)
            return fail(QStringLiteral("%1 sent an answer larger than 64 MiB").arg(who()));
        m_buffer.append(bytes);
        m_idleTimer->start(m_settings.idleTimeoutMs);
        return;
    }
    m_idleTimer->start(m_settings.idleTimeoutMs);
    const QList<QByteArray> events = m_sse.feed(bytes);
    if (m_sse.overflowed())
        return fail(
            QStringLiteral("%1 sent a malformed stream (a line longer than 2 MiB)").arg(who()));
    for (const QByteArray &payload : events) {
        handleEvent(payload);
        if (m_done)
            return;
    }
}

void LlmCall::handleEvent(const QByteArray &payload)
{
    const QByteArray trimmed = payload.trimmed();
    if (trimmed == "[DONE]") {
        m_streamEnded = true;
        return;
    }
    if (trimmed.isEmpty())
        return;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("%1 sent a malformed stream: %2").arg(who(), preview(trimmed)));
    const QJsonObject event = doc.object();
    if (event.contains("error") && !event.contains("choices")) {
        return fail(QStringLiteral("%1 reported an error in the stream: %2")
                        .arg(who(), upstreamMessage(trimmed).isEmpty() ? preview(trimmed)
                                                                       : upstreamMessage(trimmed)));
    }
    QString text;
    if (m_settings.responsesApi) {
        text = m_responses.addEvent(event);
        if (m_responses.completed())
            m_streamEnded = true;
        if (event.value("type").toString() == QLatin1String("response.failed"))
            return fail(
                QStringLiteral("%1 could not complete the answer: %2")
                    .arg(who(),
                         preview(QJsonDocument(
                                     event.value("response").toObject().value("error").toObject())
                                     .toJson(QJsonDocument::Compact))));
    } else {
        text = m_chat.addChunk(event);
        if (!m_chat.result().finishReason.isEmpty())
            m_streamEnded = true;
    }
    if (!text.isEmpty())
        Q_EMIT delta(text);
}

void LlmCall::onFinished()
{
    if (m_done || !m_reply)
        return;
    if (m_reply->bytesAvailable() > 0)
        onReadyRead();
    if (m_done)
        return;
    const QNetworkReply::NetworkError networkError = m_reply->error();
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        QString reason = m_reply->errorString();
        if (networkError == QNetworkReply::ConnectionRefusedError)
            reason = QStringLiteral("connection refused; is the server running?");
        else if (networkError == QNetworkReply::HostNotFoundError)
            reason = QStringLiteral("host not found");
        return fail(
            QStringLiteral("cannot reach %1 at %2: %3").arg(who(), m_settings.apiBase, reason));
    }
    if (status != 200)
        return fail(httpError(status, m_buffer));
    if (m_streaming) {
        if (networkError != QNetworkReply::NoError && !m_streamEnded)
            return fail(QStringLiteral("%1 closed the stream before the answer was complete (%2)")
                            .arg(who(), m_reply->errorString()));
        if (!m_sse.pendingEvent().isEmpty())
            handleEvent(m_sse.pendingEvent()); // a last event without its blank line
        if (m_done)
            return;
        if (!m_streamEnded)
            return fail(
                QStringLiteral("%1 closed the stream before the answer was complete").arg(who()));
        return succeed();
    }
    // Not streamed (or the server ignored "stream": a plain JSON answer is fine too).
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_buffer, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("%1 sent a non-JSON answer: %2").arg(who(), preview(m_buffer)));
    const LlmResult result = m_settings.responsesApi
                                 ? ResponsesProtocol::parseReply(doc.object())
                                 : ChatCompletionsProtocol::parseReply(doc.object());
    if (!result.content.isEmpty())
        Q_EMIT delta(result.content);
    if (m_done)
        return;
    cancel();
    Q_EMIT finished(result);
}
