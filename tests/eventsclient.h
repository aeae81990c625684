#pragma once

#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QUrl>
#include <QWebSocket>

// A client of /api/events/live that records every message.
class EventsClient
{
public:
    bool open(quint16 port, const QByteArray &token)
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived,
                         [this](const QString &message) {
                             m_messages.append(QJsonDocument::fromJson(message.toUtf8()).object());
                         });
        m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                               .arg(port)
                               .arg(QString::fromLatin1(token))));
        return waitFor([this] { return !m_messages.isEmpty(); }) &&
               m_messages.first() == QJsonObject{{"type", "ready"}};
    }
    // The first message of `type` after `from`, waiting for it.
    QJsonObject next(const QString &type, int timeoutMs = 3000)
    {
        QJsonObject found;
        waitFor(
            [&] {
                for (qsizetype i = m_seen; i < m_messages.size(); ++i) {
                    if (m_messages.at(i).value("type").toString() == type) {
                        found = m_messages.at(i);
                        m_seen = i + 1;
                        return true;
                    }
                }
                return false;
            },
            timeoutMs);
        return found;
    }
    int count(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &message : m_messages)
            n += message.value("type").toString() == type;
        return n;
    }
    ~EventsClient() { QObject::disconnect(&m_socket, nullptr, nullptr, nullptr); }

private:
    QList<QJsonObject> m_messages;
    qsizetype m_seen = 0;
    QWebSocket m_socket;
};
