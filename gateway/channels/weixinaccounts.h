#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

class ConfigStore;
class Debouncer;

// What the runtime knows of an account (never saved): the status shows it as it is.
struct WeixinAccountState
{
    bool connected = false;
    QString lastEvent; // poll_ok, inbound_message, outbound_sent, error
    QString lastError;
    qint64 updatedAtMs = 0;
    qint64 lastInboundAtMs = 0;
    QString lastInboundChat;
    QString lastInboundText;
};

struct WeixinAccount
{
    QString botId;
    QString botToken;
    QString ilinkUserId;
    QString contextToken;
    QString getUpdatesBuf;
    WeixinAccountState state;
};

// The Weixin channel's accounts (spec/channels.md §2.2, §2.11): the list with its default, the
// base URL, the paused state of the iLink session, and their saving with the config. A change is
// saved after a short debounce but never later than 2 s after it (a cursor that moves every
// second must not postpone a fresh login's save forever). Whether a bot token is kept in the
// system keychain or in the file is the config store's business (configvault.h): accounts are
// saved with their tokens, and a token still awaited from the keychain is saved empty.
class WeixinAccounts : public QObject
{
    Q_OBJECT

public:
    WeixinAccounts(ConfigStore *config, QObject *parent = nullptr);
    ~WeixinAccounts() override;

    void setPersistDelays(int delayMs, int maxWaitMs);
    // The config address of an account's bot token (its keychain entry is "weixin/<bot_id>").
    static QString tokenAddress(const QString &botId);

    // Re-reads the base URL and the accounts from the config; what the runtime knows of an
    // account it already had is kept, and unsaved changes win over the file.
    void reload();
    bool enabled() const; // channels.weixin.enabled
    QString baseUrl() const { return m_baseUrl; }
    void setBaseUrl(const QString &baseUrl); // a confirmed login's new host

    const QList<WeixinAccount> &all() const { return m_accounts; }
    WeixinAccount *find(const QString &botId);
    const WeixinAccount *find(const QString &botId) const;
    QString defaultBotId() const;
    // A confirmed login: added (or merged), made default when there is none, saved.
    void add(const WeixinAccount &incoming);
    QString remove(const QString &botId); // error text, or empty
    QString setDefault(const QString &botId);
    void setCursor(const QString &botId, const QString &cursor);
    void setContextToken(const QString &botId, const QString &token);
    bool tokenKeptInKeychain(const WeixinAccount &account) const;
    // A runtime field of an account changed (connected, last event, …): tell the window.
    void noteRuntimeChange() { Q_EMIT changed(); }

    // The iLink session is paused for an hour after a session-expired answer (-14).
    qint64 pausedUntilMs() const { return m_pausedUntilMs; }
    bool isPaused() const;
    void pauseForAnHour();
    QString pauseError() const;

    // Shutdown: a save still waiting for its debounce happens now.
    void flushPendingSave();
    bool hasUnsavedChanges() const;

Q_SIGNALS:
    void changed();         // anything the status shows
    void accountsChanged(); // accounts or their tokens: who polls may change

private:
    // The trimmed id of a known account, or why not.
    QString checkBotId(const QString &botIdIn, QString *botId) const;
    void saveSoon();
    void save();

    ConfigStore *m_config;
    QString m_baseUrl;
    QString m_fileBaseUrl; // base_url as the file had it at the last reload()
    QString m_defaultBotId;
    QList<WeixinAccount> m_accounts; // sorted by bot_id
    qint64 m_pausedUntilMs = 0;
    Debouncer *m_persist;
    bool m_enableOnPersist = false; // a login switches the channel on in the config
    int m_savesInFlight = 0;        // handed to the config store, not yet on disk
};
