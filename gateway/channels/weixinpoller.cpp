#include "weixinpoller.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "ilinkclient.h"
#include "weixinaccounts.h"

#include <QNetworkReply>
#include <QTimer>

WeixinPoller::WeixinPoller(ILinkClient *client, WeixinAccounts *accounts, QObject *parent)
    : QObject(parent), m_client(client), m_accounts(accounts)
{}

WeixinPoller::~WeixinPoller()
{
    stop();
}

void WeixinPoller::setTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs)
{
    m_pollTimeoutMs = pollTimeoutMs;
    m_retryMs = retryMs;
    m_backoffMs = backoffMs;
    m_pauseCheckMs = pauseCheckMs;
}

void WeixinPoller::start()
{
    if (m_running)
        return;
    m_running = true;
    sync();
}

void WeixinPoller::stop()
{
    m_running = false;
    for (Poll &poll : m_polls)
        drop(poll);
    m_polls.clear();
}

void WeixinPoller::drop(Poll &poll)
{
    // Cancelled, not aborted: its callback never runs into a poll that is gone.
    ILinkClient::cancel(poll.reply);
    delete poll.timer;
    poll.timer = nullptr;
}

void WeixinPoller::sync()
{
    for (auto it = m_polls.begin(); it != m_polls.end();) {
        if (!m_accounts->find(it.key()) || !m_running) {
            drop(*it);
            it = m_polls.erase(it);
        } else {
            ++it;
        }
    }
    if (!m_running)
        return;
    for (const WeixinAccount &account : m_accounts->all()) {
        if (m_polls.contains(account.botId) || account.botToken.isEmpty())
            continue; // a token still in the keychain gets its poll once read
        Poll &poll = m_polls[account.botId];
        poll.timeoutMs = m_pollTimeoutMs;
        poll.timer = new QTimer(this);
        poll.timer->setSingleShot(true);
        const QString botId = account.botId;
        connect(poll.timer, &QTimer::timeout, this, [this, botId] { this->poll(botId); });
        poll.timer->start(0);
    }
}

void WeixinPoller::schedule(const QString &botId, int delayMs)
{
    auto it = m_polls.find(botId);
    if (it != m_polls.end() && m_running)
        it->timer->start(qMax(0, delayMs));
}

void WeixinPoller::poll(const QString &botId)
{
    const WeixinAccount *acc = m_accounts->find(botId);
    if (!m_running || !acc || !m_polls.contains(botId))
        return;
    const qint64 now = Clock::nowMs();
    if (m_accounts->isPaused()) {
        // Paused after a session-expired answer: look at the clock again later.
        schedule(botId, int(qMin<qint64>(m_accounts->pausedUntilMs() - now, m_pauseCheckMs)));
        return;
    }
    const QJsonObject body{{"get_updates_buf", acc->getUpdatesBuf},
                           {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}};
    Poll &poll = m_polls[botId];
    poll.reply = m_client->post(
        m_accounts->baseUrl(), QStringLiteral("/ilink/bot/getupdates"), acc->botToken, body,
        QStringLiteral("getupdates"), this,
        [this, botId](const ILinkClient::Reply &reply) {
            WeixinAccount *acc = m_accounts->find(botId);
            if (!m_running || !acc || !m_polls.contains(botId))
                return;
            Poll &poll = m_polls[botId];
            acc->state.updatedAtMs = Clock::nowMs();
            if (!reply.ok && reply.error == QLatin1String("request timed out")) {
                // An idle long poll that ran out: not a failure (the reference counted it as one).
                return schedule(botId, 0);
            }
            if (!reply.ok) {
                acc->state.connected = false;
                acc->state.lastEvent = QStringLiteral("error");
                acc->state.lastError = reply.error;
                ++poll.failures;
                m_accounts->noteRuntimeChange();
                if (reply.sessionExpired) {
                    m_accounts->pauseForAnHour();
                    qCWarning(lcChannels).noquote()
                        << "weixin session expired for" << botId << "- pausing for an hour";
                    return schedule(botId, 0);
                }
                qCWarning(lcChannels).noquote()
                    << "weixin poll failed for" << botId << ":" << reply.error;
                return schedule(botId, poll.failures < 3 ? m_retryMs : m_backoffMs);
            }
            poll.failures = 0;
            const int serverTimeout = reply.body.value("longpolling_timeout_ms").toInt();
            if (serverTimeout > 0)
                poll.timeoutMs = serverTimeout + 5000;
            m_accounts->setCursor(botId, reply.body.value("get_updates_buf").toString().trimmed());
            Q_EMIT messages(botId, reply.body.value("msgs").toArray());
            if (WeixinAccount *after = m_accounts->find(botId)) {
                after->state.connected = true;
                after->state.lastEvent = QStringLiteral("poll_ok");
                after->state.lastError.clear();
            }
            m_accounts->noteRuntimeChange();
            schedule(botId, 0);
        },
        poll.timeoutMs);
}
