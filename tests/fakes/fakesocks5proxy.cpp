#include "fakesocks5proxy.h"

#include <QHostAddress>
#include <QPointer>
#include <QTcpSocket>
#include <QtEndian>
#include <memory>

namespace {

enum class Stage
{
    Greeting,
    Auth,
    Request,
    Relay
};

struct Session
{
    Stage stage = Stage::Greeting;
    QByteArray buffer;
    QString user, password;
    QPointer<QTcpSocket> upstream;
};

} // namespace

FakeSocks5Proxy::FakeSocks5Proxy(QObject *parent) : QTcpServer(parent)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, &FakeSocks5Proxy::onConnection);
}

void FakeSocks5Proxy::onConnection()
{
    while (QTcpSocket *client = nextPendingConnection()) {
        auto session = std::make_shared<Session>();
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(client, &QTcpSocket::readyRead, client, [this, client, session] {
            QByteArray &in = session->buffer;
            in.append(client->readAll());
            if (session->stage == Stage::Greeting) {
                // VER NMETHODS METHODS…: pick username/password when offered, else none.
                if (in.size() < 2 || in.size() < 2 + quint8(in[1]))
                    return;
                const QByteArray methods = in.mid(2, quint8(in[1]));
                in.remove(0, 2 + methods.size());
                const bool auth = methods.contains('\x02');
                client->write(QByteArray("\x05", 1) + (auth ? '\x02' : '\x00'));
                session->stage = auth ? Stage::Auth : Stage::Request;
            }
            if (session->stage == Stage::Auth) {
                // VER ULEN UNAME PLEN PASSWD
                if (in.size() < 2 || in.size() < 3 + quint8(in[1]))
                    return;
                const int userLength = quint8(in[1]);
                const int passwordLength = quint8(in[2 + userLength]);
                if (in.size() < 3 + userLength + passwordLength)
                    return;
                session->user = QString::fromUtf8(in.mid(2, userLength));
                session->password = QString::fromUtf8(in.mid(3 + userLength, passwordLength));
                in.remove(0, 3 + userLength + passwordLength);
                client->write(QByteArray("\x01\x00", 2));
                session->stage = Stage::Request;
            }
            if (session->stage == Stage::Request) {
                // VER CMD RSV ATYP DST.ADDR DST.PORT
                if (in.size() < 5)
                    return;
                const quint8 type = quint8(in[3]);
                int addressLength = type == 1 ? 4 : type == 4 ? 16 : 1 + quint8(in[4]);
                if (in.size() < 4 + addressLength + 2)
                    return;
                Connect request;
                QString host;
                if (type == 3) {
                    host = QString::fromUtf8(in.mid(5, quint8(in[4])));
                    request.byName = true;
                } else if (type == 1) {
                    host = QHostAddress(qFromBigEndian<quint32>(in.constData() + 4)).toString();
                } else {
                    host = QHostAddress(reinterpret_cast<const quint8 *>(in.constData() + 4))
                               .toString();
                }
                const quint16 port = qFromBigEndian<quint16>(in.constData() + 4 + addressLength);
                in.remove(0, 4 + addressLength + 2);
                request.target = QStringLiteral("%1:%2").arg(host).arg(port);
                request.user = session->user;
                request.password = session->password;
                m_connects << request;
                session->stage = Stage::Relay;
                auto *server = new QTcpSocket(client);
                session->upstream = server;
                connect(server, &QTcpSocket::connected, client, [client, server, session] {
                    client->write(QByteArray("\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x00", 10));
                    if (!session->buffer.isEmpty())
                        server->write(session->buffer);
                    session->buffer.clear();
                });
                connect(server, &QTcpSocket::readyRead, client,
                        [server, client] { client->write(server->readAll()); });
                connect(server, &QTcpSocket::disconnected, client,
                        [client] { client->disconnectFromHost(); });
                server->connectToHost(host, port);
                return;
            }
            if (session->stage == Stage::Relay && session->upstream &&
                session->upstream->state() == QAbstractSocket::ConnectedState) {
                session->upstream->write(in);
                in.clear();
            }
        });
    }
}
