#pragma once

#include "weixinaccounts.h"
#include "weixinlogin.h"
#include "weixinstatus.h"

#include <QObject>
#include <functional>

class ConfigStore;
class ILinkClient;
class MessageBus;
class WeixinPoller;
class WeixinSender;

// The Weixin channel (spec/channels.md §2): the accounts (WeixinAccounts), QR logins
// (WeixinLogin), long polling (WeixinPoller) and replies (WeixinSender), put together. Inbound
// messages go to the message bus in the chat's session ("weixin:<bot_id>|<user_id>"); replies
// come back through send().
class WeixinChannel : public QObject
{
    Q_OBJECT

public:
    explicit WeixinChannel(ConfigStore *config, QObject *parent = nullptr);
    ~WeixinChannel() override;

    // Test and tuning hooks.
    void setRefreshGapMs(int ms);
    void setQrLifetimeMs(qint64 ms);
    void setPersistDelayMs(int ms); // the save's debounce (and its maximum wait, at least 2 s)
    void setPersistDelays(int delayMs, int maxWaitMs);
    void setPollTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs);
    void setBus(MessageBus *bus) { m_bus = bus; }

    // Polls every account while the channel is active (reconfigure() starts and stops it).
    void start();
    void stop();
    void flushPendingSave();
    bool isRunning() const;
    // Sends `text` to a chat ("<bot_id>|<user_id>", or a user of the default account), split
    // into pieces under the 4000-character limit; `done(error)`.
    void send(const QString &chatId, const QString &text,
              std::function<void(const QString &error)> done = {});
    static QStringList splitText(const QString &text, int limit = 4000);
    // Re-reads base URL and accounts from the config (runtime state of known accounts is kept).
    void reconfigure();

    void startLogin(QObject *context, std::function<void(const QString &error)> done);
    bool cancelLogin(const QString &loginId);
    void refreshLogins(QObject *context, std::function<void(const QString &hardError)> done);
    QString removeAccount(const QString &botId); // error text, or empty
    QString setDefaultAccount(const QString &botId);

    bool enabled() const; // channels.weixin.enabled
    // The routes that act on the channel answer 503 while it is inactive: off in the config
    // and no login started in this run.
    bool isActive() const { return enabled() || m_activatedByLogin; }
    static QString inactiveError() { return QStringLiteral("weixin channel unavailable"); }
    QString qrContent(const QString &loginId) const;
    const QList<WeixinAccount> &accounts() const;
    WeixinStatus status(const QString &refreshError = QString()) const;

Q_SIGNALS:
    void changed(); // logins, accounts or their state changed

private:
    void deliver(const QString &botId, const QJsonArray &messages);

    ConfigStore *m_config;
    ILinkClient *m_client;
    WeixinAccounts *m_accounts;
    WeixinLogin *m_login;
    WeixinPoller *m_poller;
    WeixinSender *m_sender;
    MessageBus *m_bus = nullptr;
    bool m_activatedByLogin = false;
    bool m_configEnabled = false; // channels.weixin.enabled at the last reconfigure()
};
