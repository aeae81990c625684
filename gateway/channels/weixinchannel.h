#pragma once

#include "ilinkclient.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QSet>
#include <functional>

class ConfigStore;
class MessageBus;
class QTimer;
class SecretStore;

// The Weixin channel's accounts and QR logins (spec/channels.md §2.5, §2.6, §2.11).
// A login walks wait → scaned → confirmed (or expired, or a redirect to another host); a QR whose
// countdown ends (or that upstream calls expired) is replaced automatically up to 3 times.
// Confirmed logins become accounts saved with the config (through the ConfigStore, debounced,
// source "weixin"). Time comes from Clock, so tests need no sleeps.
class WeixinChannel : public QObject
{
    Q_OBJECT

public:
    struct PendingLogin
    {
        QString loginId;
        QString qrCode;
        QString qrContent; // qrcode_img_content, else qrcode
        QString baseUrl;
        QString status = QStringLiteral("wait");
        QString lastError;
        qint64 updatedAtMs = 0;
        qint64 expiresAtMs = 0;
        int qrRefreshes = 0;
    };
    struct Account
    {
        QString botId;
        QString botToken;
        QString ilinkUserId;
        QString contextToken;
        QString getUpdatesBuf;
        bool connected = false;
        QString lastEvent;
        QString lastError;
        qint64 updatedAtMs = 0;
        qint64 lastInboundAtMs = 0;
        QString lastInboundChat;
        QString lastInboundText;
        // The config says the token is in the system keychain (`bot_token_in_keychain`);
        // botToken stays empty until it has been read from there.
        bool tokenInKeychain = false;
    };

    explicit WeixinChannel(ConfigStore *config, QObject *parent = nullptr);

    void setRefreshGapMs(int ms) { m_refreshGapMs = ms; }
    void setQrLifetimeMs(qint64 ms) { m_qrLifetimeMs = ms; }
    void setPersistDelayMs(int ms);
    // Long-poll timeout, retry after a failure, back-off after 3 failures in a row, and how
    // often a paused channel looks at the clock again.
    void setPollTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs);
    void setBus(MessageBus *bus) { m_bus = bus; }
    // Bot tokens go to this keychain when it is available, and are then saved in the config as
    // `"bot_token_in_keychain": true` instead of the token; without one they stay in the
    // config file (0600), readable by clawgo. Plain tokens found in the config move over.
    void setSecretStore(SecretStore *secrets);
    static QString keychainKey(const QString &botId) { return QStringLiteral("weixin/") + botId; }
    // Polls every account while the channel is active (reconfigure() starts and stops it).
    void start();
    void stop();
    // Shutdown: a save still waiting for its debounce (a cursor, a fresh login) happens now.
    // A token whose keychain write has not answered yet is saved in the file rather than lost.
    void flushPendingSave();
    bool isRunning() const { return m_running; }
    qint64 pausedUntilMs() const { return m_pausedUntilMs; }
    // Sends `text` to a chat ("<bot_id>|<user_id>", or a user of the default account), split
    // into pieces under the 4000-character limit; `done(error)`.
    void send(const QString &chatId, const QString &text,
              std::function<void(const QString &error)> done = {});
    static QStringList splitText(const QString &text, int limit = 4000);
    // Re-reads base URL and accounts from the config (runtime state of known accounts is kept).
    void reconfigure();

    void startLogin(QObject *context, std::function<void(const QString &error)> done);
    bool cancelLogin(const QString &loginId);
    // Polls upstream for every pending login, at most once per refresh gap; `done(hardError)`.
    void refreshLogins(QObject *context, std::function<void(const QString &hardError)> done);
    QString removeAccount(const QString &botId); // error text, or empty
    QString setDefaultAccount(const QString &botId);

    QString baseUrl() const { return m_baseUrl; }
    bool enabled() const; // channels.weixin.enabled
    // The routes that act on the channel answer 503 while it is inactive: off in the config
    // and no login started in this run.
    bool isActive() const { return enabled() || m_activatedByLogin; }
    // The error an inactive channel answers with (status payload, 503 text).
    static QString inactiveError() { return QStringLiteral("weixin channel unavailable"); }
    QString defaultBotId() const;
    const QList<PendingLogin> &pendingLogins() const { return m_logins; }
    const QList<Account> &accounts() const { return m_accounts; }
    // The text a login's QR encodes; the first pending login when `loginId` is empty.
    QString qrContent(const QString &loginId) const;
    // GET /api/weixin/status's payload (bot tokens never included).
    QJsonObject statusPayload(const QString &error = QString()) const;

Q_SIGNALS:
    void changed(); // logins or accounts changed

private:
    struct Poller
    {
        QPointer<QNetworkReply> reply;
        QTimer *timer = nullptr;
        int failures = 0;
        int timeoutMs = 35000;
    };
    Account *account(const QString &botId);
    void ensurePollers();
    void poll(const QString &botId);
    void schedulePoll(const QString &botId, int delayMs);
    void handleUpdates(const QString &botId, const QJsonArray &messages);
    void sendTyping(const QString &botId, const QString &contextToken);
    void sendPieces(const QString &botId, const QString &user, const QString &token,
                    QStringList pieces, std::function<void(const QString &)> done);
    QString pauseError() const;
    void refreshNext(int index, std::function<void(const QString &)> finish);
    void renewQr(int index, std::function<void(const QString &)> next);
    void addAccount(const Account &account);
    // Reads missing tokens from the keychain and moves plain ones into it.
    void syncTokens();
    void publishKeychainTokens();
    bool tokenKeptInKeychain(const Account &account) const;
    void schedulePersist();
    void persist(); // waits while keychain calls that decide the file's content run
    void save();
    int indexOfLogin(const QString &loginId) const;

    ConfigStore *m_config;
    ILinkClient *m_client;
    QString m_baseUrl;
    QString m_fileBaseUrl; // base_url as the file had it at the last reconfigure()
    QString m_defaultBotId;
    QList<Account> m_accounts; // sorted by bot_id
    QList<PendingLogin> m_logins;
    int m_refreshGapMs = 1200;
    qint64 m_qrLifetimeMs = 5 * 60 * 1000;
    qint64 m_lastRefreshMs = -1;
    bool m_refreshing = false;
    QList<std::function<void(const QString &)>> m_waiting; // callers of an ongoing refresh
    QTimer *m_persistTimer;
    bool m_enableOnPersist = false;
    MessageBus *m_bus = nullptr;
    bool m_running = false;
    QHash<QString, Poller> m_pollers;        // by bot_id
    QHash<QString, QString> m_chatTokens;    // chat → latest context token
    QHash<QString, QString> m_typingTickets; // bot_id → ticket
    qint64 m_pausedUntilMs = 0;
    int m_pollTimeoutMs = 35000;
    int m_retryMs = 2000;
    int m_backoffMs = 30000;
    int m_pauseCheckMs = 60000;
    SecretStore *m_secrets = nullptr;
    QHash<QString, QString> m_keychainTokens;   // bot_id → token known to be in the keychain
    QHash<QString, QString> m_keychainFailures; // bot_id → token the keychain refused
    QSet<QString> m_tokenReads, m_tokenWrites;  // bot_ids with a keychain call running
    bool m_persistDeferred = false;             // a persist waits for keychain writes
    bool m_activatedByLogin = false;
    bool m_configEnabled = false; // channels.weixin.enabled at the last reconfigure()
};
