#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QString>

class QTimer;
class WebSocket;

// One request travelling over the relay: head() once, bytes() any number of times, then
// finished() once (an empty error for success). Owned by the caller; deleting it abandons the
// request (a late answer is logged and dropped).
class RelayExchange : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    QString id() const { return m_id; }

Q_SIGNALS:
    void head(int status, const QList<QPair<QByteArray, QByteArray>> &headers);
    void bytes(const QByteArray &data);
    void finished(const QString &error, int status);

private:
    friend class AiStudioRelay;
    QString m_id;
    bool m_headSent = false;
};

// The AI Studio relay (spec/api.md §20): a browser-side helper connects to GET /v1/ws (as
// authenticated as /api/*) and performs the provider's HTTP requests for us. Requests go out as
// `http_request` messages; answers come back as `http_response`, or `stream_start`,
// `stream_chunk`… `stream_end`, or `error`, correlated by id. One connection per provider name:
// a new one replaces the old. Pending requests fail when their connection closes; pings keep the
// connection alive, and one that stays silent past the read deadline is closed.
class AiStudioRelay : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 kMaxMessageBytes = 64 * 1024 * 1024;

    explicit AiStudioRelay(QObject *parent = nullptr);
    ~AiStudioRelay() override;

    void setIntervals(int pingMs, int readDeadlineMs); // tests
    // Provider names are matched without regard to case (the route lower-cases them).
    void attach(const QString &provider, WebSocket *socket);
    bool isConnected(const QString &provider) const;
    QStringList connectedProviders() const;

    // Sends one request over the provider's connection. Null, with `error` set, when no helper
    // is connected.
    RelayExchange *send(const QString &provider, const QByteArray &method, const QString &url,
                        const QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &body,
                        QObject *owner, QString *error);

Q_SIGNALS:
    void connected(const QString &provider);
    void disconnected(const QString &provider);

private:
    struct Connection
    {
        QPointer<WebSocket> socket;
        QTimer *ping = nullptr;
        QTimer *deadline = nullptr;
        QHash<QString, QPointer<RelayExchange>> pending;
    };
    void onMessage(const QString &provider, WebSocket *socket, const QString &text);
    void drop(const QString &provider, WebSocket *socket, const QString &reason);

    QHash<QString, Connection> m_connections;
    int m_pingMs = 30000;
    int m_deadlineMs = 60000;
};
