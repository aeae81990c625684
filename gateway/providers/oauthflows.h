#pragma once

#include "oauthcredential.h"
#include "oauthflavour.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <functional>
#include <memory>

class ConfigStore;
class EventBus;
class ProviderRuntime;

// Provider sign-in (spec/providers.md §3.3–3.4, §3.12–3.13): device-code flows (codex, qwen with
// PKCE, kimi) and browser callback flows with PKCE S256 and a checked state (claude, gemini,
// antigravity, iflow), each ending in a credential file that becomes an account of the
// provider. Beyond the reference:
//  - a device flow polls from the moment it starts, on timers; /complete answers when it ends;
//  - a callback flow listens on 127.0.0.1:<redirect port> and completes itself when the browser
//    comes back (pasting the callback URL still works);
//  - flows expire, and a finished flow's outcome stays readable for a while;
//  - every step is published as an `oauth_flow` event (the window and /api/events/live).
// Lives on the gateway thread; nothing here blocks it.
class OAuthFlows : public QObject
{
    Q_OBJECT

public:
    // Injectable for tests: a "second" of a provider's poll interval, the minimum Codex poll
    // interval, the deadlines, and how long a finished flow stays readable.
    struct Timing
    {
        int secondMs = 1000;
        int codexMinimumPollSec = 3;
        qint64 deviceDeadlineMs = 15 * 60 * 1000;
        qint64 callbackLifetimeMs = 15 * 60 * 1000;
        qint64 keepFinishedMs = 10 * 60 * 1000;
        int requestTimeoutMs = 30000; // one request to a provider's OAuth endpoints
    };
    // Endpoints that no config key overrides (tests point them at a fake server).
    struct Urls
    {
        QString googleUserInfo =
            QStringLiteral("https://www.googleapis.com/oauth2/v1/userinfo?alt=json");
        QString loadCodeAssist =
            QStringLiteral("https://cloudcode-pa.googleapis.com/v1internal:loadCodeAssist");
    };

    OAuthFlows(ConfigStore *config, ProviderRuntime *runtime, EventBus *events,
               QObject *parent = nullptr);
    ~OAuthFlows() override;
    void setTiming(const Timing &timing) { m_timing = timing; }
    void setUrls(const Urls &urls) { m_urls = urls; }

    // 200 with the route's JSON, or an HTTP status with a plain-text error.
    using Answer = std::function<void(int status, const QJsonObject &json, const QString &error)>;

    struct Target
    {
        QString provider;        // the config key
        QString flavour;         // codex, claude, …
        QJsonObject entry;       // as the sign-in uses it
        QJsonObject inlineDelta; // the request's provider_config: saved with the account
    };
    // The provider a request names (empty: the primary one), if it signs in with OAuth; or,
    // with an inline provider_config that sets api_base, api_key, models, auth or
    // oauth.provider, that config under the name given (saved when an account is stored).
    bool resolve(const QString &asked, const QJsonObject &inlineConfig, Target *target, int *status,
                 QString *error) const;
    static bool isInlineConfig(const QJsonObject &config);

    struct StartRequest
    {
        QString provider;
        QJsonObject inlineConfig;
        QString accountLabel;
        QString networkProxy;
    };
    void start(const StartRequest &request, Answer answer);

    struct CompleteRequest
    {
        QString flowId;
        QString callbackUrl;
        QString accountLabel;
        QString networkProxy;
    };
    void complete(const CompleteRequest &request, Answer answer);

    // Stores `credential` as a new account of the provider the way clawgo names it, makes it
    // the primary credential file in the config, reloads the runtime's accounts, and answers
    // {ok, account, credential_file, network_proxy, models} (import and sign-in).
    void storeAccount(const Target &target, OAuthCredential credential, Answer answer);

    // An auth.json of any shape clawgo reads (§3.8) becomes an account of the provider; a file
    // with only a refresh token is exchanged first (import route and the window).
    struct ImportRequest
    {
        QString provider;
        QJsonObject inlineConfig;
        QByteArray file;
        QString fileName;
        QString accountLabel;
        QString networkProxy;
    };
    void importCredential(const ImportRequest &request, Answer answer);

    // Removes an account: its credential file (only one the provider lists, never another
    // path) and its place in oauth.credential_file(s); answers {ok, deleted}.
    void deleteAccount(const QString &provider, const QString &file, Answer answer);

    // Ends a pending flow (the window's Cancel): its listener closes and /complete says so.
    void cancel(const QString &flowId);

    // Flows that are neither finished nor expired (tests, the window).
    int pendingCount() const;
    // The local port a pending callback flow listens on (0: none).
    int listenerPort(const QString &flowId) const;

Q_SIGNALS:
    // {type:"oauth_flow", flow_id, provider, mode, status, …}: started, waiting, slow_down,
    // exchanging, succeeded, failed.
    void progress(const QJsonObject &event);

private:
    class Flow;
    void publish(Flow *flow, const QString &status, const QJsonObject &extra = {});
    void startDevice(std::shared_ptr<Flow> flow, Answer answer);
    void startCallback(std::shared_ptr<Flow> flow, Answer answer);
    void pollDevice(const QString &flowId);
    void scheduleNextPoll(Flow *flow);
    void acceptCallback(const QString &flowId, const QString &callbackUrl, Answer answer);
    void exchangeCode(const QString &flowId, const QString &code, const QString &verifier,
                      const QString &state);
    void signedIn(const QString &flowId, const QJsonObject &tokenAnswer);
    void finish(const QString &flowId, int status, const QJsonObject &json, const QString &error);
    void listen(Flow *flow);
    // Model sync (§3.12): the models the account may use, from the provider's /models
    // (failures ignored); `done` gets the credential with them.
    void syncModels(const Target &target, const OAuthCredential &credential, const QString &proxy,
                    std::function<void(const OAuthCredential &)> done);
    Flow *find(const QString &flowId) const;

    ConfigStore *m_config;
    ProviderRuntime *m_runtime;
    EventBus *m_events;
    Timing m_timing;
    Urls m_urls;
    QHash<QString, std::shared_ptr<Flow>> m_flows;
    qint64 m_lastFlowId = 0;
    QSet<QString> m_reservedPaths; // credential files being written by a store under way
};
