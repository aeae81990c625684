// /api/cron through the gateway (spec/api.md §13, agent.md §5.5–5.6): every action with its
// answers and errors, jobs.json in clawgo's format, and a due job really running: an agent
// turn against the fake provider, with a failure reported as one.

#include "core/clock.h"
#include "core/jsonutil.h"
#include "cron/cronscheduler.h"
#include "cron/cronservice.h"
#include "cron/cronstore.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

} // namespace

class TestApiCron : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void actions();
    void dueJobRunsAnAgentTurn();

private:
    HttpResult post(const QByteArray &target, const QJsonObject &body)
    {
        return http(m_gateway->port(), "POST", target,
                    QJsonDocument(body).toJson(QJsonDocument::Compact), auth());
    }
    HttpResult get(const QByteArray &target)
    {
        return http(m_gateway->port(), "GET", target, {}, auth());
    }

    std::unique_ptr<FakeOpenAiServer> m_llm;
    std::unique_ptr<TestGateway> m_gateway;
};

void TestApiCron::init()
{
    m_llm = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", m_llm->apiBase()},
                                 {"api_key", "sk-fake-0123"},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(config));
    QVERIFY(waitFor([&] { return m_gateway->gateway()->cron()->store()->isLoaded(); }));
    m_gateway->gateway()->cron()->store()->setDelays(0, 20);
}

void TestApiCron::cleanup()
{
    m_gateway.reset();
    m_llm.reset();
}

void TestApiCron::actions()
{
    QCOMPARE(get("/api/cron").json(), (QJsonObject{{"ok", true}, {"jobs", QJsonArray()}}));
    // Create: a cron expression, and a legacy "every".
    HttpResult result = post(
        "/api/cron", {{"name", "brief"}, {"message", "Summarise the news"}, {"expr", "0 8 * * *"}});
    QCOMPARE(result.status, 200);
    const QJsonObject created = result.json().value("result").toObject();
    const QString id = created.value("id").toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(created.value("expr").toString(), QStringLiteral("0 8 * * *"));
    QCOMPARE(created.value("message").toString(), QStringLiteral("Summarise the news"));
    QCOMPARE(created.value("enabled").toBool(), true);
    QVERIFY(created.value("state").toObject().value("nextRunAtMs").toDouble() > 0);
    result = post("/api/cron", {{"message", "tick"}, {"kind", "every"}, {"everyMs", 90000}});
    const QJsonObject every = result.json().value("result").toObject();
    QCOMPARE(every.value("name").toString(), QStringLiteral("webui-cron"));
    QCOMPARE(every.value("expr").toString(), QStringLiteral("@every 1m30s"));
    QCOMPARE(every.value("schedule").toObject().value("kind").toString(), QStringLiteral("cron"));

    // Refusals, with clawgo's words.
    QCOMPARE(post("/api/cron", {{"expr", "* * * * *"}}).body, QByteArray("message required\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}}).body, QByteArray("expr required\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"expr", "61 * * * *"}}).body,
             QByteArray("invalid cron expression: end of range (61) above maximum (59): 61\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"kind", "at"}, {"atMs", 1000}}).body,
             QByteArray("invalid one-time schedule\n"));
    QCOMPARE(post("/api/cron", {{"action", "explode"}}).body,
             QByteArray("unsupported cron action: explode\n"));
    QCOMPARE(get("/api/cron?id=nope").body, QByteArray("job not found: nope\n"));
    QCOMPARE(post("/api/cron", {{"action", "update"}}).body, QByteArray("id required\n"));

    // Get, update (?id= overrides the body), disable and enable, delete.
    QCOMPARE(get("/api/cron?id=" + id.toUtf8()).json().value("job").toObject().value("name"),
             QJsonValue("brief"));
    result = post("/api/cron?id=" + id.toUtf8(), {{"action", "update"},
                                                  {"id", "ignored"},
                                                  {"name", "morning brief"},
                                                  {"expr", "30 7 * * 1-5"},
                                                  {"channel", ""}});
    QCOMPARE(result.json().value("result").toObject().value("name"), QJsonValue("morning brief"));
    QCOMPARE(result.json().value("result").toObject().value("expr"), QJsonValue("30 7 * * 1-5"));
    result = post("/api/cron", {{"action", "disable"}, {"id", id}});
    QCOMPARE(result.json().value("result").toObject(), (QJsonObject{{"ok", true}, {"id", id}}));
    QCOMPARE(m_gateway->gateway()->cron()->store()->job(id)->enabled, false);
    QCOMPARE(m_gateway->gateway()->cron()->store()->job(id)->state.nextRunAtMs, 0);
    result = post("/api/cron", {{"action", "enable"}, {"id", "nope"}});
    QCOMPARE(result.json().value("result").toObject(),
             (QJsonObject{{"ok", false}, {"id", "nope"}}));
    result = post("/api/cron", {{"action", "delete"}, {"id", every.value("id")}});
    QCOMPARE(result.json().value("result").toObject().value("deleted"), QJsonValue(true));
    QCOMPARE(get("/api/cron").json().value("jobs").toArray().size(), 1);

    // On disk in clawgo's format.
    const QString path = m_gateway->dir() + QStringLiteral("/cron/jobs.json");
    QVERIFY(waitFor([&] {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        const QJsonObject document = QJsonDocument::fromJson(file.readAll()).object();
        const QJsonArray jobs = document.value("jobs").toArray();
        return document.value("version").toInt() == 1 && jobs.size() == 1 &&
               jobs.first().toObject().value("name") == QLatin1String("morning brief") &&
               !jobs.first().toObject().value("enabled").toBool(true);
    }));
    QCOMPARE(fileMode(path), 0600);
}

// A job that is due runs an agent turn in its own session; a provider that fails makes the run
// an error (lastStatus "error"), retried later.
void TestApiCron::dueJobRunsAnAgentTurn()
{
    CronService *cron = m_gateway->gateway()->cron();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Here is your brief.")));
    const HttpResult created =
        post("/api/cron",
             {{"message", "Brief me"}, {"kind", "at"}, {"atMs", double(Clock::nowMs() + 300)}});
    QCOMPARE(created.status, 200);
    const QString id = created.json().value("result").toObject().value("id").toString();
    QVERIFY(waitFor([&] { return cron->store()->job(id)->state.lastStatus == QLatin1String("ok"); },
                    10000));
    QCOMPARE(m_llm->requests().size(), 1);
    QVERIFY(QJsonDocument(m_llm->requests().first().body).toJson().contains("Brief me"));
    QCOMPARE(cron->store()->job(id)->enabled, false); // one-shot
    QCOMPARE(cron->store()->job(id)->state.totalRuns, 1);

    m_llm->enqueue(FakeLlmReply::error(400, R"({"error":{"message":"bad model"}})"));
    const HttpResult failing =
        post("/api/cron",
             {{"message", "Again"}, {"kind", "at"}, {"atMs", double(Clock::nowMs() + 300)}});
    const QString second = failing.json().value("result").toObject().value("id").toString();
    QVERIFY(waitFor(
        [&] { return cron->store()->job(second)->state.lastStatus == QLatin1String("error"); },
        10000));
    const CronJob job = *cron->store()->job(second);
    QVERIFY2(job.state.lastError.contains("bad model"), qPrintable(job.state.lastError));
    QCOMPARE(job.state.consecutiveFailures, 1);
    QVERIFY(job.enabled); // retried after the back-off
    QVERIFY(job.state.nextRunAtMs > Clock::nowMs() + 20000);
}

QTEST_GUILESS_MAIN(TestApiCron)
#include "tst_api_cron.moc"
