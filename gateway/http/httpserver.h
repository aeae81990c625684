#pragma once

#include "websocket.h"

#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>

class HttpConnection;
class QTcpServer;
class RequestGuard;
class Router;

struct ConnectionLimits
{
    qint64 maxHeadBytes = 64 * 1024;
    int maxHeaders = 100;
    qint64 maxBodyBytes = 4 * 1024 * 1024;
    int maxConnections = 256;      // HTTP connections, uploads included
    int maxWebSockets = 1536;      // upgraded connections, counted on their own
    int headTimeoutMs = 15 * 1000; // from accept (or a request's first byte) to its complete head
    int requestTimeoutMs = 60 * 1000; // from a request's first byte to its complete body
    int idleTimeoutMs = 120 * 1000;   // keep-alive connection between requests
    // Unsent answer bytes past which a connection stops reading further (pipelined) requests
    // until the client reads.
    qint64 maxQueuedBytes = 1024 * 1024;
    // After refusing a body (413), how much more of it is read and dropped, and for how long,
    // so a client that does not wait for "100 Continue" still sees the answer.
    qint64 drainBytes = 64 * 1024 * 1024;
    int drainTimeoutMs = 10 * 1000;
    WebSocket::Limits webSocket;
};

// The one listening port (DESIGN.md, the request path): accepts connections, serves HTTP/1.1 on
// each through an HttpConnection (guards, routing, one answer path), and keeps the upgraded
// WebSockets. Counts every connection against its limit from accept on, and times them out with
// one sweeping timer (no timer per request).
class HttpServer final : public QObject
{
    Q_OBJECT

public:
    HttpServer(RequestGuard *guard, Router *router, QObject *parent = nullptr);
    ~HttpServer() override;

    void setLimits(const ConnectionLimits &limits);
    const ConnectionLimits &limits() const { return m_limits; }
    // Binds (or rebinds: the old listener closes only once the new one is up).
    bool listen(const QString &host, quint16 port, QString *error);
    void close();
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    bool isLoopbackListener() const;
    int openConnections() const { return int(m_connections.size()); }
    int openWebSockets() const { return int(m_webSockets.size()); }
    RequestGuard *guard() const { return m_guard; }
    Router *router() const { return m_router; }

    // Called by a connection that upgraded: the WebSocket now counts on its own.
    bool canUpgrade() const { return openWebSockets() < m_limits.maxWebSockets; }
    void adoptWebSocket(HttpConnection *from, WebSocket *socket);

private:
    void onPendingConnections();
    void sweep();
    void removeConnection(HttpConnection *connection);

    RequestGuard *m_guard;
    Router *m_router;
    ConnectionLimits m_limits;
    QTcpServer *m_listener = nullptr;
    QSet<HttpConnection *> m_connections;
    QSet<WebSocket *> m_webSockets;
    QTimer m_sweep;
};
