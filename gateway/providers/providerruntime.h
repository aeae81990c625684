#pragma once

#include "llmtypes.h"
#include "oauthcredential.h"
#include "oauthrefresh.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <functional>
#include <memory>

class AiStudioRelay;
class QTimer;
class ConfigStore;
class CredentialVault;
class Debouncer;
namespace Background {
class SerialQueue;
}

// The provider runtime of spec/providers.md §4, one per gateway and shared by the agent's turns,
// GET|POST /api/provider/runtime and the window: per provider the candidates a request may use
// (the API key now; OAuth accounts are more candidates of the same shape), their cooldowns and
// health, the order they are tried in, and a bounded history of hits, errors and changes,
// persisted (debounced, off the event loop) when `runtime_persist` is on.
class ProviderRuntime : public QObject
{
    Q_OBJECT

public:
    struct Event
    {
        qint64 whenMs = 0; // 0: unknown
        QString whenText;  // as written (RFC 3339), kept to answer without reformatting
        QString kind;
        QString target;
        QString reason;
        QString detail;
        QJsonObject toJson() const;
        static Event fromJson(const QJsonObject &object);
    };

    // One credential a request can use.
    struct Candidate
    {
        QString provider;
        QString kind;        // "api_key", "relay", "oauth"
        QString target;      // masked key, relay name, account label
        QString accountFile; // an OAuth account's credential file
        QString accountId;   // its account id (Codex sends it as Chatgpt-Account-Id)
        QString credential;
        bool available = true;
        QDateTime cooldownUntil;
        int health = 100;
        int failureCount = 0;
        QString lastFailure;
        QString label() const; // "api key sk-t***3456"
    };

    struct Query
    {
        QString provider;
        QString kind;
        QString reason;
        QString target;
        QString sort;
        bool changesOnly = false;
        qint64 windowSec = 0;
        int limit = 20;
        int cursor = 0;
        int healthBelow = 0;
        qint64 cooldownBeforeSec = 0;
    };

    ProviderRuntime(ConfigStore *config, AiStudioRelay *relay, QObject *parent = nullptr);
    ~ProviderRuntime() override;

    // The usable candidates of a provider, best first; records the order (and a change event
    // when it moved). Cooling candidates are left out; `cooling` receives them.
    QList<Candidate> candidates(const ProviderSettings &settings,
                                QList<Candidate> *cooling = nullptr);
    void recordSuccess(const Candidate &candidate);
    void recordFailure(const Candidate &candidate, const LlmFailure &failure);

    // The view of GET /api/provider/runtime: {"items":[…]} for the configured providers.
    QJsonObject view(const Query &query);
    bool clearApiCooldown(const QString &provider);
    // OAuth accounts (auth "oauth" or "hybrid"), read from their credential files.
    QJsonArray accounts(const QString &provider);
    bool clearAccountCooldown(const QString &provider, const QString &file);
    bool usesOAuth(const QString &provider) const;
    QStringList credentialFiles(const QString &provider) const
    {
        return m_states.value(provider).credentialFiles;
    }
    // Exchanges the account's refresh token now (one exchange per account at a time: a second
    // request joins the first). `done(ok, account info or {}, error)`.
    using RefreshDone =
        std::function<void(bool ok, const QJsonObject &account, const QString &error)>;
    void refreshAccount(const QString &provider, const QString &file, RefreshDone done);
    // Refreshes the provider's accounts that have a refresh token and expire within
    // `windowSec` (< 0: the flavour's refresh lead), one exchange per account at a time, and
    // answers clawgo's ProviderRefreshResult: {provider, checked, refreshed, skipped, failed,
    // accounts:[{target, status, detail, expire}]} (spec/providers.md §3.10).
    void refreshAccounts(const QString &provider, qint64 windowSec,
                         std::function<void(const QJsonObject &result)> done);
    // Every refresh_scan_sec (the smallest of the OAuth providers', 600 s by default): each
    // OAuth provider's accounts that expire within their lead are refreshed.
    void scanRefresh();
    int refreshScanIntervalMs() const;
    // What a retry after a refresh needs.
    QString accountAccessToken(const QString &provider, const QString &file) const;
    bool accountCanRefresh(const QString &provider, const QString &file) const;
    // A revoked token (401/402 saying token_revoked, invalidated oauth token or
    // deactivated_workspace) disables its account for good, on disk too (§2.2).
    static QString revocationReason(const LlmFailure &failure);
    // ProviderRuntimeSummary of one provider (§4.8): status, cooldowns, low health, errors.
    QJsonObject summary(const QString &provider, int healthBelow);
    // A credential file as the config names it ("~/…", relative to the config folder), as a
    // clean absolute path.
    static QString credentialPath(const QString &configDir, const QString &listed);
    // Takes an account out of use at once (before its file is deleted).
    void dropAccount(const QString &provider, const QString &file);
    // Where the accounts' tokens are kept (a file, or the keychain).
    CredentialVault *credentialVault() const { return m_vault; }
    // Reads the provider's credential files again (after an import wrote one).
    void reloadAccounts(const QString &provider) { loadAccounts(provider); }
    bool clearHistory(const QString &provider);
    QJsonArray rerank(const QString &provider);
    QJsonArray candidateOrder(const QString &provider) const;

    // Re-reads the providers' runtime settings (history size, persistence) from the config.
    void configure();
    // Waits for pending history writes (shutdown, tests).
    void flush();

    static QString maskToken(const QString &token);
    // Cooldown length after a failure, in seconds (0: none).
    static qint64 cooldownSeconds(const LlmFailure &failure);

Q_SIGNALS:
    void changed(const QString &provider);

private:
    struct CandidateState
    {
        QString kind;
        QString target;
        QString fingerprint; // of the key: a changed key starts clean
        QDateTime cooldownUntil;
        int failureCount = 0;
        QString lastFailure;
        int health = 0; // 0: never scored (shown as 100)
    };
    struct ProviderState
    {
        CandidateState api;
        QList<Event> hits; // newest first
        QList<Event> errors;
        QList<Event> changes;
        std::optional<Event> lastSuccess;
        QJsonArray candidateOrder;
        struct Account
        {
            QString file;
            OAuthCredential credential;
            CandidateState state;
        };
        QString auth;          // "", bearer, none, oauth, hybrid
        int cooldownSec = 900; // oauth.cooldown_sec: an account's base cooldown
        QStringList credentialFiles;
        QList<Account> accounts;
        bool persist = false;
        QString historyFile;
        int historyMax = 24;
        bool loadStarted = false;
    };

    ProviderState &state(const QString &provider);
    static ProviderSettings entrySettings(const QString &name, const QJsonObject &entry);
    static void adoptIdentity(ProviderState &state, const ProviderSettings &settings);
    // Health penalty, failure count and last failure of a candidate after `failure`.
    static void scoreFailure(CandidateState &state, const LlmFailure &failure);
    void addEvent(ProviderState &state, QList<Event> &list, const Event &event);
    Event event(const QString &kind, const QString &target, const QString &reason,
                const QString &detail = QString()) const;
    void touched(const QString &provider);
    void persistNow();
    void load(const QString &provider);
    QJsonObject itemFor(const QString &name, const QJsonObject &entry, const Query &query);
    QJsonObject apiStateJson(const CandidateState &api) const;
    QJsonObject persistedState(const ProviderState &state) const;
    QList<Candidate> candidatesPreview(const ProviderSettings &settings, QList<Candidate> *cooling);
    QJsonArray orderFor(const QString &provider, const QList<Candidate> &available,
                        const QList<Candidate> &cooling) const;
    void storeOrder(const QString &provider, const QJsonArray &order, bool recordChange = true);
    static int healthShown(int health) { return health <= 0 ? 100 : health; }

    void relayChanged(const QString &provider, bool connected);
    struct AccountRead
    {
        QString file;
        bool exists = false;
        QString error;
        OAuthCredential credential;
    };
    void loadAccounts(const QString &provider);
    void adoptAccounts(const QString &provider, const QStringList &files,
                       const QList<AccountRead> &reads);
    ProviderState::Account *account(ProviderState &state, const QString &file);
    const ProviderState::Account *account(const QString &provider, const QString &file) const;
    void disableAccount(const QString &provider, const QString &file, const QString &reason);
    void registerSecrets(const QString &provider);
    OAuthRefresh::Endpoint refreshEndpoint(const QString &provider) const;

    ConfigStore *m_config;
    AiStudioRelay *m_relay;
    QHash<QString, ProviderState> m_states;
    QSet<QString> m_dirty;
    QHash<QString, QList<RefreshDone>> m_refreshing; // by credential file
    Debouncer *m_persist;
    std::unique_ptr<Background::SerialQueue> m_writes;
    QTimer *m_refreshScan;
    CredentialVault *m_vault = nullptr;
};
