#pragma once

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QPointer>

class ILinkClient;
class QNetworkReply;
class QTimer;
class WeixinAccounts;

// The long polls of the Weixin channel (spec/channels.md §2.7): one getupdates at a time per
// account, resumed from the account's cursor, with back-off after failures (3 in a row: the
// long back-off) and the one-hour pause after a session-expired answer (-14). An idle poll that
// runs out is not a failure. New messages go out through messages().
class WeixinPoller : public QObject
{
    Q_OBJECT

public:
    WeixinPoller(ILinkClient *client, WeixinAccounts *accounts, QObject *parent = nullptr);
    ~WeixinPoller() override;
    // Long-poll timeout, retry after a failure, back-off after 3 failures in a row, and how
    // often a paused channel looks at the clock again.
    void setTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs);
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // One poll per account with a token; accounts that went away lose theirs.
    void sync();

Q_SIGNALS:
    void messages(const QString &botId, const QJsonArray &messages);

private:
    struct Poll
    {
        QPointer<QNetworkReply> reply;
        QTimer *timer = nullptr;
        int failures = 0;
        int timeoutMs = 35000;
    };
    void poll(const QString &botId);
    void schedule(const QString &botId, int delayMs);
    void drop(Poll &poll);

    ILinkClient *m_client;
    WeixinAccounts *m_accounts;
    QHash<QString, Poll> m_polls; // by bot_id
    bool m_running = false;
    int m_pollTimeoutMs = 35000;
    int m_retryMs = 2000;
    int m_backoffMs = 30000;
    int m_pauseCheckMs = 60000;
};
