// Provider sign-in through the API against a fake OAuth provider (tests/fakes/fakeoauthserver):
// device flows (qwen with PKCE, kimi, codex) polling on timers with a shortened "second",
// callback flows with PKCE and state, completed by the loopback listener when a client follows
// the redirect or by a pasted URL, expiry, bad callback URLs and token answers, and an import of
// a refresh-token-only file. Tokens never appear in answers or log lines.

#include "agent/agentruntime.h"
#include "core/clock.h"
#include "core/eventbus.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "fakes/fakeoauthserver.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"
#include "providers/oauthflows.h"
#include "providers/providerruntime.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

// A port nobody listens on right now.
int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestOAuthFlows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void qwenDeviceFlowSavesAnAccount();
    void deviceFlowEndings_data();
    void deviceFlowEndings();
    void codexDeviceFlow();
    void kimiSendsItsHeaders();
    void listenerCompletesACallbackFlow();
    void pastedCallbackAndBadInput();
    void callbackFlowExpires();
    void tokenEndpointFailures_data();
    void tokenEndpointFailures();
    void unknownFlowsAndProviders();
    void importOfARefreshTokenOnlyFile();
    void accountsRefreshAheadOfExpiry();
    void a401RefreshesAndRetriesARevokedTokenDisables();
    void codexTurnStreamsWithTheAccountsHeaders();
    void inlineProviderConfigIsSavedWithTheAccount();
    void antigravityLearnsItsEmailAndProject();

private:
    // Starts the gateway with one OAuth provider `name` of `flavour` at the fake.
    bool start(const QString &name, const QString &flavour, QJsonObject oauth = {});
    HttpResult post(const QByteArray &path, const QJsonObject &body)
    {
        return http(m_gateway->port(), "POST", path, json(body), auth());
    }
    OAuthFlows *flows() const { return m_gateway->gateway()->oauth(); }
    QStringList flowStatuses(const QSignalSpy &spy) const;

    std::unique_ptr<FakeOAuthServer> m_fake;
    std::unique_ptr<TestGateway> m_gateway;
};

void TestOAuthFlows::init()
{
    m_fake = std::make_unique<FakeOAuthServer>();
    m_gateway = std::make_unique<TestGateway>();
}

void TestOAuthFlows::cleanup()
{
    m_gateway.reset();
    m_fake.reset();
    Clock::setNowFunction(nullptr);
}

namespace {

// A credential file as clawgo writes it.
QString writeAccount(const QString &dir, const QString &name, const QJsonObject &fields)
{
    QDir().mkpath(dir + QStringLiteral("/auth"));
    const QString path = QDir::cleanPath(dir + QStringLiteral("/auth/") + name);
    QFile file(path);
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(fields).toJson());
    return path;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

QStringList reasonsOf(const QJsonArray &events)
{
    QStringList reasons;
    for (const QJsonValue &event : events)
        reasons << event["reason"].toString();
    return reasons;
}

} // namespace

bool TestOAuthFlows::start(const QString &name, const QString &flavour, QJsonObject oauth)
{
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    oauth.insert("provider", flavour);
    if (!oauth.contains("token_url"))
        oauth.insert("token_url", m_fake->rootUrl() + "/oauth/token");
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"),
                         QJsonObject{{name, QJsonObject{{"api_base", m_fake->rootUrl() + "/v1"},
                                                        {"auth", "oauth"},
                                                        {"oauth", oauth},
                                                        {"models", QJsonArray{"m-1"}},
                                                        {"timeout_sec", 10}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         name + QStringLiteral("/m-1"));
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    if (!m_gateway->start(config))
        return false;
    OAuthFlows::Timing timing;
    timing.secondMs = 20; // a provider's "interval: 1" polls every 20 ms
    timing.codexMinimumPollSec = 1;
    flows()->setTiming(timing);
    OAuthFlows::Urls urls;
    urls.googleUserInfo = m_fake->rootUrl() + "/userinfo";
    urls.loadCodeAssist = m_fake->rootUrl() + "/v1internal:loadCodeAssist";
    flows()->setUrls(urls);
    return true;
}

QStringList TestOAuthFlows::flowStatuses(const QSignalSpy &spy) const
{
    QStringList statuses;
    for (const QList<QVariant> &event : spy) {
        const QJsonObject object = event.at(0).toJsonObject();
        if (object.value("type") == QLatin1String("oauth_flow"))
            statuses << object.value("status").toString();
    }
    return statuses;
}

void TestOAuthFlows::qwenDeviceFlowSavesAnAccount()
{
    QVERIFY(start("qwen", "qwen", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    m_fake->email.clear(); // qwen names no one: the label does
    m_fake->deviceErrors = {"authorization_pending", "slow_down", "authorization_pending"};
    QSignalSpy events(m_gateway->gateway()->events(), &EventBus::published);
    // A client of /api/events/live sees the flow's progress too.
    QWebSocket live;
    QStringList liveStatuses;
    bool liveOpen = false;
    connect(&live, &QWebSocket::connected, this, [&] { liveOpen = true; });
    connect(&live, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        const QJsonObject event = QJsonDocument::fromJson(text.toUtf8()).object();
        if (event.value("type") == QLatin1String("oauth_flow"))
            liveStatuses << event.value("status").toString();
    });
    live.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                       .arg(m_gateway->port())
                       .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return liveOpen; }));
    HttpResult started = post("/api/provider/oauth/start",
                              {{"provider", "qwen"}, {"account_label", "Work Account"}});
    QCOMPARE(started.status, 200);
    const QJsonObject flow = started.json();
    QCOMPARE(flow["mode"].toString(), QStringLiteral("device"));
    QCOMPARE(flow["user_code"].toString(), QStringLiteral("ABCD"));
    QCOMPARE(flow["auth_url"].toString(), m_fake->rootUrl() + "/verify?code=ABCD");
    QCOMPARE(flow["account_label"].toString(), QStringLiteral("Work Account"));
    QVERIFY(!flow["flow_id"].toString().isEmpty());
    // The device request: qwen's client, scope and an S256 challenge.
    const FakeOAuthServer::Request device = m_fake->requestsTo("/device").first();
    QCOMPARE(device.form("client_id"), QStringLiteral("f0304373b74a44d2b584a3fb70ca9e56"));
    QCOMPARE(device.form("code_challenge_method"), QStringLiteral("S256"));
    QCOMPARE(device.form("scope"), QStringLiteral("openid profile email model.completion"));

    // /complete waits for the polling that started with the flow.
    const HttpResult done = post("/api/provider/oauth/complete", {{"flow_id", flow["flow_id"]}});
    QCOMPARE(done.status, 200);
    const QJsonObject account = done.json();
    QCOMPARE(account["account"].toString(), QStringLiteral("Work Account"));
    QCOMPARE(account["models"].toArray(), (QJsonArray{"m-1", "m-2"})); // deduplicated
    const QString file = account["credential_file"].toString();
    QCOMPARE(QFileInfo(file).fileName(), QStringLiteral("qwen.json")); // the listed file, new
    QCOMPARE(fileMode(file), 0600);
    QCOMPARE(fileMode(QFileInfo(file).absolutePath()), 0700);
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QJsonObject onDisk = QJsonDocument::fromJson(saved.readAll()).object();
    QCOMPARE(onDisk["access_token"].toString(), QStringLiteral("at-1"));
    QCOMPARE(onDisk["refresh_token"].toString(), QStringLiteral("rt-1"));
    QCOMPARE(onDisk["email"].toString(), QStringLiteral("Work Account"));
    QCOMPARE(onDisk["provider"].toString(), QStringLiteral("qwen"));
    // Four polls (three answered with an error) with the verifier; slow_down said so.
    const QList<FakeOAuthServer::Request> polls = m_fake->requestsTo("/oauth/token");
    QCOMPARE(polls.size(), 4);
    QCOMPARE(polls.last().form("grant_type"),
             QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"));
    QVERIFY(!polls.last().form("code_verifier").isEmpty());
    const QStringList statuses = flowStatuses(events);
    QCOMPARE(statuses.first(), QStringLiteral("started"));
    QVERIFY(statuses.contains("slow_down"));
    QCOMPARE(statuses.last(), QStringLiteral("succeeded"));
    QVERIFY(waitFor([&] { return liveStatuses == statuses; }));
    live.abort();
    // The config lists the file; the runtime has the account.
    QVERIFY(waitFor([&] {
        return http(m_gateway->port(), "GET", "/api/provider/oauth/accounts?provider=qwen", {},
                    auth())
                   .json()["accounts"]
                   .toArray()
                   .size() == 1;
    }));
    const QJsonObject config =
        QJsonDocument::fromJson(http(m_gateway->port(), "GET", "/api/config", {}, auth()).body)
            .object();
    QCOMPARE(JsonUtil::valueAt(config, "models.providers.qwen.oauth.credential_file").toString(),
             file);
    // A late /complete reads the same outcome; nothing carries a token.
    const HttpResult again = post("/api/provider/oauth/complete", {{"flow_id", flow["flow_id"]}});
    QCOMPARE(again.json(), account);
    for (const QByteArray &body : {started.body, done.body, again.body})
        QVERIFY(!body.contains("at-1") && !body.contains("rt-1"));
    for (const LogEntry &entry : LogHub::instance()->entriesAfter(0))
        QVERIFY2(!entry.message.contains(QLatin1String("at-1")) &&
                     !entry.message.contains(QLatin1String("rt-1")),
                 qPrintable(entry.message));
}

void TestOAuthFlows::deviceFlowEndings_data()
{
    QTest::addColumn<QByteArrayList>("errors");
    QTest::addColumn<qint64>("deadlineMs");
    QTest::addColumn<QString>("expected");
    QTest::newRow("denied") << QByteArrayList{"authorization_pending", "access_denied"} << 60000ll
                            << "oauth device flow denied by user";
    QTest::newRow("code expired") << QByteArrayList{"expired_token"} << 60000ll
                                  << "oauth device code expired";
    QTest::newRow("other error") << QByteArrayList{"server_melted"} << 60000ll << "server_melted";
    QByteArrayList forever;
    for (int i = 0; i < 500; ++i)
        forever << "authorization_pending";
    QTest::newRow("deadline") << forever << 300ll << "oauth device flow timed out";
}

void TestOAuthFlows::deviceFlowEndings()
{
    QFETCH(QByteArrayList, errors);
    QFETCH(qint64, deadlineMs);
    QFETCH(QString, expected);
    QVERIFY(start("qwen", "qwen", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    OAuthFlows::Timing timing;
    timing.secondMs = 20;
    timing.deviceDeadlineMs = deadlineMs;
    flows()->setTiming(timing);
    m_fake->deviceErrors = errors;
    const HttpResult started =
        post("/api/provider/oauth/start", {{"provider", "qwen"}, {"account_label", "x"}});
    QCOMPARE(started.status, 200);
    const HttpResult done =
        post("/api/provider/oauth/complete", {{"flow_id", started.json()["flow_id"]}});
    QCOMPARE(done.status, 400);
    QCOMPARE(done.body, expected.toUtf8() + '\n');
    QCOMPARE(flows()->pendingCount(), 0);
    QVERIFY(!QFileInfo::exists(m_gateway->dir() + "/auth/qwen.json"));
}

void TestOAuthFlows::codexDeviceFlow()
{
    QVERIFY(start("codex", "codex",
                  {{"auth_url", m_fake->rootUrl() + "/api/accounts/deviceauth/usercode"}}));
    m_fake->codexPendingPolls = 2;
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "codex"}});
    QCOMPARE(started.status, 200);
    QCOMPARE(started.json()["user_code"].toString(), QStringLiteral("U-CODE"));
    QCOMPARE(started.json()["auth_url"].toString(),
             QStringLiteral("https://auth.openai.com/codex/device"));
    QCOMPARE(m_fake->requestsTo("/api/accounts/deviceauth/usercode").first().json(),
             (QJsonObject{{"client_id", "app_EMoamEEZ73f0CkXaXp7hrann"}}));
    const HttpResult done =
        post("/api/provider/oauth/complete", {{"flow_id", started.json()["flow_id"]}});
    QCOMPARE(done.status, 200);
    // Who signed in comes from the id_token: the email and the ChatGPT account id.
    QCOMPARE(done.json()["account"].toString(), QStringLiteral("u@example.com"));
    QCOMPARE(m_fake->requestsTo("/api/accounts/deviceauth/token").size(), 3);
    const FakeOAuthServer::Request exchange = m_fake->requestsTo("/oauth/token").last();
    QCOMPARE(exchange.form("grant_type"), QStringLiteral("authorization_code"));
    QCOMPARE(exchange.form("code"), QStringLiteral("ac-1"));
    QCOMPARE(exchange.form("code_verifier"), QStringLiteral("v-1"));
    QCOMPARE(exchange.form("redirect_uri"),
             QStringLiteral("https://auth.openai.com/deviceauth/callback"));
    QFile saved(done.json()["credential_file"].toString());
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(saved.readAll())["account_id"].toString(),
             QStringLiteral("acct-chatgpt-1"));
}

void TestOAuthFlows::kimiSendsItsHeaders()
{
    QVERIFY(start("kimi", "kimi", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "kimi"}});
    QCOMPARE(started.status, 200);
    const FakeOAuthServer::Request device = m_fake->requestsTo("/device").first();
    QCOMPARE(device.headers.value("x-msh-platform"), QByteArray("clawgo"));
    QCOMPARE(device.headers.value("x-msh-version"), QByteArray("1.0.0"));
    QVERIFY(!device.headers.value("x-msh-device-id").isEmpty());
    QVERIFY(device.form("code_challenge").isEmpty()); // kimi: no PKCE
    QCOMPARE(post("/api/provider/oauth/complete", {{"flow_id", started.json()["flow_id"]}}).status,
             200);
}

void TestOAuthFlows::listenerCompletesACallbackFlow()
{
    const int port = freePort();
    QVERIFY(start("claude", "claude",
                  {{"auth_url", m_fake->rootUrl() + "/authorize"},
                   {"redirect_url", QStringLiteral("http://localhost:%1/callback").arg(port)}}));
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "claude"}});
    QCOMPARE(started.status, 200);
    const QJsonObject flow = started.json();
    QCOMPARE(flow["mode"].toString(), QStringLiteral("callback"));
    QCOMPARE(flows()->listenerPort(flow["flow_id"].toString()), port);
    const QUrl authUrl(flow["auth_url"].toString());
    const QUrlQuery asked(authUrl);
    QCOMPARE(asked.queryItemValue("code_challenge_method"), QStringLiteral("S256"));
    QCOMPARE(asked.queryItemValue("code"), QStringLiteral("true"));
    QCOMPARE(asked.queryItemValue("state").size(), 32);
    QCOMPARE(asked.queryItemValue("code_challenge").size(), 43);

    // The "browser": the provider's page redirects to the loopback listener.
    const HttpResult authorize =
        http(m_fake->rootUrl().section(':', -1).toUShort(), "GET",
             authUrl.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    QCOMPARE(authorize.status, 302);
    const QUrl back(QString::fromUtf8(authorize.header("location")));
    QCOMPARE(back.port(), port);
    const HttpResult page =
        http(quint16(port), "GET", back.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    QCOMPARE(page.status, 200);
    QVERIFY2(page.body.contains("Signed in as c@example.com"), page.body.constData());
    // Claude's token request is JSON with the state and the verifier of the challenge.
    const FakeOAuthServer::Request exchange = m_fake->requestsTo("/oauth/token").last();
    QVERIFY(exchange.headers.value("content-type").startsWith("application/json"));
    QCOMPARE(exchange.json()["state"].toString(), asked.queryItemValue("state"));
    QCOMPARE(exchange.json()["code"].toString(), QStringLiteral("code-1"));
    // The flow is over: /complete reads its outcome, and the listener is closed.
    const HttpResult done = post("/api/provider/oauth/complete", {{"flow_id", flow["flow_id"]}});
    QCOMPARE(done.status, 200);
    QCOMPARE(done.json()["account"].toString(), QStringLiteral("c@example.com"));
    QCOMPARE(flows()->listenerPort(flow["flow_id"].toString()), 0);
    QVERIFY(waitFor([&] {
        return rawHttp(quint16(port), "GET /callback HTTP/1.1\r\nHost: localhost\r\n\r\n", 300)
                   .status == 0;
    }));
}

void TestOAuthFlows::pastedCallbackAndBadInput()
{
    QVERIFY(start(
        "gemini", "gemini",
        {{"auth_url", m_fake->rootUrl() + "/authorize"},
         {"redirect_url", QStringLiteral("http://localhost:%1/oauth2callback").arg(freePort())}}));
    m_fake->email.clear(); // Google: the email comes from userinfo
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "gemini"}});
    const QString flowId = started.json()["flow_id"].toString();
    const QUrlQuery asked{QUrl(started.json()["auth_url"].toString())};
    QCOMPARE(asked.queryItemValue("access_type"), QStringLiteral("offline"));
    QCOMPARE(asked.queryItemValue("prompt"), QStringLiteral("consent"));
    const QString state = asked.queryItemValue("state");
    // The provider sees the challenge (as the browser would take it there).
    const QUrl authUrl(started.json()["auth_url"].toString());
    http(m_fake->rootUrl().section(':', -1).toUShort(), "GET",
         authUrl.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    const auto paste = [&](const QString &url) {
        return post("/api/provider/oauth/complete", {{"flow_id", flowId}, {"callback_url", url}});
    };
    HttpResult result = paste("http://localhost:8085/oauth2callback?code=code-1&state=wrong");
    QCOMPARE(result.body, QByteArray("oauth callback state mismatch\n"));
    result = paste("http://localhost:8085/oauth2callback?state=" + state);
    QCOMPARE(result.body, QByteArray("oauth callback missing code\n"));
    result = paste("http://exa mple.com:99999/%zz");
    QCOMPARE(result.status, 400);
    QVERIFY2(result.body.startsWith("invalid callback url: "), result.body.constData());
    QCOMPARE(flows()->pendingCount(), 1); // none of these ended the sign-in
    result = paste("http://localhost:8085/oauth2callback?code=code-1&state=" + state);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["account"].toString(), QStringLiteral("g@example.com"));
    const FakeOAuthServer::Request exchange = m_fake->requestsTo("/oauth/token").last();
    QCOMPARE(exchange.form("client_secret"), QStringLiteral("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"));
    QCOMPARE(m_fake->requestsTo("/userinfo").first().headers.value("authorization"),
             QByteArray("Bearer at-1"));

    // The provider saying no ends the flow with its error; an "error" without the flow's state
    // (any page can send the browser there) changes nothing.
    const HttpResult second = post("/api/provider/oauth/start", {{"provider", "gemini"}});
    const QString secondId = second.json()["flow_id"].toString();
    const QString secondState =
        QUrlQuery(QUrl(second.json()["auth_url"].toString())).queryItemValue("state");
    result = post("/api/provider/oauth/complete",
                  {{"flow_id", secondId},
                   {"callback_url", "http://localhost:8085/oauth2callback?error=access_denied"}});
    QCOMPARE(result.body, QByteArray("oauth callback missing code\n"));
    QCOMPARE(flows()->pendingCount(), 1);
    result =
        post("/api/provider/oauth/complete",
             {{"flow_id", secondId},
              {"callback_url",
               "http://localhost:8085/oauth2callback?error=access_denied&state=" + secondState}});
    QCOMPARE(result.body, QByteArray("oauth callback returned error: access_denied\n"));
    QCOMPARE(flows()->pendingCount(), 0);
}

void TestOAuthFlows::callbackFlowExpires()
{
    const int port = freePort();
    QVERIFY(start("claude", "claude",
                  {{"auth_url", m_fake->rootUrl() + "/authorize"},
                   {"redirect_url", QStringLiteral("http://localhost:%1/callback").arg(port)}}));
    OAuthFlows::Timing timing;
    timing.callbackLifetimeMs = 150;
    flows()->setTiming(timing);
    QSignalSpy events(m_gateway->gateway()->events(), &EventBus::published);
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "claude"}});
    const QString flowId = started.json()["flow_id"].toString();
    QVERIFY(flows()->listenerPort(flowId) > 0);
    QVERIFY(waitFor([&] { return flows()->pendingCount() == 0; }));
    QCOMPARE(flows()->listenerPort(flowId), 0);
    QCOMPARE(flowStatuses(events).last(), QStringLiteral("failed"));
    const HttpResult late = post("/api/provider/oauth/complete",
                                 {{"flow_id", flowId}, {"callback_url", "http://localhost/x"}});
    QCOMPARE(late.status, 400);
    QCOMPARE(late.body, QByteArray("oauth flow expired\n"));
}

void TestOAuthFlows::tokenEndpointFailures_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("4xx")
        << 400 << QByteArray(R"({"error":"invalid_grant"})")
        << R"(oauth token request failed: status=400 body={"error":"invalid_grant"})";
    QTest::newRow("not json") << 200 << QByteArray("<html>oops</html>")
                              << "oauth token request decode failed: illegal value";
    QTest::newRow("no tokens") << 200 << QByteArray(R"({"token_type":"Bearer"})")
                               << "oauth token payload missing access_token/refresh_token";
    QTest::newRow("no answer") << 0 << QByteArray()
                               << "oauth token request failed: no answer within 0.3 s";
}

void TestOAuthFlows::tokenEndpointFailures()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QVERIFY(start("iflow", "iflow",
                  {{"auth_url", m_fake->rootUrl() + "/authorize"},
                   {"redirect_url", QStringLiteral("http://localhost:%1/cb").arg(freePort())}}));
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "iflow"}});
    const QString state =
        QUrlQuery(QUrl(started.json()["auth_url"].toString())).queryItemValue("state");
    if (status == 0) { // the endpoint never answers
        m_fake->hangTokenRequests = true;
        OAuthFlows::Timing timing;
        timing.requestTimeoutMs = 300;
        flows()->setTiming(timing);
    } else {
        m_fake->tokenOverride = qMakePair(status, body);
    }
    const HttpResult result =
        post("/api/provider/oauth/complete",
             {{"flow_id", started.json()["flow_id"]},
              {"callback_url", "http://localhost/cb?code=code-1&state=" + state}});
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, expected.toUtf8() + '\n');
}

void TestOAuthFlows::unknownFlowsAndProviders()
{
    QVERIFY(start("qwen", "qwen", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    HttpResult result = post("/api/provider/oauth/complete", {{"flow_id", "12345"}});
    QCOMPARE(result.body, QByteArray("oauth flow not found\n"));
    result = post("/api/provider/oauth/start", {{"provider", "nope"}});
    QCOMPARE(result.status, 404);
    result = http(m_gateway->port(), "POST", "/api/provider/oauth/start", "{not json", auth());
    QCOMPARE(result.body, QByteArray("invalid json\n"));
    result = http(m_gateway->port(), "DELETE", "/api/provider/oauth/start", {}, auth());
    QCOMPARE(result.status, 405);
    // GET with query parameters starts one too.
    result = http(m_gateway->port(), "GET", "/api/provider/oauth/start?provider=qwen", {}, auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["mode"].toString(), QStringLiteral("device"));
}

void TestOAuthFlows::importOfARefreshTokenOnlyFile()
{
    QVERIFY(start("qwen", "qwen", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    const QByteArray file = R"({"refresh_token":"rt-imported","email":"r@example.com"})";
    const QByteArray body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"provider\"\r\n\r\nqwen\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"auth.json\"\r\n"
        "Content-Type: application/json\r\n\r\n" +
        file + "\r\n--XyZ--\r\n";
    const HttpResult result = http(m_gateway->port(), "POST", "/api/provider/oauth/import", body,
                                   {{"Authorization", "Bearer " + kToken},
                                    {"Content-Type", "multipart/form-data; boundary=XyZ"}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["account"].toString(), QStringLiteral("r@example.com"));
    QCOMPARE(m_fake->requestsTo("/oauth/token").last().form("refresh_token"),
             QStringLiteral("rt-imported"));
    QFile saved(result.json()["credential_file"].toString());
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QJsonObject onDisk = QJsonDocument::fromJson(saved.readAll()).object();
    QCOMPARE(onDisk["access_token"].toString(), QStringLiteral("at-refreshed-1"));
    QCOMPARE(onDisk["refresh_token"].toString(), QStringLiteral("rt-imported"));
    // Model sync after an import too.
    QCOMPARE(result.json()["models"].toArray(), (QJsonArray{"m-1", "m-2"}));
    QCOMPARE(onDisk["models"].toArray(), (QJsonArray{"m-1", "m-2"}));
}

// The refresh scan (every refresh_scan_sec) exchanges the tokens of accounts that expire within
// the flavour's lead (qwen: 3 h), with an injected clock; refresh_now takes every account that
// expires within a year and answers clawgo's result, candidate order and summary.
void TestOAuthFlows::accountsRefreshAheadOfExpiry()
{
    qint64 nowMs = QDateTime::fromString("2026-11-29T12:00:00Z", Qt::ISODate).toMSecsSinceEpoch();
    Clock::setNowFunction([&nowMs] { return nowMs; });
    const QString soon =
        writeAccount(m_gateway->dir(), "soon.json",
                     {{"provider", "qwen"},
                      {"access_token", "at-soon"},
                      {"refresh_token", "rt-soon"},
                      {"email", "soon@example.com"},
                      {"expire", "2026-11-29T14:00:00Z"}}); // in 2 h: within the lead
    const QString later = writeAccount(m_gateway->dir(), "later.json",
                                       {{"provider", "qwen"},
                                        {"access_token", "at-later"},
                                        {"refresh_token", "rt-later"},
                                        {"email", "later@example.com"},
                                        {"expire", "2026-11-29T22:00:00Z"}}); // in 10 h
    const QString bare = writeAccount(
        m_gateway->dir(), "bare.json",
        {{"provider", "qwen"}, {"access_token", "at-bare"}, {"email", "bare@example.com"}});
    QVERIFY(start("qwen", "qwen",
                  {{"credential_files", QJsonArray{soon, later, bare}}, {"refresh_scan_sec", 7}}));
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    QCOMPARE(runtime->refreshScanIntervalMs(), 7000);
    QVERIFY(waitFor([&] { return runtime->accounts("qwen").size() == 3; }));
    runtime->scanRefresh();
    QVERIFY(
        waitFor([&] { return readJson(soon)["access_token"] == QLatin1String("at-refreshed-1"); }));
    QCOMPARE(readJson(later)["access_token"].toString(), QStringLiteral("at-later"));
    QCOMPARE(m_fake->requestsTo("/oauth/token").size(), 1);
    QCOMPARE(m_fake->requestsTo("/oauth/token").first().form("refresh_token"),
             QStringLiteral("rt-soon"));
    // refresh_now with only_expiring takes the same window: the one refreshed (its new token
    // lasts 1 h) again, not the one 10 h away.
    const QJsonObject expiring =
        post("/api/provider/runtime",
             {{"provider", "qwen"}, {"action", "refresh_now"}, {"only_expiring", true}})
            .json()["result"]
            .toObject();
    QCOMPARE(expiring["refreshed"].toInt(), 1);
    QCOMPARE(expiring["skipped"].toInt(), 2);
    QCOMPARE(readJson(later)["access_token"].toString(), QStringLiteral("at-later"));
    // Eight hours on, the other one is within the lead too.
    nowMs += 8 * 3600 * 1000;
    runtime->scanRefresh();
    QVERIFY(waitFor([&] {
        return readJson(later)["access_token"].toString().startsWith(
            QLatin1String("at-refreshed-"));
    }));

    // refresh_now: both with a refresh token are refreshed, the bare one is skipped.
    const HttpResult result =
        post("/api/provider/runtime", {{"provider", "qwen"}, {"action", "refresh_now"}});
    QCOMPARE(result.status, 200);
    const QJsonObject answer = result.json();
    QCOMPARE(answer["refreshed"].toBool(), true);
    const QJsonObject summary = answer["result"].toObject();
    QCOMPARE(summary["checked"].toInt(), 3);
    QCOMPARE(summary["refreshed"].toInt(), 2);
    QCOMPARE(summary["skipped"].toInt(), 1);
    QVERIFY(!summary.contains("failed"));
    QStringList details;
    for (const QJsonValue &line : summary["accounts"].toArray())
        details << line["target"].toString() + "=" + line["status"].toString();
    details.sort();
    QCOMPARE(details, (QStringList{"bare@example.com=skipped", "later@example.com=refreshed",
                                   "soon@example.com=refreshed"}));
    QCOMPARE(answer["candidate_order"].toArray().size(), 3);
    QCOMPARE(answer["summary"]["providers"][0]["name"].toString(), QStringLiteral("qwen"));
    QCOMPARE(answer["summary"]["total_providers"].toInt(), 1);
    QVERIFY(!result.body.contains("at-refreshed")); // never a token in an answer
}

// A 401 from the provider makes the account's refresh token exchanged once and the same account
// tried again; a token the provider says was revoked disables the account, on disk too.
void TestOAuthFlows::a401RefreshesAndRetriesARevokedTokenDisables()
{
    FakeOpenAiServer llm;
    const QString file = writeAccount(m_gateway->dir(), "qwen.json",
                                      {{"provider", "qwen"},
                                       {"access_token", "at-old-token-1"},
                                       {"refresh_token", "rt-old"},
                                       {"email", "q@example.com"},
                                       {"expire", "2099-01-01T00:00:00Z"}});
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers.qwen"),
        QJsonObject{{"api_base", llm.apiBase()},
                    {"auth", "oauth"},
                    {"oauth", QJsonObject{{"provider", "qwen"},
                                          {"credential_file", file},
                                          {"token_url", m_fake->rootUrl() + "/oauth/token"}}},
                    {"models", QJsonArray{"qwen-x"}},
                    {"timeout_sec", 10}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("qwen/qwen-x"));
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(config));
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    QVERIFY(waitFor([&] { return runtime->accounts("qwen").size() == 1; }));
    // An account's token that turns up in a log line is scrubbed from it.
    LogHub::install();
    qWarning().noquote() << "the provider echoed at-old-token-1 back";
    QVERIFY(!LogHub::instance()->entriesAfter(0).last().message.contains("at-old-token-1"));
    llm.enqueue(FakeLlmReply::error(401, R"({"error":{"message":"access token expired"}})"));
    llm.enqueue(FakeLlmReply::chatText(QStringLiteral("after a refresh")));
    HttpResult reply = post("/api/chat", {{"message", "hi"}, {"session", "s1"}});
    QCOMPARE(reply.json()["reply"].toString(), QStringLiteral("after a refresh"));
    QCOMPARE(llm.requests().size(), 2);
    QCOMPARE(llm.requests().at(0).header("authorization"), QByteArray("Bearer at-old-token-1"));
    QCOMPARE(llm.requests().at(1).header("authorization"), QByteArray("Bearer at-refreshed-1"));
    QCOMPARE(readJson(file)["access_token"].toString(), QStringLiteral("at-refreshed-1"));

    // Revoked: no refresh, the account is disabled and says why.
    llm.enqueue(FakeLlmReply::error(
        401, R"({"error":{"message":"token_revoked: this token was revoked by the user"}})"));
    reply = post("/api/chat", {{"message", "again"}, {"session", "s1"}});
    QVERIFY2(reply.status != 200 || reply.json()["ok"] == false, reply.body.constData());
    QCOMPARE(m_fake->requestsTo("/oauth/token").size(), 1);
    QVERIFY(waitFor([&] { return readJson(file)["disabled"].toBool(); }));
    QCOMPARE(readJson(file)["disable_reason"].toString(), QStringLiteral("token_revoked"));
    const QJsonObject account = runtime->accounts("qwen").first().toObject();
    QCOMPARE(account["disabled"].toBool(), true);
    QCOMPARE(account["health_score"].toInt(), 0);
    const QJsonObject view =
        http(m_gateway->port(), "GET", "/api/provider/runtime?provider=qwen", {}, auth()).json();
    QVERIFY(reasonsOf(view["view"]["items"][0]["recent_changes"].toArray())
                .contains("oauth_disabled_token_revoked"));
    // A disabled account is no candidate: the next question says there is none to use.
    reply = post("/api/chat", {{"message", "third"}, {"session", "s1"}});
    QVERIFY2(reply.body.contains("no OAuth account"), reply.body.constData());
    QCOMPARE(llm.requests().size(), 3);
}

// A Codex (ChatGPT plan) account: the turn goes to <api_base>/responses with the Codex CLI's
// headers and the account's id, the body normalised as the backend wants it, and its stream
// (ending in response.done) arrives as the reply.
void TestOAuthFlows::codexTurnStreamsWithTheAccountsHeaders()
{
    FakeOpenAiServer backend;
    const QString file = writeAccount(m_gateway->dir(), "codex.json",
                                      {{"provider", "codex"},
                                       {"access_token", "at-codex"},
                                       {"refresh_token", "rt-codex"},
                                       {"account_id", "acct-chatgpt-1"},
                                       {"email", "u@example.com"},
                                       {"expire", "2099-01-01T00:00:00Z"}});
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers.codex"),
        QJsonObject{{"api_base", backend.apiBase()},
                    {"auth", "oauth"},
                    {"oauth", QJsonObject{{"provider", "codex"}, {"credential_file", file}}},
                    {"models", QJsonArray{"gpt-5-codex"}},
                    {"timeout_sec", 10}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("codex/gpt-5-codex(high)"));
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(config));
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    QVERIFY(waitFor([&] { return runtime->accounts("codex").size() == 1; }));
    FakeLlmReply stream = FakeLlmReply::responsesStream({"Hel", "lo from ", "Codex"});
    QJsonObject done = QJsonDocument::fromJson(stream.events.last()).object();
    done.insert("type", "response.done"); // the backend's name for response.completed
    stream.events.last() = QJsonDocument(done).toJson(QJsonDocument::Compact);
    backend.enqueue(stream);
    const HttpResult reply = post("/api/chat", {{"message", "hi"}, {"session", "s1"}});
    QCOMPARE(reply.json()["reply"].toString(), QStringLiteral("Hello from Codex"));
    const RecordedRequest &request = backend.requests().last();
    QCOMPARE(request.path, QStringLiteral("/v1/responses"));
    QCOMPARE(request.header("authorization"), QByteArray("Bearer at-codex"));
    QCOMPARE(request.header("chatgpt-account-id"), QByteArray("acct-chatgpt-1"));
    QCOMPARE(request.header("originator"), QByteArray("codex-tui"));
    QCOMPARE(request.header("version"), QByteArray("0.115.0-alpha.27"));
    QVERIFY(request.header("user-agent").startsWith("codex-tui/"));
    QCOMPARE(request.header("session_id").size(), 36);
    QCOMPARE(request.header("accept"), QByteArray("text/event-stream"));
    const QJsonObject body = request.body;
    QCOMPARE(body["stream"].toBool(), true);
    QCOMPARE(body["store"].toBool(true), false);
    QCOMPARE(body["parallel_tool_calls"].toBool(), true);
    QVERIFY(body["include"].toArray().contains(QJsonValue("reasoning.encrypted_content")));
    QCOMPARE(body["reasoning"]["effort"].toString(), QStringLiteral("high"));
    for (const char *refused : {"temperature", "max_output_tokens", "top_p", "user"})
        QVERIFY2(!body.contains(QLatin1String(refused)), refused);
    QStringList roles;
    for (const QJsonValue &item : body["input"].toArray())
        roles << item["role"].toString();
    QCOMPARE(roles.first(), QStringLiteral("developer")); // the system prompt
    QVERIFY(!roles.contains("system"));
    QVERIFY(!reply.body.contains("at-codex"));
}

// A sign-in for a provider that is not configured yet, described by the request's
// provider_config: checked first, then saved with its new account.
void TestOAuthFlows::inlineProviderConfigIsSavedWithTheAccount()
{
    QVERIFY(start("qwen", "qwen", {{"auth_url", m_fake->rootUrl() + "/device"}}));
    const QJsonObject inlineConfig{
        {"api_base", m_fake->rootUrl() + "/v1"},
        {"models", QJsonArray{"m-9"}},
        {"oauth", QJsonObject{{"provider", "qwen"},
                              {"auth_url", m_fake->rootUrl() + "/device"},
                              {"token_url", m_fake->rootUrl() + "/oauth/token"}}}};
    QJsonObject broken = inlineConfig;
    broken.insert("timeout_sec", "soon");
    HttpResult result =
        post("/api/provider/oauth/start", {{"provider", "second"}, {"provider_config", broken}});
    QCOMPARE(result.status, 400);
    QVERIFY2(result.body.startsWith("invalid provider_config: "), result.body.constData());
    QVERIFY(m_fake->requestsTo("/device").isEmpty());
    result = post("/api/provider/oauth/start", {{"provider", "second"},
                                                {"account_label", "second@example.com"},
                                                {"provider_config", inlineConfig}});
    QVERIFY2(result.status == 200, result.body.constData());
    const HttpResult done =
        post("/api/provider/oauth/complete", {{"flow_id", result.json()["flow_id"]}});
    QCOMPARE(done.status, 200);
    const QJsonObject config = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
    const QJsonObject saved = JsonUtil::valueAt(config, "models.providers.second").toObject();
    QCOMPARE(saved["auth"].toString(), QStringLiteral("oauth"));
    QCOMPARE(saved["models"].toArray(), QJsonArray{"m-9"});
    QCOMPARE(saved["oauth"]["credential_file"].toString(),
             done.json()["credential_file"].toString());
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    QVERIFY(waitFor([&] { return runtime->accounts("second").size() == 1; }));
}

// Antigravity (Google): the email from userinfo and the Code Assist project, both asked with
// the new token, end up in the credential file.
void TestOAuthFlows::antigravityLearnsItsEmailAndProject()
{
    QVERIFY(start(
        "antigravity", "antigravity",
        {{"auth_url", m_fake->rootUrl() + "/authorize"},
         {"redirect_url", QStringLiteral("http://localhost:%1/oauth-callback").arg(freePort())}}));
    m_fake->email.clear();
    const HttpResult started = post("/api/provider/oauth/start", {{"provider", "antigravity"}});
    const QUrl authUrl(started.json()["auth_url"].toString());
    QCOMPARE(QUrlQuery(authUrl).queryItemValue("scope").count(' '), 4); // five scopes
    http(m_fake->rootUrl().section(':', -1).toUShort(), "GET",
         authUrl.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority));
    const QString state = QUrlQuery(authUrl).queryItemValue("state");
    const HttpResult done =
        post("/api/provider/oauth/complete",
             {{"flow_id", started.json()["flow_id"]},
              {"callback_url", "http://localhost/oauth-callback?code=code-1&state=" + state}});
    QCOMPARE(done.status, 200);
    QCOMPARE(done.json()["account"].toString(), QStringLiteral("g@example.com"));
    QCOMPARE(readJson(done.json()["credential_file"].toString())["project_id"].toString(),
             QStringLiteral("proj-1"));
    const QJsonObject asked = m_fake->requestsTo("/v1internal:loadCodeAssist").first().json();
    QCOMPARE(asked.value("metadata").toObject().value("ideType").toString(),
             QStringLiteral("ANTIGRAVITY"));
}

QTEST_GUILESS_MAIN(TestOAuthFlows)
#include "tst_oauth_flows.moc"
