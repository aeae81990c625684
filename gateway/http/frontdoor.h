#pragma once

#include "connectionmonitor.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <functional>

class ApiServer;
class HandoffServer;
class QTcpServer;
class QTcpSocket;
class QWebSocket;
class QWebSocketServer;
class RequestGuard;
class Router;

// The one listening port (DESIGN.md, the request path): accepts a connection, peeks at its
// first request head, checks WebSocket upgrades (Host, Origin, token, path) and hands them to
// QWebSocketServer, and hands everything else to the ApiServer.
class FrontDoor : public QObject
{
    Q_OBJECT

public:
    FrontDoor(ApiServer *apiServer, RequestGuard *guard, Router *router, QObject *parent = nullptr);
    ~FrontDoor() override;

    void setLimits(const ConnectionLimits &limits);
    // Requests with this method and path are handed, socket and all, to `handler` right after
    // their head (and the connection closes after its answer): for bodies that must stream.
    using TakeoverHandler = std::function<void(QTcpSocket *socket, const RequestHead &head)>;
    void setTakeover(const QByteArray &method, const QString &path, TakeoverHandler handler);
    const ConnectionLimits &limits() const { return m_limits; }
    // Binds (or rebinds: the old listener closes only once the new one is up).
    bool listen(const QString &host, quint16 port, QString *error);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    int openConnections() const { return m_connections.size(); }

private:
    void onNewConnection();
    void onFirstBytes(QTcpSocket *socket);
    void handOffToHttp(QTcpSocket *socket);
    void upgrade(QTcpSocket *socket, const struct RequestHead &head);
    void onWebSocket();
    bool tryTakeover(QTcpSocket *socket, const RequestHead &head);

    ApiServer *m_apiServer;
    RequestGuard *m_guard;
    Router *m_router;
    ConnectionLimits m_limits;
    QTcpServer *m_listener = nullptr;
    HandoffServer *m_handoff;
    QWebSocketServer *m_webSockets;
    QHash<QTcpSocket *, QPointer<ConnectionMonitor>> m_connections;
    QHash<QByteArray, TakeoverHandler> m_takeovers; // "METHOD path"
};
