#include "frontdoor.h"

#include "apiserver.h"
#include "core/logcategories.h"
#include "requestguard.h"
#include "requesthead.h"
#include "router.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketServer>

// A QTcpServer that never listens: QHttpServer takes its connections from here.
class HandoffServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;
    void handOff(QTcpSocket *socket)
    {
        addPendingConnection(socket);
        Q_EMIT newConnection();
    }
};

FrontDoor::FrontDoor(ApiServer *apiServer, RequestGuard *guard, Router *router, QObject *parent)
    : QObject(parent), m_apiServer(apiServer), m_guard(guard), m_router(router),
      m_handoff(new HandoffServer(this)),
      m_webSockets(
          new QWebSocketServer(QStringLiteral("clawgo"), QWebSocketServer::NonSecureMode, this))
{
    m_apiServer->bind(m_handoff);
    connect(m_webSockets, &QWebSocketServer::newConnection, this, &FrontDoor::onWebSocket);
    connect(m_apiServer, &ApiServer::requestReceived, this, [this](QTcpSocket *socket) {
        if (ConnectionMonitor *monitor = m_connections.value(socket))
            monitor->requestDispatched();
    });
    connect(m_apiServer, &ApiServer::requestHandled, this, [this](QTcpSocket *socket) {
        if (ConnectionMonitor *monitor = m_connections.value(socket))
            monitor->requestFinished();
    });
}

FrontDoor::~FrontDoor() = default;

void FrontDoor::setLimits(const ConnectionLimits &limits)
{
    m_limits = limits;
    m_apiServer->setMaxBodyBytes(limits.maxBodyBytes);
}

bool FrontDoor::listen(const QString &host, quint16 port, QString *error)
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
    connect(listener, &QTcpServer::pendingConnectionAvailable, this, &FrontDoor::onNewConnection);
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
    }
    m_listener = listener;
    return true;
}

void FrontDoor::close()
{
    if (m_listener) {
        m_listener->close();
        m_listener->deleteLater();
        m_listener = nullptr;
    }
}

bool FrontDoor::isListening() const
{
    return m_listener && m_listener->isListening();
}

QHostAddress FrontDoor::address() const
{
    return m_listener ? m_listener->serverAddress() : QHostAddress();
}

quint16 FrontDoor::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void FrontDoor::onNewConnection()
{
    auto *listener = qobject_cast<QTcpServer *>(sender());
    if (!listener)
        return;
    while (QTcpSocket *socket = listener->nextPendingConnection()) {
        socket->setParent(this); // outlives a listener closed by a rebind
        if (m_connections.size() >= m_limits.maxConnections) {
            qCWarning(lcHttp) << "connection limit reached, refusing a client";
            writeRawHttpError(socket, 503, "too many connections\n", {{"Retry-After", "1"}});
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            continue;
        }
        auto *monitor = new ConnectionMonitor(socket, m_limits, this);
        monitor->setTakeover(
            [this](QTcpSocket *s, const RequestHead &head) { return tryTakeover(s, head); });
        m_connections.insert(socket, monitor);
        connect(socket, &QObject::destroyed, this,
                [this, socket] { m_connections.remove(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onFirstBytes(socket); });
    }
}

void FrontDoor::onFirstBytes(QTcpSocket *socket)
{
    RequestHead head;
    const auto result = RequestHead::parse(socket->peek(m_limits.maxHeadBytes + 4), &head,
                                           m_limits.maxHeadBytes, m_limits.maxHeaders);
    switch (result) {
    case RequestHead::ParseResult::Incomplete:
        return; // the monitor's head timeout ends a client that never finishes
    case RequestHead::ParseResult::TooLarge:
        disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
        return; // the monitor (connected first) has already answered 413
    case RequestHead::ParseResult::Malformed:
        disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        writeRawHttpError(socket, 400, "malformed request\n");
        return;
    case RequestHead::ParseResult::Complete:
        break;
    }
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    if (tryTakeover(socket, head))
        return;
    if (head.isWebSocketUpgrade())
        upgrade(socket, head);
    else
        handOffToHttp(socket);
}

void FrontDoor::setTakeover(const QByteArray &method, const QString &path, TakeoverHandler handler)
{
    m_takeovers.insert(method + ' ' + path.toUtf8(), std::move(handler));
}

bool FrontDoor::tryTakeover(QTcpSocket *socket, const RequestHead &head)
{
    const auto it = m_takeovers.constFind(head.method + ' ' + head.url().path().toUtf8());
    if (it == m_takeovers.constEnd())
        return false;
    if (ConnectionMonitor *monitor = m_connections.value(socket))
        monitor->detach();
    m_connections.remove(socket);
    // Nobody else reads this socket from now on (QHttpServer included).
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    disconnect(socket, nullptr, this, nullptr);
    it.value()(socket, head);
    return true;
}

void FrontDoor::handOffToHttp(QTcpSocket *socket)
{
    m_handoff->handOff(socket);
    // The bytes were only peeked; let QHttpServer see them now that it listens.
    if (socket->bytesAvailable() > 0)
        Q_EMIT socket->readyRead();
}

void FrontDoor::upgrade(QTcpSocket *socket, const RequestHead &head)
{
    const QUrl url = head.url();
    const Router::Route *route = m_router->find(url.path());
    GuardInput input{head.method, url, head.headers, socket->peerAddress(), true};
    const bool needsAuth = route && Router::pathRequiresAuth(url.path());
    GuardDecision decision = m_guard->check(input, needsAuth);
    if (decision.passed() && (!route || !route->webSocketHandler))
        decision = GuardDecision{404, "404 page not found\n", {}};
    if (decision.passed() && head.method != "GET")
        decision = GuardDecision{405, "method not allowed\n", {}};
    if (!decision.passed()) {
        if (ConnectionMonitor *monitor = m_connections.value(socket))
            monitor->detach();
        disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
        writeRawHttpError(socket, decision.status, decision.body, decision.headers);
        return;
    }
    if (ConnectionMonitor *monitor = m_connections.value(socket))
        monitor->detach();
    m_connections.remove(socket);
    disconnect(socket, nullptr, this, nullptr);
    disconnect(socket, &QTcpSocket::disconnected, socket, nullptr);
    m_webSockets->handleConnection(socket);
}

void FrontDoor::onWebSocket()
{
    while (QWebSocket *socket = m_webSockets->nextPendingConnection()) {
        socket->setParent(this);
        socket->setMaxAllowedIncomingMessageSize(1024 * 1024);
        socket->setMaxAllowedIncomingFrameSize(1024 * 1024);
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        const QUrl url = socket->requestUrl();
        const Router::Route *route = m_router->find(url.path());
        if (!route || !route->webSocketHandler) {
            socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("not found"));
            continue;
        }
        ApiRequest request;
        request.method = "GET";
        request.url = url;
        request.query = QUrlQuery(url);
        request.peer = socket->peerAddress();
        route->webSocketHandler(socket, request);
    }
}
