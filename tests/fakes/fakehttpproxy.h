#pragma once

#include <QByteArray>
#include <QList>
#include <QTcpServer>

// A minimal forward HTTP proxy on 127.0.0.1 for plain-http targets: records each request line
// (absolute-form, as a client sends it to a proxy) and relays the exchange to the target.
class FakeHttpProxy : public QTcpServer
{
    Q_OBJECT

public:
    explicit FakeHttpProxy(QObject *parent = nullptr);
    quint16 port() const { return serverPort(); }
    const QList<QByteArray> &requestLines() const { return m_requestLines; }

private:
    void onConnection();
    QList<QByteArray> m_requestLines;
};
