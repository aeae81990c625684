#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>

class ConfigStore;
class Debouncer;
class SecretStore;

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
    // The config says the token is in the system keychain (`bot_token_in_keychain`); botToken
    // stays empty until it has been read from there.
    bool tokenInKeychain = false;
};

// The Weixin channel's accounts (spec/channels.md §2.2, §2.11): the list with its default, the
// base URL, the paused state of the iLink session, and their saving with the config. A change is
// saved after a short debounce but never later than 2 s after it (a cursor that moves every
// second must not postpone a fresh login's save forever). Bot tokens go to the system keychain
// where one answers (the file then says `"bot_token_in_keychain": true`), else stay in the file
// (0600), as clawgo keeps them.
class WeixinAccounts : public QObject
{
    Q_OBJECT

public:
    WeixinAccounts(ConfigStore *config, QObject *parent = nullptr);
    ~WeixinAccounts() override;

    void setSecretStore(SecretStore *secrets);
    void setPersistDelays(int delayMs, int maxWaitMs);
    static QString keychainKey(const QString &botId) { return QStringLiteral("weixin/") + botId; }

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

    // Shutdown: a save still waiting for its debounce happens now. A token whose keychain write
    // has not answered yet is saved in the file rather than lost.
    void flushPendingSave();
    bool hasUnsavedChanges() const;

Q_SIGNALS:
    void changed();         // anything the status shows
    void accountsChanged(); // accounts or their tokens: who polls may change

private:
    // The trimmed id of a known account, or why not.
    QString checkBotId(const QString &botIdIn, QString *botId) const;
    void syncTokens(); // reads missing tokens from the keychain, moves plain ones into it
    void publishKeychainTokens();
    void saveSoon();
    void persist(); // waits while keychain calls that decide the file's content run
    void save();

    ConfigStore *m_config;
    SecretStore *m_secrets = nullptr;
    QString m_baseUrl;
    QString m_fileBaseUrl; // base_url as the file had it at the last reload()
    QString m_defaultBotId;
    QList<WeixinAccount> m_accounts; // sorted by bot_id
    qint64 m_pausedUntilMs = 0;
    Debouncer *m_persist;
    bool m_persistDeferred = false;             // a save waits for keychain writes
    bool m_enableOnPersist = false;             // a login switches the channel on in the config
    int m_savesInFlight = 0;                    // handed to the config store, not yet on disk
    QHash<QString, QString> m_keychainTokens;   // bot_id → token known to be in the keychain
    QHash<QString, QString> m_keychainFailures; // bot_id → token the keychain refused
    QSet<QString> m_tokenReads, m_tokenWrites;  // bot_ids with a keychain call running
};
