#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QTcpServer>

// A minimal SOCKS5 proxy (RFC 1928, CONNECT only, with RFC 1929 username/password when the
// client offers it) on 127.0.0.1. Records what each client asked for, then relays the bytes.
class FakeSocks5Proxy : public QTcpServer
{
    Q_OBJECT

public:
    struct Connect
    {
        QString target;      // "host:port" as the client sent it
        bool byName = false; // the client sent a host name (remote DNS), not an address
        QString user;        // from the username/password sub-negotiation, if any
        QString password;
    };

    explicit FakeSocks5Proxy(QObject *parent = nullptr);
    quint16 port() const { return serverPort(); }
    const QList<Connect> &connects() const { return m_connects; }

private:
    void onConnection();
    QList<Connect> m_connects;
};
