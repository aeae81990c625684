// The provider runtime through the gateway: turns on the Anthropic and Gemini protocols end to
// end, failover from a cooling candidate to the next provider and back after the cooldown
// (injected clock), one error naming every provider tried, every filter and action of
// /api/provider/runtime, history surviving a restart, and /api/provider/models.

#include "agent/agentruntime.h"
#include "core/clock.h"
#include "core/jsonutil.h"
#include "fakes/fakeopenaiserver.h"
#include "providers/aistudiorelay.h"
#include "providers/providerruntime.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QUrlQuery>
#include <QWebSocket>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

class TestProviderRuntime : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void toolTurnOverAnthropic();
    void toolTurnOverGemini();
    void failoverAndBackAfterCooldown();
    void oneErrorNamesEveryProvider();
    void brokenStreamIsRecorded();
    void runtimeFilters_data();
    void runtimeFilters();
    void runtimePaging();
    void runtimeActions();
    void historySurvivesRestart();
    void modelsAreSaved();
    void relayRoundTrip();
    void quittingDuringARelayRequest();
    void viewHidesCredentialsInApiBase();
    void oauthAccountsAreCandidates();
    void importAddsAnAccount();
    void refreshExchangesTheRefreshToken();

private:
    QJsonObject config(const QString &primary, bool persist = false) const;
    bool start(const QString &primary, bool persist = false);
    HttpResult chat(const QString &text, const QString &session = QStringLiteral("s1"));
    QJsonObject runtimeView(const QByteArray &query = QByteArray());
    QJsonObject item(const QJsonObject &view, const QString &name) const;
    // Primary "qwen": an OAuth provider (auth "oauth") at the fake OpenAI-compatible server.
    bool startWithQwenAccounts();
    void advanceClock(qint64 seconds) { m_nowMs += seconds * 1000; }

    std::unique_ptr<FakeAnthropicServer> m_claude;
    std::unique_ptr<FakeGeminiServer> m_gemini;
    std::unique_ptr<FakeOpenAiServer> m_local;
    std::unique_ptr<TestGateway> m_gateway;
    qint64 m_nowMs = 0;
};

void TestProviderRuntime::init()
{
    m_nowMs = QDateTime::currentMSecsSinceEpoch();
    Clock::setNowFunction([this] { return m_nowMs; });
    m_claude = std::make_unique<FakeAnthropicServer>();
    m_gemini = std::make_unique<FakeGeminiServer>();
    m_local = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
}

void TestProviderRuntime::cleanup()
{
    m_gateway.reset();
    m_claude.reset();
    m_gemini.reset();
    m_local.reset();
    Clock::setNowFunction(nullptr);
}

QJsonObject TestProviderRuntime::config(const QString &primary, bool persist) const
{
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    QJsonObject claude{{"api_base", m_claude->apiBase()},
                       {"api_key", "sk-ant-primary-1111"},
                       {"models", QJsonArray{"claude-x"}},
                       {"timeout_sec", 10}};
    if (persist)
        claude.insert("runtime_persist", true);
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"claude", claude},
            {"gemini", QJsonObject{{"api_base", m_gemini->apiBase()},
                                   {"api_key", "AIza-second-2222"},
                                   {"models", QJsonArray{"gemini-x"}},
                                   {"timeout_sec", 10}}},
            {"local", QJsonObject{{"api_base", m_local->apiBase()},
                                  {"api_key", "sk-local-3333"},
                                  {"models", QJsonArray{"local-x"}},
                                  {"timeout_sec", 10},
                                  {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"), primary);
    return config;
}

bool TestProviderRuntime::start(const QString &primary, bool persist)
{
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    return m_gateway->start(config(primary, persist));
}

bool TestProviderRuntime::startWithQwenAccounts()
{
    QJsonObject cfg = config(QStringLiteral("qwen/qwen-x"));
    JsonUtil::setValueAt(
        cfg, QStringLiteral("models.providers.qwen"),
        QJsonObject{{"api_base", m_local->apiBase()},
                    {"auth", "oauth"},
                    {"oauth", QJsonObject{{"provider", "qwen"},
                                          {"token_url", m_local->rootUrl() + "/oauth/token"}}},
                    {"models", QJsonArray{"qwen-x"}},
                    {"timeout_sec", 10}});
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    return m_gateway->start(cfg);
}

HttpResult TestProviderRuntime::chat(const QString &text, const QString &session)
{
    const QByteArray body = QJsonDocument(QJsonObject{{"message", text}, {"session", session}})
                                .toJson(QJsonDocument::Compact);
    return http(m_gateway->port(), "POST", "/api/chat", body, auth());
}

QJsonObject TestProviderRuntime::runtimeView(const QByteArray &query)
{
    const HttpResult result =
        http(m_gateway->port(), "GET", "/api/provider/runtime" + query, {}, auth());
    if (result.status != 200)
        qWarning() << result.status << result.body;
    return result.json().value("view").toObject();
}

QJsonObject TestProviderRuntime::item(const QJsonObject &view, const QString &name) const
{
    for (const QJsonValue &value : view.value("items").toArray())
        if (value["name"].toString() == name)
            return value.toObject();
    return QJsonObject();
}

QStringList reasonsOf(const QJsonArray &events)
{
    QStringList reasons;
    for (const QJsonValue &event : events)
        reasons << event["reason"].toString();
    return reasons;
}

void TestProviderRuntime::toolTurnOverAnthropic()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    QFile file(m_gateway->dir() + QStringLiteral("/workspace/notes.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("the secret word is ostrich");
    file.close();
    m_claude->enqueue(FakeLlmReply::anthropicToolCallStream("toolu_1", "read_file",
                                                            {"{\"path\":", " \"notes.txt\"}"}));
    m_claude->enqueue(FakeLlmReply::anthropicStream({"The word is ", "ostrich."}));
    const HttpResult result = chat(QStringLiteral("what is the word?"));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("The word is ostrich."));
    QCOMPARE(m_claude->requests().size(), 2);
    const QJsonArray messages = m_claude->requests().at(1).body.value("messages").toArray();
    const QJsonObject toolTurn = messages.last().toObject();
    QCOMPARE(toolTurn["role"].toString(), QStringLiteral("user"));
    QCOMPARE(toolTurn["content"][0][QLatin1String("type")].toString(),
             QStringLiteral("tool_result"));
    QCOMPARE(toolTurn["content"][0][QLatin1String("tool_use_id")].toString(),
             QStringLiteral("toolu_1"));
    QVERIFY(toolTurn["content"][0][QLatin1String("content")].toString().contains("ostrich"));
    QVERIFY(m_local->requests().isEmpty());
    // Two hits for the key, no errors.
    const QJsonObject claude = item(runtimeView(), "claude");
    QCOMPARE(claude["recent_hits"].toArray().size(), 2);
    QCOMPARE(claude["recent_errors"].toArray().size(), 0);
    QCOMPARE(claude["api_state"][QLatin1String("token_masked")].toString(),
             QStringLiteral("sk-a***1111"));
    QCOMPARE(claude["type"].toString(), QStringLiteral("claude"));
}

void TestProviderRuntime::toolTurnOverGemini()
{
    QVERIFY(start(QStringLiteral("gemini/gemini-x")));
    QFile file(m_gateway->dir() + QStringLiteral("/workspace/notes.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("café");
    file.close();
    m_gemini->enqueue(FakeLlmReply::geminiFunctionCall("read_file", {{"path", "notes.txt"}}));
    m_gemini->enqueue(FakeLlmReply::geminiStream({"It says ", "café."}));
    const HttpResult result = chat(QStringLiteral("read notes"));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("It says café."));
    QCOMPARE(m_gemini->requests().size(), 2);
    const QJsonArray contents = m_gemini->requests().at(1).body.value("contents").toArray();
    const QJsonObject response =
        contents.last()["parts"][0][QLatin1String("functionResponse")].toObject();
    QCOMPARE(response["name"].toString(), QStringLiteral("read_file"));
    QVERIFY(
        response["response"][QLatin1String("result")].toString().contains(QStringLiteral("café")));
    QVERIFY(!response.contains("id")); // Gemini sent no id: none goes back
}

void TestProviderRuntime::failoverAndBackAfterCooldown()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    m_claude->enqueue(FakeLlmReply::error(429, R"({"error":{"message":"rate limit exceeded"}})",
                                          {{"Retry-After", "120"}}));
    m_gemini->enqueue(FakeLlmReply::geminiStream({"from gemini"}));
    HttpResult result = chat(QStringLiteral("hello"));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("from gemini"));
    QCOMPARE(m_claude->requests().size(), 1);
    QCOMPARE(m_gemini->requests().size(), 1);

    QJsonObject claude = item(runtimeView(), "claude");
    const QJsonObject apiState = claude["api_state"].toObject();
    QCOMPARE(apiState["failure_count"].toInt(), 1);
    QCOMPARE(apiState["last_failure"].toString(), QStringLiteral("rate_limit"));
    QCOMPARE(apiState["health_score"].toInt(), 90);
    const QDateTime until =
        QDateTime::fromString(apiState["cooldown_until"].toString(), Qt::ISODate);
    QVERIFY(until.isValid());
    QCOMPARE(qAbs(until.toMSecsSinceEpoch() - (m_nowMs + 120000)) < 2000, true);
    QCOMPARE(reasonsOf(claude["recent_errors"].toArray()), QStringList{"rate_limit"});
    QVERIFY(reasonsOf(claude["recent_changes"].toArray()).contains("api_key_cooldown_rate_limit"));
    QCOMPARE(claude["candidate_order"][0][QLatin1String("status")].toString(),
             QStringLiteral("cooldown"));
    QCOMPARE(item(runtimeView(), "gemini")["recent_hits"].toArray().size(), 1);

    // While claude cools down, the session stays on gemini: claude gets no request.
    m_gemini->enqueue(FakeLlmReply::geminiStream({"gemini again"}));
    result = chat(QStringLiteral("again"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("gemini again"));
    QCOMPARE(m_claude->requests().size(), 1);

    // After the cooldown, claude answers again.
    advanceClock(121);
    m_claude->enqueue(FakeLlmReply::anthropicStream({"claude is back"}));
    result = chat(QStringLiteral("third"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("claude is back"));
    QCOMPARE(m_claude->requests().size(), 2);
    claude = item(runtimeView(), "claude");
    QVERIFY(!claude["api_state"].toObject().contains("cooldown_until"));
    QCOMPARE(claude["api_state"][QLatin1String("health_score")].toInt(), 93);
    QCOMPARE(claude["last_success"][QLatin1String("kind")].toString(), QStringLiteral("api_key"));
}

void TestProviderRuntime::oneErrorNamesEveryProvider()
{
    QVERIFY(start(QStringLiteral("local/local-x")));
    m_local->enqueue(FakeLlmReply::error(500, "local broke"));
    m_claude->enqueue(FakeLlmReply::error(401, R"({"error":{"message":"invalid x-api-key"}})"));
    m_gemini->enqueue(FakeLlmReply::error(503, "gemini busy"));
    HttpResult result = chat(QStringLiteral("anyone?"));
    QCOMPARE(result.status, 500);
    const QString error = QString::fromUtf8(result.body);
    for (const char *expected :
         {"no provider could answer", "provider \"local\"", "local broke", "provider \"claude\"",
          "invalid x-api-key", "provider \"gemini\"", "gemini busy"})
        QVERIFY2(error.contains(QLatin1String(expected)), qPrintable(error));
    QVERIFY(!error.contains("sk-ant-primary-1111"));
    // Every provider cools down now; the next turn says when each may be tried, and tries the
    // one whose failure was passing (a 5xx) once more rather than locking the user out.
    m_local->enqueue(FakeLlmReply::error(500, "local broke again"));
    result = chat(QStringLiteral("still?"));
    QCOMPARE(result.status, 500);
    const QString second = QString::fromUtf8(result.body);
    for (const char *expected : {"provider \"claude\" (api key sk-a***1111) is cooling down until",
                                 "after unauthorized", "provider \"gemini\"", "local broke again"})
        QVERIFY2(second.contains(QLatin1String(expected)), qPrintable(second));
    QCOMPARE(m_gemini->requests().size(), 1); // tried once: the first to recover was local
    m_local->enqueue(FakeLlmReply::chatText(QStringLiteral("local recovered")));
    result = chat(QStringLiteral("now?"));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("local recovered"));
    QCOMPARE(m_claude->requests().size(), 1); // 401: not retried while it cools down
}

void TestProviderRuntime::brokenStreamIsRecorded()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    FakeLlmReply broken = FakeLlmReply::anthropicToolCallStream("t", "read_file", {"{\"pa"});
    m_claude->enqueue(broken);
    m_gemini->enqueue(FakeLlmReply::geminiStream({"saved by gemini"}));
    const HttpResult result = chat(QStringLiteral("x"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("saved by gemini"));
    const QJsonObject claude = item(runtimeView(), "claude");
    QCOMPARE(reasonsOf(claude["recent_errors"].toArray()), QStringList{"bad_answer"});
    QVERIFY(
        claude["recent_errors"][0][QLatin1String("detail")].toString().contains("complete JSON"));
    // A broken answer is not the key's fault: no cooldown.
    QVERIFY(!claude["api_state"].toObject().contains("cooldown_until"));
}

void TestProviderRuntime::runtimeFilters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("providers");
    QTest::addColumn<QStringList>("eventReasons"); // of claude's `events`, newest first
    QTest::newRow("all") << QByteArray("") << QStringList{"claude", "gemini", "local"}
                         << QStringList{"", "quota", "api_key_cooldown_quota", "",
                                        "candidate_order_changed"};
    QTest::newRow("provider by alias")
        << QByteArray("?provider=anthropic") << QStringList{"claude"}
        << QStringList{"", "quota", "api_key_cooldown_quota", "", "candidate_order_changed"};
    QTest::newRow("kind") << QByteArray("?provider=claude&kind=SCHEDULER") << QStringList{"claude"}
                          << QStringList{"candidate_order_changed"};
    QTest::newRow("reason substring")
        << QByteArray("?provider=claude&reason=QUOTA") << QStringList{"claude"}
        << QStringList{"quota", "api_key_cooldown_quota"};
    QTest::newRow("target or detail")
        << QByteArray("?provider=claude&target=entered+cooldown") << QStringList{"claude"}
        << QStringList{"api_key_cooldown_quota"};
    QTest::newRow("changes only") << QByteArray("?provider=claude&changes_only=TRUE")
                                  << QStringList{"claude"}
                                  << QStringList{"api_key_cooldown_quota",
                                                 "candidate_order_changed"};
    QTest::newRow("window") << QByteArray("?provider=claude&window_sec=100")
                            << QStringList{"claude"} << QStringList{""};
    QTest::newRow("ascending") << QByteArray("?provider=claude&sort=asc") << QStringList{"claude"}
                               << QStringList{"", "candidate_order_changed", "quota",
                                              "api_key_cooldown_quota", ""};
    QTest::newRow("health below") << QByteArray("?health_below=70") << QStringList{"claude"}
                                  << QStringList{"", "quota", "api_key_cooldown_quota", "",
                                                 "candidate_order_changed"};
    QTest::newRow("cooldown before")
        << QByteArray("?cooldown_until_before_sec=7200") << QStringList{"claude"}
        << QStringList{"", "quota", "api_key_cooldown_quota", "", "candidate_order_changed"};
    QTest::newRow("cooldown before, too early")
        << QByteArray("?cooldown_until_before_sec=60") << QStringList{} << QStringList{};
    QTest::newRow("invalid integers are absent")
        << QByteArray("?provider=claude&window_sec=abc&limit=-3") << QStringList{"claude"}
        << QStringList{"", "quota", "api_key_cooldown_quota", "", "candidate_order_changed"};
}

void TestProviderRuntime::runtimeFilters()
{
    QFETCH(QByteArray, query);
    QFETCH(QStringList, providers);
    QFETCH(QStringList, eventReasons);
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    // History, 10 minutes apart: a hit, a quota failure (cooldown), and a hit on a later turn.
    m_claude->enqueue(FakeLlmReply::anthropicStream({"one"}));
    QCOMPARE(chat(QStringLiteral("1")).status, 200);
    advanceClock(600);
    m_claude->enqueue(FakeLlmReply::error(429, R"({"error":{"code":"insufficient_quota"}})"));
    m_gemini->enqueue(FakeLlmReply::geminiStream({"two"}));
    QCOMPARE(chat(QStringLiteral("2")).status, 200);
    advanceClock(600);
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    ProviderRuntime::Candidate claude;
    claude.provider = QStringLiteral("claude");
    claude.kind = QStringLiteral("api_key");
    claude.target = QStringLiteral("sk-o***9999"); // another key's hit: the cooldown stays
    runtime->recordSuccess(claude);
    const QJsonObject view = runtimeView(query);
    QStringList names;
    for (const QJsonValue &value : view.value("items").toArray())
        names << value["name"].toString();
    QCOMPARE(names, providers);
    if (providers.isEmpty())
        return;
    const QJsonObject first = view["items"][0].toObject();
    QVERIFY2(reasonsOf(first["events"].toArray()) == eventReasons,
             QJsonDocument(first["events"].toArray()).toJson(QJsonDocument::Compact).constData());
    // Lists are lists, never null.
    for (const char *key : {"recent_hits", "recent_errors", "recent_changes", "candidate_order"})
        QVERIFY2(first.value(key).isArray(), key);
}

void TestProviderRuntime::runtimePaging()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    ProviderRuntime::Candidate claude;
    claude.provider = QStringLiteral("claude");
    claude.kind = QStringLiteral("api_key");
    claude.target = QStringLiteral("sk-a***1111");
    for (int i = 0; i < 10; ++i) {
        advanceClock(1);
        runtime->recordSuccess(claude);
    }
    QJsonObject page = item(runtimeView("?provider=claude&limit=4"), "claude");
    QCOMPARE(page["events"].toArray().size(), 4);
    QCOMPARE(page["next_cursor"].toInt(), 4);
    page = item(runtimeView("?provider=claude&limit=4&cursor=8"), "claude");
    QCOMPARE(page["events"].toArray().size(), 2);
    QCOMPARE(page["next_cursor"].toInt(), 0);
    // The history is bounded by runtime_history_max (24 by default).
    for (int i = 0; i < 40; ++i)
        runtime->recordSuccess(claude);
    QCOMPARE(item(runtimeView("?provider=claude"), "claude")["recent_hits"].toArray().size(), 24);
    // An unknown provider is named.
    const HttpResult unknown =
        http(m_gateway->port(), "GET", "/api/provider/runtime?provider=nope", {}, auth());
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.body, QByteArray("provider \"nope\" not found\n"));
}

void TestProviderRuntime::runtimeActions()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    m_claude->enqueue(FakeLlmReply::error(403, "forbidden"));
    m_gemini->enqueue(FakeLlmReply::geminiStream({"ok"}));
    QCOMPARE(chat(QStringLiteral("1")).status, 200);
    const auto post = [this](const QByteArray &body) {
        return http(m_gateway->port(), "POST", "/api/provider/runtime", body, auth());
    };
    QVERIFY(item(runtimeView(), "claude")["api_state"].toObject().contains("cooldown_until"));

    HttpResult result = post(R"({"provider":"claude","action":" Clear_API_Cooldown "})");
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json(), (QJsonObject{{"ok", true}, {"cleared", true}}));
    QJsonObject claude = item(runtimeView(), "claude");
    QVERIFY(!claude["api_state"].toObject().contains("cooldown_until"));
    QCOMPARE(claude["api_state"][QLatin1String("failure_count")].toInt(), 1); // kept
    QCOMPARE(claude["recent_changes"][0][QLatin1String("reason")].toString(),
             QStringLiteral("manual_clear_api_cooldown"));

    result = post(R"({"action":"rerank"})"); // empty provider: the primary
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["provider"].toString(), QStringLiteral("claude"));
    QCOMPARE(result.json()["reranked"].toBool(), true);
    QCOMPARE(result.json()["candidate_order"][0][QLatin1String("target")].toString(),
             QStringLiteral("sk-a***1111"));
    QCOMPARE(result.json()["candidate_order"][0][QLatin1String("status")].toString(),
             QStringLiteral("ready"));

    result = post(R"({"provider":"claude","action":"clear_history"})");
    QCOMPARE(result.json(), (QJsonObject{{"ok", true}, {"cleared", true}}));
    claude = item(runtimeView(), "claude");
    QCOMPARE(claude["recent_errors"].toArray().size(), 0);
    QCOMPARE(claude["recent_changes"].toArray().size(), 0);
    QVERIFY(claude["last_success"].isNull());
    QCOMPARE(claude["candidate_order"].toArray().size(), 1);

    result = post(R"({"provider":"claude","action":"refresh_now"})");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("provider \"claude\" does not use oauth\n"));
    result = post(R"({"provider":"claude","action":"explode"})");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("unsupported action\n"));
    result = post(R"({"provider":"nope","action":"rerank"})");
    QCOMPARE(result.status, 404);
    QCOMPARE(result.body, QByteArray("provider \"nope\" not found\n"));
    result = post("{not json");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("invalid json\n"));
    result = http(m_gateway->port(), "DELETE", "/api/provider/runtime", {}, auth());
    QCOMPARE(result.status, 405);
    result = http(m_gateway->port(), "GET", "/api/provider/runtime", {}, {});
    QCOMPARE(result.status, 401);
}

void TestProviderRuntime::historySurvivesRestart()
{
    QVERIFY(start(QStringLiteral("claude/claude-x"), true));
    m_claude->enqueue(FakeLlmReply::error(429, R"({"error":{"message":"rate limit"}})"));
    m_gemini->enqueue(FakeLlmReply::geminiStream({"ok"}));
    QCOMPARE(chat(QStringLiteral("1")).status, 200);
    const QString file = m_gateway->dir() + QStringLiteral("/runtime/providers/claude.json");
    const QString geminiFile = m_gateway->dir() + QStringLiteral("/runtime/providers/gemini.json");
    m_gateway->gateway()->agent()->providerRuntime()->flush();
    QVERIFY2(QFileInfo::exists(file),
             QJsonDocument(m_gateway->gateway()->configStore()->effective()["models"].toObject())
                 .toJson()
                 .constData());
    QVERIFY(!QFileInfo::exists(geminiFile)); // only with runtime_persist
    QCOMPARE(QFileInfo(file).permissions() & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFile::permissions(QFileInfo(file).absolutePath()) & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    // Restart on the same folder (the config file stays as it is).
    QVERIFY2(m_gateway->start(), qPrintable(m_gateway->error()));
    Gateway *second = m_gateway->gateway();
    QJsonObject claude;
    QVERIFY(waitFor([&] {
        const HttpResult result =
            http(second->port(), "GET", "/api/provider/runtime?provider=claude", {}, auth());
        claude = result.json()["view"][QLatin1String("items")][0].toObject();
        return !claude["recent_errors"].toArray().isEmpty();
    }));
    QCOMPARE(reasonsOf(claude["recent_errors"].toArray()), QStringList{"rate_limit"});
    QVERIFY(claude["api_state"].toObject().contains("cooldown_until"));
    QCOMPARE(claude["api_state"][QLatin1String("failure_count")].toInt(), 1);
}

void TestProviderRuntime::modelsAreSaved()
{
    QVERIFY(start(QStringLiteral("claude/claude-x")));
    QWebSocket events;
    QStringList seen;
    connect(&events, &QWebSocket::textMessageReceived, this,
            [&seen](const QString &text) { seen << text; });
    events.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                         .arg(m_gateway->port())
                         .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return events.state() == QAbstractSocket::ConnectedState; }));
    const auto post = [this](const QByteArray &body) {
        return http(m_gateway->port(), "POST", "/api/provider/models", body, auth());
    };
    HttpResult result = post(R"({"provider":"anthropic","models":[" a ","b","a",""],"model":"c"})");
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json()["models"].toArray(), (QJsonArray{"a", "b", "c"}));
    QVERIFY(waitFor([&] { return seen.join("").contains("config_changed"); }));
    const QJsonObject file = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(
        file["models"][QLatin1String("providers")]["claude"][QLatin1String("models")].toArray(),
        (QJsonArray{"a", "b", "c"}));
    QVERIFY(!file["models"][QLatin1String("providers")].toObject().contains(
        "anthropic")); // the canonical key
    QCOMPARE(
        file["models"][QLatin1String("providers")]["claude"][QLatin1String("api_key")].toString(),
        QStringLiteral("sk-ant-primary-1111"));

    result = post(R"({"provider":"claude","model":"c","models":["c"]})");
    QCOMPARE(result.json()["models"].toArray(), QJsonArray{"c"});
    result = post(R"({"model":"x"})"); // the primary provider
    QCOMPARE(result.status, 200);
    QCOMPARE(QJsonDocument::fromJson(m_gateway->readConfigFile())["models"][QLatin1String(
                 "providers")]["claude"][QLatin1String("models")]
                 .toArray(),
             QJsonArray{"x"});
    result = post(R"({"provider":"claude","models":["  "]})");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("model required\n"));
    result = post(R"({"provider":"nope","model":"a"})");
    QCOMPARE(result.status, 404);
    result = post("[1,2");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("invalid json\n"));
    result = http(m_gateway->port(), "GET", "/api/provider/models", {}, auth());
    QCOMPARE(result.status, 405);
}

// The browser side of the AI Studio relay: answers each http_request with `answer`.
class RelayHelper : public QObject
{
public:
    std::function<void(RelayHelper &, const QJsonObject &request)> answer;
    QList<QJsonObject> requests;
    QList<QJsonObject> others;
    bool connected = false;
    bool closed = false;
    QWebSocket socket;

    bool open(quint16 port, const QString &provider)
    {
        connect(&socket, &QWebSocket::connected, this, [this] { connected = true; });
        connect(&socket, &QWebSocket::disconnected, this, [this] { closed = true; });
        connect(&socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value("type").toString() != QLatin1String("http_request")) {
                others << message;
                return;
            }
            requests << message;
            if (answer)
                answer(*this, message);
        });
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/v1/ws?token=%2&provider=%3")
                             .arg(port)
                             .arg(QString::fromLatin1(kToken), provider)));
        return waitFor([this] { return connected; });
    }
    void send(const QJsonObject &message)
    {
        socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }
};

void TestProviderRuntime::relayRoundTrip()
{
    QJsonObject cfg = config(QStringLiteral("aistudio/gemini-x"));
    JsonUtil::setValueAt(cfg, QStringLiteral("models.providers.aistudio"),
                         QJsonObject{{"api_base", "https://generativelanguage.googleapis.com"},
                                     {"models", QJsonArray{"gemini-x"}},
                                     {"timeout_sec", 1}}); // a helper that never answers: 1 s
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY2(m_gateway->start(cfg), qPrintable(m_gateway->error()));

    // No helper yet: the turn falls back and the error of the relay is recorded as a note.
    m_claude->enqueue(FakeLlmReply::anthropicStream({"claude instead"}));
    QCOMPARE(chat(QStringLiteral("0")).json().value("reply").toString(),
             QStringLiteral("claude instead"));

    RelayHelper helper;
    helper.answer = [](RelayHelper &self, const QJsonObject &request) {
        const QString id = request.value("id").toString();
        const QByteArray sse = FakeLlmReply::geminiStream({"relayed ", "hëllo"}).sseBytes();
        self.send({{"id", id},
                   {"type", "stream_start"},
                   {"payload",
                    QJsonObject{{"status", 200},
                                {"headers", QJsonObject{{"Content-Type",
                                                         QJsonArray{"text/event-stream"}}}}}}});
        self.send({{"id", id},
                   {"type", "stream_chunk"},
                   {"payload", QJsonObject{{"data", QString::fromUtf8(sse.left(30))}}}});
        self.send({{"id", id},
                   {"type", "stream_chunk"},
                   {"payload", QJsonObject{{"data", QString::fromUtf8(sse.mid(30))}}}});
        self.send({{"id", id}, {"type", "stream_end"}});
    };
    QVERIFY(helper.open(m_gateway->port(), QStringLiteral("AIStudio")));
    // Junk is ignored: not JSON, an unknown id, a JSON ping answered with a pong.
    helper.socket.sendTextMessage(QStringLiteral("not json"));
    helper.send(
        {{"id", "nope"}, {"type", "http_response"}, {"payload", QJsonObject{{"status", 200}}}});
    helper.send({{"id", "p1"}, {"type", "ping"}});
    QVERIFY(waitFor([&] { return !helper.others.isEmpty(); }));
    QCOMPARE(helper.others.first(), (QJsonObject{{"id", "p1"}, {"type", "pong"}}));

    HttpResult result = chat(QStringLiteral("1"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("relayed hëllo"));
    QCOMPARE(helper.requests.size(), 1);
    const QJsonObject payload = helper.requests.first()["payload"].toObject();
    QCOMPARE(payload["method"].toString(), QStringLiteral("POST"));
    QVERIFY2(payload["url"].toString().startsWith("https://generativelanguage.googleapis.com/"
                                                  "v1beta/models/gemini-x:streamGenerateContent"),
             qPrintable(payload["url"].toString()));
    QVERIFY(
        QJsonDocument::fromJson(payload["body"].toString().toUtf8()).object().contains("contents"));
    QVERIFY(!payload["sent_at"].toString().isEmpty());

    // A plain answer.
    helper.answer = [](RelayHelper &self, const QJsonObject &request) {
        self.send({{"id", request.value("id")},
                   {"type", "http_response"},
                   {"payload",
                    QJsonObject{{"status", 200},
                                {"headers", QJsonObject{{"content-type", "application/json"}}},
                                {"body", QString::fromUtf8(
                                             FakeLlmReply::geminiText("plain relay").body)}}}});
    };
    result = chat(QStringLiteral("2"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("plain relay"));

    // A second helper replaces the first.
    RelayHelper second;
    second.answer = helper.answer;
    QVERIFY(second.open(m_gateway->port(), QStringLiteral("aistudio")));
    QVERIFY(waitFor([&] { return helper.closed; }));
    result = chat(QStringLiteral("3"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("plain relay"));
    QCOMPARE(second.requests.size(), 1);

    // The helper goes away mid-request: the turn moves on (claude answers), no hang.
    second.answer = [](RelayHelper &self, const QJsonObject &) { self.socket.abort(); };
    m_claude->enqueue(FakeLlmReply::anthropicStream({"after the relay closed"}));
    result = chat(QStringLiteral("4"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("after the relay closed"));

    const QJsonObject relay = item(runtimeView("?provider=aistudio"), "aistudio");
    const QStringList changes = reasonsOf(relay["recent_changes"].toArray());
    QVERIFY2(changes.contains("relay_connected") && changes.contains("relay_disconnected"),
             qPrintable(changes.join(',')));
    QVERIFY(reasonsOf(relay["recent_errors"].toArray()).contains("network"));
    QCOMPARE(relay["oauth_accounts"][0]["kind"].toString(), QStringLiteral("relay"));

    // An answer that comes after the request gave up is dropped; the turn went on meanwhile.
    RelayHelper late;
    QList<QJsonObject> held;
    late.answer = [&held](RelayHelper &, const QJsonObject &request) { held << request; };
    QVERIFY(late.open(m_gateway->port(), QStringLiteral("aistudio")));
    m_claude->enqueue(FakeLlmReply::anthropicStream({"claude, while the relay was slow"}));
    result = chat(QStringLiteral("5"));
    QCOMPARE(result.json().value("reply").toString(),
             QStringLiteral("claude, while the relay was slow"));
    QCOMPARE(held.size(), 1);
    late.send({{"id", held.first().value("id")},
               {"type", "http_response"},
               {"payload", QJsonObject{{"status", 200}, {"body", "{}"}}}});
    QTest::qWait(100);
    QVERIFY(!late.closed);

    // Pings keep a quiet helper connected past the read deadline (its WebSocket answers them).
    m_gateway->gateway()->agent()->relay()->setIntervals(100, 1500);
    RelayHelper quiet;
    QVERIFY(quiet.open(m_gateway->port(), QStringLiteral("pinged")));
    QTest::qWait(2500);
    QVERIFY(!quiet.closed);
    QVERIFY(m_gateway->gateway()->agent()->relay()->isConnected(QStringLiteral("pinged")));
    m_gateway->gateway()->agent()->relay()->setIntervals(30000, 60000);

    // A message over 64 MiB closes the connection (1009) instead of growing memory.
    RelayHelper big;
    QVERIFY(big.open(m_gateway->port(), QStringLiteral("aistudio")));
    big.socket.sendTextMessage(QString(65 * 1024 * 1024, QLatin1Char('x')));
    QVERIFY(waitFor([&] { return big.closed; }, 20000));
    QCOMPARE(int(big.socket.closeCode()), 1009);
    // The gateway is fine.
    QCOMPARE(http(m_gateway->port(), "GET", "/api/provider/runtime", {}, auth()).status, 200);
}

void TestProviderRuntime::quittingDuringARelayRequest()
{
    QJsonObject cfg = config(QStringLiteral("aistudio/gemini-x"));
    JsonUtil::setValueAt(cfg, QStringLiteral("models.providers.aistudio"),
                         QJsonObject{{"api_base", "https://generativelanguage.googleapis.com"},
                                     {"models", QJsonArray{"gemini-x"}},
                                     {"timeout_sec", 30}});
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(cfg));
    RelayHelper holder;
    QList<QJsonObject> held;
    holder.answer = [&held](RelayHelper &, const QJsonObject &request) { held << request; };
    QVERIFY(holder.open(m_gateway->port(), QStringLiteral("aistudio")));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(client.waitForConnected(5000));
    const QByteArray body = R"({"message":"hold on"})";
    client.write("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken +
                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(waitFor([&] { return !held.isEmpty(); }));
    // The program quits while the helper still holds the request: nothing may run on the
    // half-destroyed runtime.
    m_gateway.reset();
    QTest::qWait(50);
    m_gateway = std::make_unique<TestGateway>(); // for cleanup()
}

void TestProviderRuntime::viewHidesCredentialsInApiBase()
{
    QJsonObject cfg = config(QStringLiteral("claude/claude-x"));
    JsonUtil::setValueAt(cfg, QStringLiteral("models.providers.proxied"),
                         QJsonObject{{"api_base", "http://alice:s3cret-pass@127.0.0.1:9/v1"},
                                     {"models", QJsonArray{"m"}},
                                     {"timeout_sec", 5}});
    QVERIFY(m_gateway->start(cfg));
    const HttpResult result =
        http(m_gateway->port(), "GET", "/api/provider/runtime?provider=proxied", {}, auth());
    QCOMPARE(result.status, 200);
    QVERIFY(!result.body.contains("s3cret-pass"));
    const QJsonObject json = result.json();
    QCOMPARE(json["view"]["items"][0]["api_base"].toString(),
             QStringLiteral("http://127.0.0.1:9/v1"));
}

void TestProviderRuntime::oauthAccountsAreCandidates()
{
    // An account as clawgo keeps it, under <dir>/auth/qwen.json.
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/auth"));
    QFile credential(m_gateway->dir() + QStringLiteral("/auth/qwen.json"));
    QVERIFY(credential.open(QIODevice::WriteOnly));
    credential.write(
        R"({"provider":"qwen","access_token":"at-qwen-account-1","refresh_token":"rt-qwen",)"
        R"("email":"q@example.com","expire":"2030-01-01T00:00:00Z"})");
    credential.close();
    const QString file = QDir::cleanPath(credential.fileName());
    QVERIFY(startWithQwenAccounts());
    const auto accounts = [this](const QByteArray &provider = "qwen") {
        return http(m_gateway->port(), "GET", "/api/provider/oauth/accounts?provider=" + provider,
                    {}, auth());
    };
    QVERIFY(waitFor([&] { return accounts().json().value("accounts").toArray().size() == 1; }));
    HttpResult listed = accounts();
    QJsonObject account = listed.json()["accounts"][0].toObject();
    QCOMPARE(account["email"].toString(), QStringLiteral("q@example.com"));
    QCOMPARE(account["credential_file"].toString(), file);
    QCOMPARE(account["health_score"].toInt(), 100);
    QVERIFY(!listed.body.contains("at-qwen-account-1"));
    QVERIFY(!listed.body.contains("rt-qwen"));

    // A turn uses the account's token as a bearer token.
    m_local->enqueue(FakeLlmReply::chatText(QStringLiteral("from the qwen account")));
    HttpResult result = chat(QStringLiteral("hi"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("from the qwen account"));
    QCOMPARE(m_local->requests().last().header("authorization"),
             QByteArray("Bearer at-qwen-account-1"));

    // A rate limit cools the account down for oauth.cooldown_sec (900 s by default); the turn
    // moves on to the next provider.
    m_local->enqueue(FakeLlmReply::error(429, R"({"error":{"message":"rate limit"}})"));
    m_claude->enqueue(FakeLlmReply::anthropicStream({"claude covers"}));
    result = chat(QStringLiteral("again"));
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("claude covers"));
    account = accounts().json()["accounts"][0].toObject();
    const QDateTime until =
        QDateTime::fromString(account["cooldown_until"].toString(), Qt::ISODate);
    QVERIFY(until.isValid());
    QVERIFY(qAbs(until.toMSecsSinceEpoch() - (m_nowMs + 900000)) < 2000);
    QCOMPARE(account["last_failure"].toString(), QStringLiteral("rate_limit"));
    QJsonObject qwen = item(runtimeView("?provider=qwen"), "qwen");
    QVERIFY(reasonsOf(qwen["recent_changes"].toArray()).contains("oauth_cooldown_rate_limit"));
    QCOMPARE(qwen["oauth_accounts"][0]["email"].toString(), QStringLiteral("q@example.com"));
    QCOMPARE(qwen["candidate_order"][0]["kind"].toString(), QStringLiteral("oauth"));
    QCOMPARE(qwen["candidate_order"][0]["status"].toString(), QStringLiteral("cooldown"));

    // clear_cooldown acts on the live account.
    const auto post = [this](const QByteArray &provider, const QByteArray &body) {
        return http(m_gateway->port(), "POST", "/api/provider/oauth/accounts?provider=" + provider,
                    body, auth());
    };
    result = post(
        "qwen", QJsonDocument(QJsonObject{{"action", "clear_cooldown"}, {"credential_file", file}})
                    .toJson(QJsonDocument::Compact));
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json(), (QJsonObject{{"ok", true}, {"cleared", true}}));
    QVERIFY(!accounts().json()["accounts"][0].toObject().contains("cooldown_until"));
    qwen = item(runtimeView("?provider=qwen"), "qwen");
    QCOMPARE(qwen["recent_changes"][0]["reason"].toString(),
             QStringLiteral("manual_clear_oauth_cooldown"));
    QVERIFY(!runtimeView().isEmpty());
    QVERIFY(!http(m_gateway->port(), "GET", "/api/provider/runtime", {}, auth())
                 .body.contains("at-qwen-account-1"));

    // Mistakes are named.
    result = post("qwen", R"({"action":"clear_cooldown","credential_file":"/etc/passwd"})");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("oauth credential not found\n"));
    result = post("qwen", R"({"action":"clear_cooldown"})");
    QCOMPARE(result.body, QByteArray("oauth credential file is empty\n"));
    result = post("qwen", R"({"action":"explode"})");
    QCOMPARE(result.body, QByteArray("unsupported action\n"));
    QCOMPARE(post("qwen", R"({"action":"refresh","credential_file":"x"})").body,
             QByteArray("oauth credential not found\n"));
    result = accounts("claude");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("oauth provider is required\n"));
    QCOMPARE(accounts("nope").status, 404);
}

QByteArray multipart(const QList<QPair<QByteArray, QByteArray>> &fields, const QByteArray &fileName,
                     const QByteArray &file)
{
    QByteArray body;
    for (const auto &field : fields)
        body += "--XyZ\r\nContent-Disposition: form-data; name=\"" + field.first + "\"\r\n\r\n" +
                field.second + "\r\n";
    if (!fileName.isEmpty())
        body += "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName +
                "\"\r\nContent-Type: application/json\r\n\r\n" + file + "\r\n";
    return body + "--XyZ--\r\n";
}

void TestProviderRuntime::importAddsAnAccount()
{
    QVERIFY(startWithQwenAccounts());
    const auto import = [this](const QList<QPair<QByteArray, QByteArray>> &fields,
                               const QByteArray &fileName, const QByteArray &file) {
        return http(m_gateway->port(), "POST", "/api/provider/oauth/import",
                    multipart(fields, fileName, file),
                    {{"Authorization", "Bearer " + kToken},
                     {"Content-Type", "multipart/form-data; boundary=XyZ"}});
    };
    // The Codex CLI's shape, named by the label given.
    HttpResult result =
        import({{"provider", "qwen"}, {"account_label", "work"}}, "auth.json",
               R"({"tokens":{"access_token":"at-imported","refresh_token":"rt-imported"}})");
    QCOMPARE(result.status, 200);
    const QString path = QDir::cleanPath(m_gateway->dir() + QStringLiteral("/auth/qwen.json"));
    QJsonObject answer = result.json();
    QCOMPARE(answer["account"].toString(), QStringLiteral("work"));
    QCOMPARE(answer["credential_file"].toString(), path);
    QVERIFY(!result.body.contains("at-imported"));
    QCOMPARE(QFileInfo(path).permissions() & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QCOMPARE(QFile::permissions(QFileInfo(path).absolutePath()) & 0x7077,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    QFile stored(path);
    QVERIFY(stored.open(QIODevice::ReadOnly));
    const QJsonObject storedJson = QJsonDocument::fromJson(stored.readAll()).object();
    QCOMPARE(storedJson["access_token"].toString(), QStringLiteral("at-imported"));
    QCOMPARE(storedJson["provider"].toString(), QStringLiteral("qwen"));
    const QJsonObject file = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(file["models"]["providers"]["qwen"]["oauth"]["credential_file"].toString(), path);
    QCOMPARE(file["models"]["providers"]["qwen"]["oauth"]["credential_files"].toArray(),
             QJsonArray{path});

    // The account answers at once.
    m_local->enqueue(FakeLlmReply::chatText(QStringLiteral("imported account works")));
    QCOMPARE(chat(QStringLiteral("hi")).json().value("reply").toString(),
             QStringLiteral("imported account works"));
    QCOMPARE(m_local->requests().last().header("authorization"), QByteArray("Bearer at-imported"));

    // A second account gets a file of its own, named after it.
    result = import({{"provider", "qwen"}}, "creds.json",
                    R"({"access_token":"at-two","email":"Two@Example.com"})");
    QCOMPARE(result.status, 200);
    QVERIFY2(QFileInfo(result.json()["credential_file"].toString())
                 .fileName()
                 .startsWith("two-example-com-"),
             qPrintable(result.json()["credential_file"].toString()));
    QVERIFY(waitFor([&] {
        return http(m_gateway->port(), "GET", "/api/provider/oauth/accounts?provider=qwen", {},
                    auth())
                   .json()
                   .value("accounts")
                   .toArray()
                   .size() == 2;
    }));

    // Deleting an account removes its file and its place in the config; only listed files.
    const QString second = result.json()["credential_file"].toString();
    const auto postAccounts = [this](const QJsonObject &body) {
        return http(m_gateway->port(), "POST", "/api/provider/oauth/accounts?provider=qwen",
                    QJsonDocument(body).toJson(QJsonDocument::Compact), auth());
    };
    HttpResult deleted = postAccounts({{"action", "delete"}, {"credential_file", second}});
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json(), (QJsonObject{{"ok", true}, {"deleted", true}}));
    QVERIFY(!QFileInfo::exists(second));
    const QJsonObject afterDelete = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(afterDelete["models"]["providers"]["qwen"]["oauth"]["credential_files"].toArray(),
             QJsonArray{path});
    QCOMPARE(afterDelete["models"]["providers"]["qwen"]["oauth"]["credential_file"].toString(),
             path);
    QVERIFY(waitFor([&] {
        return http(m_gateway->port(), "GET", "/api/provider/oauth/accounts?provider=qwen", {},
                    auth())
                   .json()
                   .value("accounts")
                   .toArray()
                   .size() == 1;
    }));
    QTemporaryFile outsider;
    QVERIFY(outsider.open());
    deleted = postAccounts({{"action", "delete"}, {"credential_file", outsider.fileName()}});
    QCOMPARE(deleted.status, 400);
    QCOMPARE(deleted.body, QByteArray("oauth credential not found\n"));
    QVERIFY(QFileInfo::exists(outsider.fileName()));

    // What is refused, and why.
    result = import({{"provider", "qwen"}}, "", "");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("file required\n"));
    result = import({{"provider", "qwen"}}, "bad.json", "not json");
    QCOMPARE(result.body, QByteArray("auth.json is not a JSON object: bad.json\n"));
    result = import({{"provider", "qwen"}}, "none.json", R"({"email":"x@example.com"})");
    QCOMPARE(result.body,
             QByteArray("auth.json missing access_token/refresh_token in none.json\n"));
    // Only a refresh token: exchanged first; a refusal aborts the import.
    m_local->enqueue(FakeLlmReply::error(400, R"({"error":"invalid_grant"})"));
    result = import({{"provider", "qwen"}}, "r.json", R"({"refresh_token":"only"})");
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("oauth token refresh failed: HTTP 400: invalid_grant\n"));
    QCOMPARE(m_local->requests().last().path, QStringLiteral("/oauth/token"));
    // More than 16 MiB is refused before it is read.
    result = import({{"provider", "qwen"}}, "big.json", QByteArray(17 * 1024 * 1024, ' '));
    QCOMPARE(result.status, 413);
    result = import({{"provider", "claude"}}, "a.json", R"({"access_token":"x"})");
    QCOMPARE(result.body, QByteArray("oauth provider is required\n"));
    result = import({{"provider", "qwen"}, {"provider_config", "{oops"}}, "a.json",
                    R"({"access_token":"x"})");
    QCOMPARE(result.body, QByteArray("invalid provider_config\n"));
    result = http(m_gateway->port(), "POST", "/api/provider/oauth/import", "{}", auth());
    QCOMPARE(result.status, 400);
}

void TestProviderRuntime::refreshExchangesTheRefreshToken()
{
    // The account's token endpoint is a fake (oauth.token_url), as clawgo lets one configure.
    FakeOpenAiServer tokens;
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/auth"));
    const QString file = QDir::cleanPath(m_gateway->dir() + QStringLiteral("/auth/qwen.json"));
    QFile credential(file);
    QVERIFY(credential.open(QIODevice::WriteOnly));
    credential.write(R"({"provider":"qwen","access_token":"at-old","refresh_token":"rt-old",)"
                     R"("email":"q@example.com","expire":"2026-11-29T10:00:00Z"})");
    credential.close();
    QJsonObject cfg = config(QStringLiteral("qwen/qwen-x"));
    JsonUtil::setValueAt(
        cfg, QStringLiteral("models.providers.qwen"),
        QJsonObject{{"api_base", m_local->apiBase()},
                    {"auth", "oauth"},
                    {"oauth", QJsonObject{{"provider", "qwen"},
                                          {"token_url", tokens.rootUrl() + "/oauth/token"}}},
                    {"models", QJsonArray{"qwen-x"}},
                    {"timeout_sec", 10}});
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(cfg));
    const auto refresh = [&] {
        return http(m_gateway->port(), "POST", "/api/provider/oauth/accounts?provider=qwen",
                    QJsonDocument(QJsonObject{{"action", "refresh"}, {"credential_file", file}})
                        .toJson(QJsonDocument::Compact),
                    auth());
    };
    QVERIFY(waitFor([&] {
        return http(m_gateway->port(), "GET", "/api/provider/oauth/accounts?provider=qwen", {},
                    auth())
                   .json()
                   .value("accounts")
                   .toArray()
                   .size() == 1;
    }));
    // A rotating refresh token: both come back new.
    tokens.enqueue(FakeLlmReply::error(
        200,
        R"({"access_token":"at-new","refresh_token":"rt-new","expires_in":3600,"token_type":"Bearer"})"));
    HttpResult result = refresh();
    QCOMPARE(result.status, 200);
    QVERIFY(!result.body.contains("at-new"));
    const QJsonObject refreshed = result.json().value("account").toObject();
    QCOMPARE(refreshed["email"].toString(), QStringLiteral("q@example.com"));
    const QDateTime expire = QDateTime::fromString(refreshed["expire"].toString(), Qt::ISODate);
    QVERIFY(qAbs(expire.toMSecsSinceEpoch() - (m_nowMs + 3600000)) < 2000);
    // The request: form-encoded refresh grant with qwen's client id and no scope.
    const QUrlQuery form(QString::fromUtf8(tokens.requests().last().rawBody));
    QCOMPARE(tokens.requests().last().path, QStringLiteral("/oauth/token"));
    QCOMPARE(form.queryItemValue("grant_type"), QStringLiteral("refresh_token"));
    QCOMPARE(form.queryItemValue("refresh_token"), QStringLiteral("rt-old"));
    QCOMPARE(form.queryItemValue("client_id"), QStringLiteral("f0304373b74a44d2b584a3fb70ca9e56"));
    QVERIFY(!form.hasQueryItem("scope"));
    // On disk and in use.
    QVERIFY(credential.open(QIODevice::ReadOnly));
    const QJsonObject onDisk = QJsonDocument::fromJson(credential.readAll()).object();
    credential.close();
    QCOMPARE(onDisk["access_token"].toString(), QStringLiteral("at-new"));
    QCOMPARE(onDisk["refresh_token"].toString(), QStringLiteral("rt-new"));
    m_local->enqueue(FakeLlmReply::chatText(QStringLiteral("with the new token")));
    QCOMPARE(chat(QStringLiteral("hi")).json().value("reply").toString(),
             QStringLiteral("with the new token"));
    QCOMPARE(m_local->requests().last().header("authorization"), QByteArray("Bearer at-new"));
    QJsonObject qwen = item(runtimeView("?provider=qwen"), "qwen");
    QVERIFY(reasonsOf(qwen["recent_changes"].toArray()).contains("oauth_refresh_success"));

    // A refused refresh keeps the account as it was and says why, without a token.
    tokens.enqueue(FakeLlmReply::error(
        400, R"({"error":"invalid_grant","error_description":"refresh token expired"})"));
    result = refresh();
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body,
             QByteArray("oauth token refresh failed: HTTP 400: refresh token expired\n"));
    QVERIFY(credential.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(credential.readAll())["access_token"].toString(),
             QStringLiteral("at-new"));
    credential.close();
    tokens.enqueue(FakeLlmReply::error(200, R"({"token_type":"Bearer"})"));
    QCOMPARE(refresh().body,
             QByteArray("oauth token payload missing access_token/refresh_token\n"));
    qwen = item(runtimeView("?provider=qwen"), "qwen");
    QVERIFY(reasonsOf(qwen["recent_changes"].toArray()).contains("oauth_refresh_failed"));
}

} // namespace

QTEST_GUILESS_MAIN(TestProviderRuntime)
#include "tst_provider_runtime.moc"
