#include "httpserver.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "core/logtext.h"
#include "httpconnection.h"
#include "responsewriter.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <sys/resource.h>

HttpServer::HttpServer(RequestGuard *guard, Router *router, QObject *parent)
    : QObject(parent), m_guard(guard), m_router(router)
{
    connect(&m_sweep, &QTimer::timeout, this, &HttpServer::sweep);
    setLimits(m_limits);
}

HttpServer::~HttpServer()
{
    // Connections are children; their sockets close with them.
    for (WebSocket *socket : std::as_const(m_webSockets))
        disconnect(socket, nullptr, this, nullptr);
    for (HttpConnection *connection : std::as_const(m_connections))
        disconnect(connection, nullptr, this, nullptr);
}

void HttpServer::setLimits(const ConnectionLimits &limitsIn)
{
    ConnectionLimits limits = limitsIn;
    // Every connection is a file descriptor: the caps stay below what the process may open,
    // with room for files, pipes and upstream connections, so a flood of clients can never
    // starve the rest (at 389 WebSockets /health once stopped answering).
    struct rlimit files;
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY) {
        const int budget = int(qMin<rlim_t>(files.rlim_cur, 1 << 20)) - 128;
        limits.maxConnections = qBound(1, limits.maxConnections, qMax(1, budget / 2));
        limits.maxWebSockets =
            qBound(1, limits.maxWebSockets, qMax(1, budget - limits.maxConnections));
    }
    m_limits = limits;
    // One timer checks every connection's deadline, often enough for the shortest timeout.
    const int shortest = qMin(qMin(limits.headTimeoutMs, limits.idleTimeoutMs),
                              qMin(limits.requestTimeoutMs, limits.drainTimeoutMs));
    m_sweep.setInterval(qBound(20, shortest / 4, 1000));
}

bool HttpServer::listen(const QString &host, quint16 port, QString *error)
{
    QHostAddress address;
    const QString trimmed = host.trimmed();
    if (trimmed.isEmpty() || trimmed == QLatin1String("0.0.0.0"))
        address = QHostAddress::AnyIPv4;
    else if (trimmed == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(trimmed)) {
        // Resolving a name would block the event loop, and a bind address is a local fact.
        *error =
            QStringLiteral("gateway.host must be an IP address or localhost, not %1").arg(trimmed);
        return false;
    }
    auto *listener = new QTcpServer(this);
    listener->setMaxPendingConnections(128);
    if (!listener->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(trimmed.isEmpty() ? QStringLiteral("0.0.0.0") : trimmed)
                     .arg(port)
                     .arg(listener->errorString());
        delete listener;
        return false;
    }
    connect(listener, &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onPendingConnections);
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
    }
    m_listener = listener;
    if (!m_sweep.isActive())
        m_sweep.start();
    return true;
}

void HttpServer::close()
{
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
        m_listener = nullptr;
    }
}

bool HttpServer::isListening() const
{
    return m_listener && m_listener->isListening();
}

QHostAddress HttpServer::address() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

quint16 HttpServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

bool HttpServer::isLoopbackListener() const
{
    return !m_listener || m_listener->serverAddress().isLoopback();
}

void HttpServer::onPendingConnections()
{
    auto *listener = qobject_cast<QTcpServer *>(sender());
    if (!listener)
        return;
    while (QTcpSocket *socket = listener->nextPendingConnection()) {
        if (m_connections.size() >= m_limits.maxConnections) {
            static LogThrottle throttle;
            throttle.log(lcHttp(), QtWarningMsg,
                         QStringLiteral("connection limit reached, refusing a client"),
                         QStringLiteral("clients refused"));
            QByteArray refusal;
            ResponseWriter::Context context;
            context.close = true;
            ResponseWriter::serialize(refusal,
                                      ApiResponse::text(QStringLiteral("too many connections"), 503)
                                          .withHeader("Retry-After", "1"),
                                      context);
            socket->setParent(this);
            socket->write(refusal);
            socket->flush();
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(5000, socket, [socket] { socket->abort(); });
            continue;
        }
        auto *connection = new HttpConnection(socket, this);
        m_connections.insert(connection);
        connect(connection, &HttpConnection::finished, this, &HttpServer::removeConnection);
    }
}

void HttpServer::removeConnection(HttpConnection *connection)
{
    m_connections.remove(connection);
}

void HttpServer::adoptWebSocket(HttpConnection *from, WebSocket *socket)
{
    m_connections.remove(from);
    m_webSockets.insert(socket);
    connect(socket, &WebSocket::disconnected, this,
            [this, socket] { m_webSockets.remove(socket); });
}

void HttpServer::sweep()
{
    const qint64 now = Clock::monotonicMs();
    // A copy: a connection that times out leaves the set.
    const QList<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections)
        connection->checkDeadline(now);
}
