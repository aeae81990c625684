#include "httpconnection.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "core/logtext.h"
#include "httpserver.h"
#include "requestguard.h"
#include "responsewriter.h"
#include "websocket.h"

#include <QTcpSocket>
#include <sys/socket.h>

namespace {

// A refused request's body up to this size is read and skipped so the connection stays usable;
// a larger one ends the connection after the answer.
constexpr qint64 kMaxDiscardBytes = 256 * 1024;
constexpr qint64 kBodyChunkBytes = 256 * 1024;
constexpr int kFlushTimeoutMs = 10 * 1000;

QString decodedPath(const QByteArray &rawPath)
{
    return QString::fromUtf8(QByteArray::fromPercentEncoding(rawPath));
}

} // namespace

HttpConnection::HttpConnection(QTcpSocket *socket, HttpServer *server)
    : QObject(server), m_socket(socket), m_server(server)
{
    socket->setParent(this);
    // Qt buffers no more than this ahead of us: a client that floods us meets TCP back-pressure.
    socket->setReadBufferSize(kBodyChunkBytes);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, this, &HttpConnection::onBytesWritten);
    connect(socket, &QTcpSocket::disconnected, this, &HttpConnection::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError && m_socket)
            m_socket->abort();
    });
    // A fresh connection must send a complete head in time: silence holds no slot for long.
    setDeadline(Deadline::HeadTimeout, limits().headTimeoutMs);
}

HttpConnection::~HttpConnection()
{
    abortSink();
}

const ConnectionLimits &HttpConnection::limits() const
{
    return m_server->limits();
}

void HttpConnection::setDeadline(Deadline kind, qint64 afterMs)
{
    m_deadline = kind;
    m_deadlineAtMs = kind == Deadline::None ? 0 : Clock::monotonicMs() + afterMs;
}

void HttpConnection::checkDeadline(qint64 nowMs)
{
    if (m_deadline == Deadline::None || nowMs < m_deadlineAtMs || !m_socket)
        return;
    const Deadline kind = m_deadline;
    setDeadline(Deadline::None, 0);
    switch (kind) {
    case Deadline::HeadTimeout:
    case Deadline::BodyTimeout:
        static LogThrottle throttle;
        throttle.log(lcHttp(), QtInfoMsg,
                     QStringLiteral("closing a slow connection from %1")
                         .arg(m_socket->peerAddress().toString()),
                     QStringLiteral("slow connections closed"));
        abortSink();
        refuse(408, "request timeout\n", {}, true);
        return;
    case Deadline::Idle:
        m_state = State::Done;
        m_socket->disconnectFromHost();
        return;
    case Deadline::Drain:
    case Deadline::Flush:
        m_state = State::Done;
        m_socket->abort();
        return;
    case Deadline::None:
        return;
    }
}

void HttpConnection::onReadyRead()
{
    process();
}

void HttpConnection::onBytesWritten()
{
    if (!m_socket)
        return;
    if (m_state == State::Closing && m_socket->bytesToWrite() == 0) {
        m_state = State::Done;
        m_socket->disconnectFromHost();
        return;
    }
    if (m_state == State::Drain && m_socket->bytesToWrite() == 0 && m_socket->isValid()) {
        // The answer is out: tell the client we are done writing, keep reading what it sends.
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }
    if (m_paused && m_socket->bytesToWrite() <= limits().maxQueuedBytes / 4) {
        m_paused = false;
        process();
    }
}

void HttpConnection::onDisconnected()
{
    abortSink();
    end();
}

void HttpConnection::end()
{
    if (m_ended)
        return;
    m_ended = true;
    m_state = State::Done;
    setDeadline(Deadline::None, 0);
    Q_EMIT finished(this);
    deleteLater(); // handlers watching request.connection learn of it through destroyed()
}

void HttpConnection::abortSink()
{
    if (m_sink) {
        std::unique_ptr<RequestBodySink> sink = std::move(m_sink);
        sink->abort();
    }
}

bool HttpConnection::pullInput()
{
    if (!m_socket)
        return false;
    const qint64 buffered = m_in.size() - m_inPos;
    const qint64 cap = m_state == State::Head ? limits().maxHeadBytes + 4 : kBodyChunkBytes;
    if (buffered >= cap || m_socket->bytesAvailable() <= 0)
        return false;
    if (m_inPos > 0) {
        m_in.remove(0, m_inPos);
        m_inPos = 0;
    }
    const QByteArray chunk = m_socket->read(cap - buffered);
    if (chunk.isEmpty())
        return false;
    if (m_in.isEmpty())
        m_in = chunk;
    else
        m_in += chunk;
    return true;
}

void HttpConnection::process()
{
    if (m_inProcess)
        return; // an answer given synchronously: the loop below carries on
    m_inProcess = true;
    while (m_socket && !m_paused) {
        if (m_state == State::Handling || m_state == State::Closing || m_state == State::Done)
            break;
        if (m_state == State::Drain) {
            const QByteArray dropped = m_socket->read(kBodyChunkBytes);
            m_drained += dropped.size();
            if (m_drained > limits().drainBytes) {
                m_state = State::Done;
                m_socket->abort();
                break;
            }
            if (dropped.isEmpty())
                break;
            continue;
        }
        const bool pulled = pullInput();
        if (m_state == State::Head) {
            if (m_inPos == m_in.size()) {
                if (!pulled)
                    break;
                continue;
            }
            if (m_deadline == Deadline::Idle)
                setDeadline(Deadline::HeadTimeout, limits().headTimeoutMs);
            const auto result =
                RequestHead::parse(m_in.constData() + m_inPos, m_in.size() - m_inPos, &m_head,
                                   limits().maxHeadBytes, limits().maxHeaders);
            if (result == RequestHead::ParseResult::Incomplete) {
                if (!pulled)
                    break;
                continue;
            }
            if (result == RequestHead::ParseResult::TooLarge) {
                m_chunked = false;
                m_bodyRemaining = 0;
                refuse(413, "request head too large\n", {}, true);
                break;
            }
            if (result == RequestHead::ParseResult::Malformed) {
                m_chunked = false;
                m_bodyRemaining = 0;
                refuse(400, "malformed request\n", {}, true);
                break;
            }
            m_inPos += m_head.headSize;
            if (!startRequest())
                continue; // refused (and perhaps discarding its body) or upgraded
            continue;
        }
        if (m_state == State::Body || m_state == State::Discard) {
            if (!readBody()) {
                if (!pulled && m_inPos == m_in.size())
                    break;
                continue;
            }
            if (m_state == State::Discard) {
                m_state = State::Head;
                m_bodyRemaining = 0;
                setDeadline(Deadline::Idle, limits().idleTimeoutMs);
                continue;
            }
            dispatch();
            continue;
        }
        break;
    }
    m_inProcess = false;
}

bool HttpConnection::startRequest()
{
    ++m_sequence;
    m_endpoint = nullptr;
    m_bodyReceived = 0;
    m_bodyRemaining = 0;
    m_chunked = false;
    m_chunkState = ChunkState::Size;
    m_chunkRemaining = 0;
    m_keepAlive = m_head.keepAlive();
    m_headRequest = m_head.method == "HEAD";
    m_cors.clear();

    const QByteArray rawPath = m_head.rawPath();
    m_request = ApiRequest();
    m_request.method = m_head.method;
    m_request.path = decodedPath(rawPath);
    m_request.rawQuery = m_head.rawQuery();
    m_request.url =
        QUrl::fromEncoded("http://localhost" + rawPath +
                          (m_request.rawQuery.isEmpty() ? QByteArray() : '?' + m_request.rawQuery));
    m_request.headers = m_head.headers;
    m_request.peer = m_socket->peerAddress();
    m_request.connection = this;
    m_apiPath = m_request.path.startsWith(QLatin1String("/api/"));

    RequestHead::Framing framing;
    const bool framingOk = m_head.framing(&framing);
    m_chunked = framing.chunked;
    m_bodyRemaining = framing.contentLength;
    const bool hasBody = m_chunked || m_bodyRemaining > 0;

    // What cannot be answered safely closes the connection: a body we cannot frame would be
    // read as the next request.
    if (!framingOk)
        return refuse(framing.status, framing.error + '\n', {}, true), false;
    const int hosts = m_head.headerCount("host");
    if (hosts > 1)
        return refuse(400, "more than one Host header\n", {}, true), false;
    if (hosts == 0 && m_head.isHttp11())
        return refuse(400, "missing required Host header\n", {}, true), false;
    const QByteArray authority = m_head.absoluteAuthority();
    if (!isValidHostHeader(m_head.header("host")) ||
        (!authority.isEmpty() && !isValidHostHeader(authority)))
        return refuse(400, "malformed Host header\n", {}, true), false;
    if (m_head.target == "*" && m_head.method != "OPTIONS")
        return refuse(400, "malformed request\n", {}, true), false;

    // Refusals from here leave the connection usable when the body is small enough to skip.
    auto refuseAndSkip = [this, hasBody](int status, const QByteArray &text,
                                         const HeaderList &headers = {}) {
        const bool small = !m_chunked && m_bodyRemaining <= kMaxDiscardBytes;
        if (!hasBody || !small) {
            refuse(status, text, headers, hasBody);
            return false;
        }
        refuse(status, text, headers, false);
        if (m_state == State::Head) {
            m_state = State::Discard;
            m_bodyLimit = m_bodyRemaining;
            setDeadline(Deadline::BodyTimeout, limits().requestTimeoutMs);
        }
        return false;
    };

    RequestGuard *guard = m_server->guard();
    GuardInput input{m_request.method,
                     m_request.url,
                     m_request.headers,
                     m_request.peer,
                     m_head.isWebSocketUpgrade(),
                     authority.isEmpty() ? QByteArray() : authority};
    if (m_head.method == "OPTIONS") {
        // Preflight: Host is still checked; CORS headers only for allowed origins.
        GuardInput hostOnly = input;
        hostOnly.method = "GET";
        hostOnly.upgrade = false;
        const GuardDecision host = guard->check(hostOnly, false);
        if (!host.passed())
            return refuseAndSkip(host.status, host.body, host.headers);
        ApiResponse preflight = ApiResponse::raw(QByteArray(), QByteArray(), 204);
        preflight.headers = guard->preflightHeaders(input);
        if (hasBody)
            return refuseAndSkip(204, QByteArray(), preflight.headers);
        send(preflight, !m_keepAlive);
        return false;
    }

    const Router::Route *route = m_server->router()->find(m_request.path);
    const bool needsAuth =
        route && route->access == Router::Access::Token && Router::pathRequiresAuth(m_request.path);
    const GuardDecision decision = guard->check(input, needsAuth);
    if (!decision.passed()) {
        if (input.upgrade)
            return refuse(decision.status, decision.body, decision.headers, true), false;
        return refuseAndSkip(decision.status, decision.body, decision.headers);
    }
    m_cors = guard->corsHeaders(m_request.header("origin"));

    if (input.upgrade) {
        upgrade(route);
        return false;
    }
    if (!route)
        return refuseAndSkip(404, "404 page not found\n");
    m_endpoint = route->endpoint(m_request.method);
    if (!m_endpoint)
        return refuseAndSkip(405, "method not allowed\n");
    if (m_endpoint->webSocketHandler)
        return refuseAndSkip(400, "this endpoint needs a WebSocket upgrade\n");

    m_bodyLimit = m_endpoint->streamHandler ? m_endpoint->maxBodyBytes : limits().maxBodyBytes;
    if (!m_chunked && m_bodyRemaining > m_bodyLimit) {
        const QByteArray text = m_endpoint->streamHandler
                                    ? "upload too large (limit " +
                                          QByteArray::number(m_bodyLimit / (1024 * 1024)) +
                                          " MiB)\n"
                                    : QByteArrayLiteral("request body too large\n");
        refuse(413, text, {}, true);
        return false;
    }
    if (m_endpoint->streamHandler) {
        if (!m_chunked && m_head.headerCount("content-length") == 0)
            return refuseAndSkip(411, "an upload needs a Content-Length\n");
        try {
            m_sink = m_endpoint->streamHandler(m_request);
        } catch (const ApiError &error) {
            const ApiResponse refusal = ApiResponse::fromError(error);
            return refuseAndSkip(refusal.status, refusal.body, refusal.headers);
        }
    }
    if (hasBody && m_head.header("expect").toLower() == "100-continue")
        m_socket->write(ResponseWriter::continueLine());
    m_state = State::Body;
    setDeadline(Deadline::BodyTimeout, limits().requestTimeoutMs);
    if (!hasBody) {
        dispatch();
        return true;
    }
    return true;
}

bool HttpConnection::consumeChunked()
{
    // Returns true once the last chunk and the trailers are read.
    while (m_inPos < m_in.size()) {
        if (m_chunkState == ChunkState::Data) {
            const qint64 take = qMin<qint64>(m_chunkRemaining, m_in.size() - m_inPos);
            if (m_state == State::Body) {
                if (m_sink) {
                    try {
                        m_sink->write(m_in.constData() + m_inPos, take);
                    } catch (const ApiError &error) {
                        abortSink();
                        send(ApiResponse::fromError(error), true);
                        return false;
                    }
                } else {
                    m_request.body.append(m_in.constData() + m_inPos, take);
                }
            }
            m_inPos += take;
            m_chunkRemaining -= take;
            if (m_chunkRemaining == 0)
                m_chunkState = ChunkState::DataEnd;
            continue;
        }
        const qsizetype nl = m_in.indexOf('\n', m_inPos);
        if (nl < 0) {
            if (m_in.size() - m_inPos > 4096) {
                refuse(400, "malformed chunked body\n", {}, true);
                return false;
            }
            return false;
        }
        QByteArray line = m_in.mid(m_inPos, nl - m_inPos);
        m_inPos = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (m_chunkState == ChunkState::DataEnd) {
            if (!line.isEmpty()) {
                refuse(400, "malformed chunked body\n", {}, true);
                return false;
            }
            m_chunkState = ChunkState::Size;
            continue;
        }
        if (m_chunkState == ChunkState::Trailer) {
            if (line.isEmpty())
                return true;
            continue;
        }
        // A size line: hex digits, then optional extensions.
        const qsizetype semicolon = line.indexOf(';');
        const QByteArray digits = (semicolon < 0 ? line : line.left(semicolon)).trimmed();
        bool ok = !digits.isEmpty() && digits.size() <= 15;
        const qint64 size = ok ? digits.toLongLong(&ok, 16) : 0;
        if (!ok || size < 0) {
            refuse(400, "malformed chunked body\n", {}, true);
            return false;
        }
        m_bodyReceived += size;
        if (m_bodyReceived > m_bodyLimit) {
            abortSink();
            refuse(413, "request body too large\n", {}, true);
            return false;
        }
        if (size == 0) {
            m_chunkState = ChunkState::Trailer;
        } else {
            m_chunkState = ChunkState::Data;
            m_chunkRemaining = size;
        }
    }
    return false;
}

bool HttpConnection::readBody()
{
    if (m_state == State::Discard) {
        const qint64 take = qMin<qint64>(m_bodyLimit, m_in.size() - m_inPos);
        m_inPos += take;
        m_bodyLimit -= take;
        return m_bodyLimit == 0;
    }
    if (m_chunked)
        return consumeChunked();
    const qint64 take = qMin<qint64>(m_bodyRemaining, m_in.size() - m_inPos);
    if (take > 0) {
        if (m_sink) {
            try {
                m_sink->write(m_in.constData() + m_inPos, take);
            } catch (const ApiError &error) {
                m_inPos += take;
                m_bodyRemaining -= take;
                abortSink();
                send(ApiResponse::fromError(error), true);
                return false;
            }
        } else {
            if (m_request.body.isEmpty())
                m_request.body.reserve(m_bodyRemaining);
            m_request.body.append(m_in.constData() + m_inPos, take);
        }
        m_inPos += take;
        m_bodyRemaining -= take;
    }
    return m_bodyRemaining == 0;
}

void HttpConnection::dispatch()
{
    m_state = State::Handling;
    setDeadline(Deadline::None, 0);
    const quint64 sequence = m_sequence;
    QPointer<HttpConnection> self(this);
    Reply reply([self, sequence](const ApiResponse &response) {
        if (self && self->m_sequence == sequence && self->m_state == State::Handling)
            self->answer(response);
    });
    try {
        if (m_sink) {
            // Kept until its answer is out: finishing may take a turn of the thread pool.
            m_finishingSink = std::move(m_sink);
            m_finishingSink->finish(reply);
        } else if (m_endpoint->asyncHandler) {
            m_endpoint->asyncHandler(m_request, reply);
        } else {
            reply(m_endpoint->handler(m_request));
        }
    } catch (const ApiError &error) {
        reply(error);
    } catch (const std::exception &error) {
        qCCritical(lcHttp).noquote()
            << "handler for" << m_request.path << "failed:" << error.what();
        reply(ApiResponse::text(QStringLiteral("internal error"), 500));
    }
    m_request.body.clear();
}

void HttpConnection::answer(const ApiResponse &response)
{
    send(response, !m_keepAlive);
    if (!m_inProcess)
        process(); // pipelined requests waiting behind an answer given later
}

void HttpConnection::refuse(int status, const QByteArray &text, const HeaderList &headers,
                            bool close)
{
    ApiResponse response = ApiResponse::raw(
        text, text.isEmpty() ? QByteArray() : QByteArrayLiteral("text/plain; charset=utf-8"),
        status);
    response.headers = headers;
    send(response, close || !m_keepAlive);
}

void HttpConnection::send(const ApiResponse &response, bool close)
{
    if (!m_socket || m_state == State::Closing || m_state == State::Done || m_state == State::Drain)
        return;
    ResponseWriter::Context context;
    context.headRequest = m_headRequest;
    context.apiPath = m_apiPath;
    context.close = close;
    context.http10KeepAlive = !close && !m_head.isHttp11();
    context.cors = m_cors;
    m_out.clear();
    ResponseWriter::serialize(m_out, response, context);
    m_socket->write(m_out);
    // Written now, not on the next turn of the loop.
    m_socket->flush();
    if (m_out.capacity() > 64 * 1024)
        m_out = QByteArray();
    finishExchange(close);
}

void HttpConnection::finishExchange(bool close)
{
    if (m_finishingSink) {
        // Freed after the call that answered has returned (it may be the sink's own).
        std::shared_ptr<RequestBodySink> sink(std::move(m_finishingSink));
        QMetaObject::invokeMethod(
            m_server, [sink] {}, Qt::QueuedConnection);
    }
    m_endpoint = nullptr;
    m_request = ApiRequest();
    if (close) {
        const bool unreadBody = (m_state == State::Body || m_state == State::Head) &&
                                (m_chunked || m_bodyRemaining > 0);
        if (unreadBody) {
            // The client may still be sending the body we refused: read and drop it for a while,
            // so it does not get a reset instead of our answer.
            startDrain();
            return;
        }
        m_state = State::Closing;
        setDeadline(Deadline::Flush, kFlushTimeoutMs);
        if (m_socket->bytesToWrite() == 0) {
            m_state = State::Done;
            m_socket->disconnectFromHost();
        }
        return;
    }
    m_state = State::Head;
    setDeadline(Deadline::Idle, limits().idleTimeoutMs);
    if (m_socket->bytesToWrite() > limits().maxQueuedBytes)
        m_paused = true; // the client does not read: read nothing more from it until it does
}

void HttpConnection::startDrain()
{
    m_state = State::Drain;
    m_drained = m_in.size() - m_inPos;
    m_in.clear();
    m_inPos = 0;
    setDeadline(Deadline::Drain, limits().drainTimeoutMs);
    if (m_socket->bytesToWrite() == 0)
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
}

void HttpConnection::upgrade(const Router::Route *route)
{
    if (!route || !route->isWebSocket())
        return refuse(404, "404 page not found\n", {}, true);
    if (m_head.method != "GET")
        return refuse(405, "method not allowed\n", {}, true);
    if (m_head.header("sec-websocket-version").trimmed() != "13")
        return refuse(426, "unsupported WebSocket version\n", {{"Sec-WebSocket-Version", "13"}},
                      true);
    const QByteArray key = m_head.header("sec-websocket-key").trimmed();
    if (QByteArray::fromBase64(key).size() != 16)
        return refuse(400, "invalid Sec-WebSocket-Key\n", {}, true);
    if (m_chunked || m_bodyRemaining > 0)
        return refuse(400, "an upgrade request has no body\n", {}, true);
    if (!m_server->canUpgrade()) {
        static LogThrottle throttle;
        throttle.log(lcHttp(), QtWarningMsg,
                     QStringLiteral("WebSocket limit reached, refusing a client"),
                     QStringLiteral("WebSocket clients refused"));
        return refuse(503, "too many WebSocket connections\n", {{"Retry-After", "1"}}, true);
    }
    ApiResponse switching = ApiResponse::raw(QByteArray(), QByteArray(), 101);
    switching.headers = {{"Upgrade", "websocket"},
                         {"Sec-WebSocket-Accept", WebSocket::acceptKey(key)}};
    ResponseWriter::Context context;
    context.upgrade = true;
    m_out.clear();
    ResponseWriter::serialize(m_out, switching, context);
    m_socket->write(m_out);
    m_socket->flush();

    const Router::Endpoint *endpoint = route->endpoint("GET");
    QTcpSocket *socket = m_socket;
    disconnect(socket, nullptr, this, nullptr);
    m_socket = nullptr;
    auto *webSocket =
        new WebSocket(socket, m_in.mid(m_inPos), m_request.url, limits().webSocket, m_server);
    m_in.clear();
    m_inPos = 0;
    ApiRequest request = m_request;
    request.connection = webSocket;
    m_server->adoptWebSocket(this, webSocket);
    m_state = State::Done;
    end();
    endpoint->webSocketHandler(webSocket, request);
}
