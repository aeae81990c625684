#include "connectionmonitor.h"

#include "apiserver.h"
#include "core/logcategories.h"
#include "requesthead.h"

#include <QTcpSocket>
#include <QTimer>

ConnectionMonitor::ConnectionMonitor(QTcpSocket *socket, const ConnectionLimits &limits,
                                     QObject *parent)
    : QObject(parent), m_socket(socket), m_limits(limits), m_requestTimer(new QTimer(this)),
      m_idleTimer(new QTimer(this))
{
    m_requestTimer->setSingleShot(true);
    m_idleTimer->setSingleShot(true);
    m_idleTimer->setInterval(limits.idleTimeoutMs);
    connect(m_requestTimer, &QTimer::timeout, this, &ConnectionMonitor::onRequestTimeout);
    connect(m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_socket && m_requestBytes == 0)
            m_socket->disconnectFromHost();
        else
            m_idleTimer->start();
    });
    // Connected before QHttpServer's own slot, so this runs first on every readyRead.
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionMonitor::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, m_idleTimer, qOverload<>(&QTimer::start));
    connect(socket, &QObject::destroyed, this, &QObject::deleteLater);
    m_idleTimer->start();
}

void ConnectionMonitor::detach()
{
    if (m_socket)
        disconnect(m_socket, nullptr, this, nullptr);
    m_socket = nullptr;
    deleteLater();
}

void ConnectionMonitor::requestDispatched()
{
    m_requestTimer->stop();
}

void ConnectionMonitor::requestFinished()
{
    m_requestBytes = 0;
    m_headSeen = false;
    m_requestTimer->stop();
    m_idleTimer->start();
}

void ConnectionMonitor::onReadyRead()
{
    if (!m_socket)
        return;
    m_idleTimer->start();
    const qint64 available = m_socket->bytesAvailable();
    if (m_requestBytes == 0 && available > 0) {
        m_requestTimer->start(m_limits.headTimeoutMs);
    }
    m_requestBytes += available;
    if (!m_headSeen) {
        RequestHead head;
        switch (RequestHead::parse(m_socket->peek(m_limits.maxHeadBytes + 4), &head,
                                   m_limits.maxHeadBytes, m_limits.maxHeaders)) {
        case RequestHead::ParseResult::TooLarge:
            reject(413, "request head too large\n");
            return;
        case RequestHead::ParseResult::Complete: {
            m_headSeen = true;
            // A request that streams its body elsewhere (uploads) leaves QHttpServer out.
            if (m_requestBytes == available && m_takeover && m_takeover(m_socket, head))
                return;
            m_requestTimer->start(m_limits.requestTimeoutMs);
            bool ok = false;
            const qint64 length = head.header("content-length").toLongLong(&ok);
            if (ok && length > m_limits.maxBodyBytes) {
                reject(413, "request body too large\n");
                return;
            }
            break;
        }
        default:
            // Incomplete, or a part of the head was already consumed: the byte count decides.
            break;
        }
    }
    if (m_requestBytes > m_limits.maxHeadBytes + m_limits.maxBodyBytes)
        reject(413, "request too large\n");
}

void ConnectionMonitor::onRequestTimeout()
{
    if (!m_socket)
        return;
    qCInfo(lcHttp).noquote() << "closing a slow connection from"
                             << m_socket->peerAddress().toString();
    reject(408, "request timeout\n");
}

void ConnectionMonitor::reject(int status, const QByteArray &body)
{
    QTcpSocket *socket = m_socket;
    if (!socket)
        return;
    // Nobody else may read this request any more: drop QHttpServer's slots too.
    disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
    m_requestTimer->stop();
    writeRawHttpError(socket, status, body);
    socket->readAll();
}
