#pragma once

#include <QObject>
#include <QPointer>
#include <functional>

class QTcpSocket;
class QTimer;
struct RequestHead;

struct ConnectionLimits
{
    qint64 maxHeadBytes = 64 * 1024;
    int maxHeaders = 100;
    qint64 maxBodyBytes = 4 * 1024 * 1024;
    int maxConnections = 256;
    int headTimeoutMs = 15 * 1000;    // from a request's first byte to its complete head
    int requestTimeoutMs = 60 * 1000; // from a request's first byte to its answer
    int idleTimeoutMs = 120 * 1000;   // keep-alive connection with no traffic
};

// Watches one HTTP connection after it is handed to QHttpServer, which has no limits of its
// own: it counts the bytes of each request (413 past the head/body limits, before they are
// buffered), and closes slow or idle connections (408).
class ConnectionMonitor : public QObject
{
    Q_OBJECT

public:
    // Offered every new request head on this connection; returns true when it took the socket
    // over (the monitor then lets go of it).
    using Takeover = std::function<bool(QTcpSocket *socket, const RequestHead &head)>;

    ConnectionMonitor(QTcpSocket *socket, const ConnectionLimits &limits, QObject *parent);
    void setTakeover(Takeover takeover) { m_takeover = std::move(takeover); }
    // Called when a complete request goes to its handler.
    void requestDispatched();
    // Called when an answer has been written: the next bytes start a new request.
    void requestFinished();
    // Stop watching (the socket became a WebSocket).
    void detach();

private:
    void onReadyRead();
    void onRequestTimeout();
    void reject(int status, const QByteArray &body);

    QPointer<QTcpSocket> m_socket;
    ConnectionLimits m_limits;
    Takeover m_takeover;
    qint64 m_requestBytes = 0;
    bool m_headSeen = false;
    QTimer *m_requestTimer;
    QTimer *m_idleTimer;
};
