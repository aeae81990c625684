#include "llmcall.h"

#include "aistudiorelay.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/networkaccess.h"

#include <QDateTime>
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
    QString text = QString::fromUtf8(body.left(4096)).trimmed();
    text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\r'), QLatin1Char(' '));
    if (text.isEmpty())
        return QStringLiteral("<empty body>");
    if (text.size() > 300)
        text = text.left(300) + QStringLiteral("...");
    return text;
}

// The message an error body carries, if any (OpenAI, Anthropic and Google shapes).
QString upstreamMessage(const QByteArray &body)
{
    QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isArray()) // Google sometimes answers [{"error": …}]
        doc = QJsonDocument(doc.array().first().toObject());
    const QJsonObject object = doc.object();
    const QJsonValue error = object.value("error");
    if (error.isObject())
        return error.toObject().value("message").toString();
    if (error.isString())
        return error.toString();
    return object.value("message").toString();
}

// Retry-After: delay-seconds or an HTTP date.
qint64 retryAfterSeconds(const QByteArray &value)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = trimmed.toLongLong(&ok);
    if (ok)
        return qMax<qint64>(0, seconds);
    const QDateTime when = QDateTime::fromString(QString::fromLatin1(trimmed), Qt::RFC2822Date);
    if (!when.isValid())
        return -1;
    return qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(when));
}

// Which kind of failure an HTTP error is (spec/providers.md §1.5, but every error counts).
LlmFailure::Reason classify(int status, const QByteArray &body)
{
    const QByteArray lower = body.left(64 * 1024).toLower();
    if (status == 429 || status == 402 || status == 403) {
        if (lower.contains("insufficient_quota") || lower.contains("quota") ||
            lower.contains("billing"))
            return LlmFailure::Reason::Quota;
        if (lower.contains("rate limit") || lower.contains("rate_limit") ||
            lower.contains("usage limit"))
            return LlmFailure::Reason::RateLimit;
        if (status == 403)
            return LlmFailure::Reason::Forbidden;
        return status == 429 ? LlmFailure::Reason::RateLimit : LlmFailure::Reason::Quota;
    }
    if (status == 401)
        return LlmFailure::Reason::Unauthorized;
    if (status == 408)
        return LlmFailure::Reason::Timeout;
    if (status >= 500)
        return LlmFailure::Reason::ServerError;
    return LlmFailure::Reason::BadRequest;
}

// An error reported inside a 200 stream: overload and rate limits are the provider's state (the
// next candidate may answer); anything else is a broken answer.
LlmFailure::Reason streamErrorReason(const QByteArray &text)
{
    const QByteArray lower = text.toLower();
    if (lower.contains("overloaded"))
        return LlmFailure::Reason::ServerError;
    if (lower.contains("rate limit") || lower.contains("rate_limit"))
        return LlmFailure::Reason::RateLimit;
    if (lower.contains("quota"))
        return LlmFailure::Reason::Quota;
    return LlmFailure::Reason::BadAnswer;
}

} // namespace

QString LlmFailure::reasonName(Reason reason)
{
    switch (reason) {
    case Reason::None:
        return QString();
    case Reason::RateLimit:
        return QStringLiteral("rate_limit");
    case Reason::Quota:
        return QStringLiteral("quota");
    case Reason::Forbidden:
        return QStringLiteral("forbidden");
    case Reason::Unauthorized:
        return QStringLiteral("unauthorized");
    case Reason::ServerError:
        return QStringLiteral("server_error");
    case Reason::Network:
        return QStringLiteral("network");
    case Reason::Timeout:
        return QStringLiteral("timeout");
    case Reason::BadRequest:
        return QStringLiteral("bad_request");
    case Reason::BadAnswer:
        return QStringLiteral("bad_answer");
    case Reason::Unsupported:
        return QStringLiteral("unsupported");
    }
    return QString();
}

LlmCall::LlmCall(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                 const QList<ToolSpec> &tools, QObject *parent)
    : QObject(parent), m_settings(settings), m_protocol(WireProtocol::create(settings.wire)),
      m_firstByteTimer(new QTimer(this)), m_idleTimer(new QTimer(this))
{
    if (m_protocol)
        m_body = QJsonDocument(m_protocol->body(settings, messages, tools, settings.stream))
                     .toJson(QJsonDocument::Compact);
    m_firstByteTimer->setSingleShot(true);
    m_idleTimer->setSingleShot(true);
    connect(m_firstByteTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("%1 did not answer within %2 s")
                 .arg(who())
                 .arg((m_firstByteTimer->interval() + 999) / 1000),
             LlmFailure::Reason::Timeout);
    });
    connect(m_idleTimer, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("%1 stopped sending for %2 s in the middle of its answer")
                 .arg(who())
                 .arg((m_idleTimer->interval() + 999) / 1000),
             LlmFailure::Reason::Timeout);
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
    const auto failLater = [this](const QString &error, LlmFailure::Reason reason) {
        QMetaObject::invokeMethod(
            this, [this, error, reason] { fail(error, reason); }, Qt::QueuedConnection);
    };
    if (!m_protocol)
        return failLater(QStringLiteral("%1 cannot be used: providers of kind \"%2\" are not "
                                        "supported by this version of ClawGo Desktop")
                             .arg(who(), m_settings.kind),
                         LlmFailure::Reason::Unsupported);
    const int firstByteMs = m_settings.stream
                                ? qMin(m_settings.firstByteTimeoutMs, m_settings.timeoutSec * 1000)
                                : m_settings.timeoutSec * 1000;
    if (m_settings.wire == WireKind::Relay) {
        if (!m_settings.relay)
            return failLater(QStringLiteral("%1: the AI Studio relay is not running").arg(who()),
                             LlmFailure::Reason::Network);
        const QNetworkRequest request = m_protocol->request(m_settings, m_settings.stream);
        QList<QPair<QByteArray, QByteArray>> headers;
        for (const QByteArray &name : request.rawHeaderList())
            headers.append({name, request.rawHeader(name)});
        QString error;
        m_exchange = m_settings.relay->send(m_settings.name, "POST", request.url().toString(),
                                            headers, m_body, this, &error);
        if (!m_exchange)
            return failLater(QStringLiteral("%1: %2").arg(who(), error),
                             LlmFailure::Reason::Network);
        connect(m_exchange, &RelayExchange::head, this,
                [this](int status, const QList<QPair<QByteArray, QByteArray>> &headers) {
                    QString contentType;
                    QByteArray retryAfter;
                    for (const auto &header : headers) {
                        if (header.first == "content-type")
                            contentType = QString::fromLatin1(header.second);
                        else if (header.first == "retry-after")
                            retryAfter = header.second;
                    }
                    takeHead(status, contentType, retryAfter);
                });
        connect(m_exchange, &RelayExchange::bytes, this, &LlmCall::takeBytes);
        connect(m_exchange, &RelayExchange::finished, this,
                [this](const QString &error, int status) {
                    if (!error.isEmpty() && status == 0)
                        return fail(QStringLiteral("%1: %2").arg(who(), error),
                                    LlmFailure::Reason::Network);
                    if (!error.isEmpty() && !m_headersChecked)
                        m_buffer = error.toUtf8();
                    complete(m_headersChecked ? m_status : status, false, QString());
                });
        m_firstByteTimer->start(qMax(1, firstByteMs));
        return;
    }
    QString proxyError;
    QNetworkAccessManager *network = NetworkAccess::forProxy(m_settings.proxy, &proxyError);
    if (!network)
        return failLater(proxyError, LlmFailure::Reason::BadRequest);
    const QNetworkRequest request = m_protocol->request(m_settings, m_settings.stream);
    m_reply = network->post(request, m_body);
    connect(m_reply, &QNetworkReply::readyRead, this, &LlmCall::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &LlmCall::onFinished);
    // Until the first byte: connect + the server's thinking time. A non-streamed answer arrives
    // whole, so it gets the provider's full timeout.
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
    if (m_exchange) {
        disconnect(m_exchange, nullptr, this, nullptr);
        m_exchange->deleteLater(); // the relay drops a late answer
        m_exchange = nullptr;
    }
}

void LlmCall::fail(const QString &errorIn, LlmFailure::Reason reason, int status)
{
    if (m_done)
        return;
    const qint64 retryAfter = retryAfterSeconds(m_retryAfter);
    cancel();
    // An upstream that echoes the key it got must not carry it further (to an API answer, a
    // chat_error frame or a Weixin contact).
    QString error = LogHub::instance()->redactor().redact(errorIn);
    if (!m_settings.apiKey.trimmed().isEmpty())
        error.replace(m_settings.apiKey.trimmed(), QStringLiteral("[REDACTED]"));
    m_failure.reason = reason;
    m_failure.httpStatus = status;
    m_failure.retryAfterSec = retryAfter;
    m_failure.outputStarted = m_outputStarted;
    m_failure.message = error;
    qCWarning(lcProviders).noquote() << error;
    Q_EMIT failed(error);
}

void LlmCall::succeed()
{
    if (m_done)
        return;
    QString error;
    const LlmResult result = m_protocol->streamedResult(&error);
    if (!error.isEmpty())
        return fail(QStringLiteral("%1 sent an unusable answer: %2").arg(who(), error),
                    LlmFailure::Reason::BadAnswer);
    cancel();
    Q_EMIT finished(result);
}

void LlmCall::failHttp(int status, const QByteArray &body)
{
    const QString detail = upstreamMessage(body).isEmpty() ? preview(body) : upstreamMessage(body);
    const LlmFailure::Reason reason = classify(status, body);
    QString message;
    if (status == 401 || status == 403) {
        message = QStringLiteral(
                      "%1 refused the request (HTTP %2: %3). Check models.providers.%4.api_key.")
                      .arg(who())
                      .arg(status)
                      .arg(detail, m_settings.name);
    } else if (status == 404) {
        message =
            QStringLiteral("%1 has no %2 (HTTP 404: %3). Check models.providers.%4.api_base "
                           "and the model name \"%5\".")
                .arg(who(), m_protocol->endpointName(), detail, m_settings.name, m_settings.model);
    } else if (status == 429) {
        const qint64 retryAfter = retryAfterSeconds(m_retryAfter);
        message = QStringLiteral("%1 is rate limiting requests (HTTP 429: %2)%3")
                      .arg(who(), detail,
                           retryAfter < 0 ? QStringLiteral("; try again later")
                                          : QStringLiteral("; retry after %1 s").arg(retryAfter));
    } else if (status >= 500) {
        message = QStringLiteral("%1 failed with HTTP %2: %3").arg(who()).arg(status).arg(detail);
    } else {
        message = QStringLiteral("%1 answered HTTP %2: %3").arg(who()).arg(status).arg(detail);
    }
    fail(message, reason, status);
}

void LlmCall::onReadyRead()
{
    if (m_done || !m_reply)
        return;
    if (!m_headersChecked)
        takeHead(m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
                 m_reply->header(QNetworkRequest::ContentTypeHeader).toString(),
                 m_reply->rawHeader("Retry-After"));
    takeBytes(m_reply->readAll());
}

void LlmCall::takeHead(int status, const QString &contentType, const QByteArray &retryAfter)
{
    if (m_headersChecked)
        return;
    m_headersChecked = true;
    m_status = status;
    m_retryAfter = retryAfter;
    m_streaming = m_status == 200 && contentType.contains(QLatin1String("text/event-stream"));
}

void LlmCall::takeBytes(const QByteArray &bytes)
{
    if (m_done)
        return;
    m_firstByteTimer->stop();
    if (!m_streaming) {
        // An error body is only needed for its message: keep its start, drop the rest.
        const qsizetype limit = m_status == 200 ? 64 * 1024 * 1024 : 256 * 1024;
        if (m_buffer.size() + bytes.size() > limit) {
            if (m_status != 200) {
                m_buffer.append(bytes.left(limit - m_buffer.size()));
                m_idleTimer->start(m_settings.idleTimeoutMs);
                return;
            }
            return fail(QStringLiteral("%1 sent an answer larger than 64 MiB").arg(who()),
                        LlmFailure::Reason::BadAnswer);
        }
        m_buffer.append(bytes);
        m_idleTimer->start(m_settings.idleTimeoutMs);
        return;
    }
    m_idleTimer->start(m_settings.idleTimeoutMs);
    const QList<QByteArray> events = m_sse.feed(bytes);
    if (m_sse.overflowed())
        return fail(
            QStringLiteral("%1 sent a malformed stream (a line longer than 2 MiB)").arg(who()),
            LlmFailure::Reason::BadAnswer);
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
        return fail(QStringLiteral("%1 sent a malformed stream: %2").arg(who(), preview(trimmed)),
                    LlmFailure::Reason::BadAnswer);
    const QJsonObject event = doc.object();
    if (event.contains("error") && !event.contains("choices") &&
        event.value("type").toString() != QLatin1String("error")) {
        return fail(QStringLiteral("%1 reported an error in the stream: %2")
                        .arg(who(), upstreamMessage(trimmed).isEmpty() ? preview(trimmed)
                                                                       : upstreamMessage(trimmed)),
                    streamErrorReason(trimmed));
    }
    QString eventError;
    const QString text = m_protocol->addEvent(event, &eventError);
    if (!eventError.isEmpty()) {
        return fail(QStringLiteral("%1 reported an error in the stream: %2").arg(who(), eventError),
                    streamErrorReason(eventError.toUtf8()));
    }
    if (m_protocol->ended())
        m_streamEnded = true;
    if (!text.isEmpty()) {
        m_outputStarted = true;
        Q_EMIT delta(text);
    }
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
            QStringLiteral("cannot reach %1 at %2: %3").arg(who(), m_settings.apiBase, reason),
            LlmFailure::Reason::Network);
    }
    complete(status, networkError != QNetworkReply::NoError, m_reply->errorString());
}

void LlmCall::complete(int status, bool transportError, const QString &transportErrorText)
{
    if (m_done)
        return;
    if (status != 200)
        return failHttp(status, m_buffer);
    if (m_streaming) {
        if (transportError && !m_streamEnded)
            return fail(QStringLiteral("%1 closed the stream before the answer was complete (%2)")
                            .arg(who(), transportErrorText),
                        LlmFailure::Reason::Network);
        if (!m_sse.pendingEvent().isEmpty())
            handleEvent(m_sse.pendingEvent()); // a last event without its blank line
        if (m_done)
            return;
        if (!m_streamEnded)
            return fail(
                QStringLiteral("%1 closed the stream before the answer was complete").arg(who()),
                LlmFailure::Reason::Network);
        return succeed();
    }
    // Not streamed (or the server ignored "stream": a plain JSON answer is fine too).
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(m_buffer, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("%1 sent a non-JSON answer: %2").arg(who(), preview(m_buffer)),
                    LlmFailure::Reason::BadAnswer);
    if (doc.object().contains("error") && !doc.object().contains("choices") &&
        !doc.object().contains("candidates") && !doc.object().contains("output"))
        return fail(QStringLiteral("%1 answered with an error: %2")
                        .arg(who(), upstreamMessage(m_buffer).isEmpty()
                                        ? preview(m_buffer)
                                        : upstreamMessage(m_buffer)),
                    LlmFailure::Reason::BadAnswer);
    QString replyError;
    const LlmResult result = m_protocol->parseReply(doc.object(), &replyError);
    if (!replyError.isEmpty())
        return fail(QStringLiteral("%1 answered with an error: %2").arg(who(), replyError),
                    LlmFailure::Reason::BadAnswer);
    if (!result.content.isEmpty()) {
        m_outputStarted = true;
        Q_EMIT delta(result.content);
    }
    if (m_done)
        return;
    cancel();
    Q_EMIT finished(result);
}
