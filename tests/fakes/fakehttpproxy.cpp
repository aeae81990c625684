#include "fakehttpproxy.h"

#include <QPointer>
#include <QTcpSocket>
#include <QUrl>
#include <memory>

FakeHttpProxy::FakeHttpProxy(QObject *parent) : QTcpServer(parent)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, &FakeHttpProxy::onConnection);
}

void FakeHttpProxy::onConnection()
{
    while (QTcpSocket *client = nextPendingConnection()) {
        auto buffer = std::make_shared<QByteArray>();
        auto upstream = std::make_shared<QPointer<QTcpSocket>>();
        connect(client, &QTcpSocket::readyRead, client, [this, client, buffer, upstream] {
            buffer->append(client->readAll());
            if (*upstream) {
                (*upstream)->write(*buffer);
                buffer->clear();
                return;
            }
            const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            QByteArray head = buffer->left(headEnd + 4);
            const QByteArray rest = buffer->mid(headEnd + 4);
            buffer->clear();
            const qsizetype lineEnd = head.indexOf("\r\n");
            const QByteArray requestLine = head.left(lineEnd);
            m_requestLines.append(requestLine);
            const QList<QByteArray> parts = requestLine.split(' ');
            const QUrl target = QUrl::fromEncoded(parts.value(1));
            // Origin-form towards the server.
            QByteArray path = target.path(QUrl::FullyEncoded).toUtf8();
            if (target.hasQuery())
                path += '?' + target.query(QUrl::FullyEncoded).toUtf8();
            head = parts.value(0) + ' ' + path + ' ' + parts.value(2) + head.mid(lineEnd);
            auto *server = new QTcpSocket(client);
            *upstream = server;
            connect(server, &QTcpSocket::connected, server,
                    [server, head, rest] { server->write(head + rest); });
            connect(server, &QTcpSocket::readyRead, client,
                    [server, client] { client->write(server->readAll()); });
            connect(server, &QTcpSocket::disconnected, client,
                    [client] { client->disconnectFromHost(); });
            server->connectToHost(target.host(), quint16(target.port(80)));
        });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
    }
}
