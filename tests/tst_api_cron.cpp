// /api/cron through the gateway (spec/api.md §13, agent.md §5.5–5.7, §6): every action with its
// answers and errors, jobs.json in clawgo's format, cron_changed events, a due job really
// running (an agent turn against the fake provider, with a failure reported as one), `deliver`,
// the cron and remind tools with a reminder set from /api/chat coming back to that session, the
// heartbeat (skipped without tasks, run with them, its phase kept) and the bootstrap turn.

#include "agent/agentruntime.h"
#include "channels/desktopchannel.h"
#include "core/clock.h"
#include "core/jsonutil.h"
#include "cron/cronscheduler.h"
#include "cron/cronservice.h"
#include "cron/cronstore.h"
#include "cron/heartbeat.h"
#include "eventsclient.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"
#include "testsupport.h"
#include "tools/crontools.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
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
    void jobChangesAreEvents();
    void deliverSendsTheReplyToTheChat();
    void reminderFromApiChatComesBack();
    void messengerTurnsReachOnlyTheirChat();
    void deliveryWaitsForTheSessionsTurn();
    void cronTool_data();
    void cronTool();
    void reminderTimes_data();
    void reminderTimes();
    void heartbeatSkipsWithoutTasksAndRunsWithThem();
    void heartbeatKeepsItsPhase();
    void bootstrapRunsOnce();

private:
    QJsonArray history(const QString &session)
    {
        return get("/api/chat/history?session=" + QUrl::toPercentEncoding(session))
            .json()
            .value("messages")
            .toArray();
    }
    ToolOutcome callTool(const QString &name, const QJsonObject &arguments, const QString &session)
    {
        return runTool(m_gateway->gateway()->agent()->toolContext(session), name, arguments);
    }
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
    useFakeProvider(&config, m_llm->apiBase());
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
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"kind", "every"}, {"everyMs", 1e18}}).body,
             QByteArray("invalid cron expression: everyMs out of range\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"kind", "every"}, {"everyMs", -5}}).body,
             QByteArray("expr required\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"kind", "at"}, {"atMs", 1e300}}).body,
             QByteArray("invalid one-time schedule\n"));
    QCOMPARE(post("/api/cron", {{"message", "x"}, {"expr", "CRON_TZ=Mars/Olympus 0 9 * * *"}}).body,
             QByteArray("invalid cron expression: provided bad location Mars/Olympus: unknown "
                        "time zone Mars/Olympus\n"));
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
    // Ours: null takes a job's chat away (clawgo ignores empty strings).
    result =
        post("/api/cron", {{"action", "update"}, {"id", id}, {"channel", "weixin"}, {"to", "a|b"}});
    QCOMPARE(result.json().value("result").toObject().value("channel"), QJsonValue("weixin"));
    result = post("/api/cron", {{"action", "update"},
                                {"id", id},
                                {"channel", QJsonValue::Null},
                                {"to", QJsonValue::Null}});
    QVERIFY(!result.json().value("result").toObject().contains("channel"));
    QVERIFY(!result.json().value("result").toObject().contains("to"));
    // Run now (ours): recorded like a run, the schedule untouched, even for a disabled job.
    const qint64 nextBefore = m_gateway->gateway()->cron()->store()->job(id)->state.nextRunAtMs;
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Done.")));
    result = post("/api/cron", {{"action", "run"}, {"id", id}});
    QCOMPARE(result.json().value("result").toObject(),
             (QJsonObject{{"started", true}, {"id", id}}));
    QCOMPARE(post("/api/cron", {{"action", "run"}, {"id", id}}).status, 409); // running
    QCOMPARE(post("/api/cron", {{"action", "run"}, {"id", "nope"}}).status, 404);
    QVERIFY(waitFor(
        [&] { return m_gateway->gateway()->cron()->store()->job(id)->state.lastStatus == "ok"; }));
    QCOMPARE(m_gateway->gateway()->cron()->store()->job(id)->state.totalRuns, 1);
    QCOMPARE(m_gateway->gateway()->cron()->store()->job(id)->state.nextRunAtMs, nextBefore);
    QCOMPARE(m_gateway->gateway()->cron()->store()->job(id)->enabled, false);
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

// Every change of the jobs is a cron_changed event; a jobs.json edited into garbage is a
// cron_error event, and the jobs we had stay.
void TestApiCron::jobChangesAreEvents()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    QCOMPARE(post("/api/cron", {{"message", "m"}, {"expr", "0 8 * * *"}}).status, 200);
    QVERIFY(!events.next(QStringLiteral("cron_changed")).isEmpty());
    const QString path = m_gateway->dir() + QStringLiteral("/cron/jobs.json");
    QVERIFY(waitFor([&] { return QFile::exists(path); }));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{\"version\":1,\"jobs\":[{\"id\": tru");
    file.close();
    const QJsonObject error = events.next(QStringLiteral("cron_error"));
    QVERIFY2(error.value("error").toString().contains("jobs.json"),
             qPrintable(QJsonDocument(error).toJson()));
    QCOMPARE(get("/api/cron").json().value("jobs").toArray().size(), 1);
}

// `deliver` with a chat: the agent's reply goes there (the reference ignored it). Without
// `deliver`, the text itself goes there, as in the reference. A channel that does not exist
// makes the run an error.
void TestApiCron::deliverSendsTheReplyToTheChat()
{
    CronService *cron = m_gateway->gateway()->cron();
    const auto lastOf = [this](const QString &session) {
        const QJsonArray messages = history(session);
        return messages.isEmpty() ? QJsonObject() : messages.last().toObject();
    };
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Sunny, 21 degrees.")));
    const QString asked = post("/api/cron", {{"message", "What is the weather?"},
                                             {"kind", "at"},
                                             {"atMs", double(Clock::nowMs() + 300)},
                                             {"deliver", true},
                                             {"channel", "desktop"},
                                             {"to", "desk-2"}})
                              .json()
                              .value("result")
                              .toObject()
                              .value("id")
                              .toString();
    QVERIFY(waitFor([&] { return cron->store()->job(asked)->state.lastStatus == "ok"; }, 10000));
    QCOMPARE(m_llm->requests().size(), 1);
    QVERIFY(
        QJsonDocument(m_llm->requests().first().body).toJson().contains("What is the weather?"));
    QCOMPARE(lastOf("desk-2").value("role").toString(), QStringLiteral("assistant"));
    QCOMPARE(lastOf("desk-2").value("content").toString(), QStringLiteral("Sunny, 21 degrees."));

    const QString plain = post("/api/cron", {{"message", "Stand up"},
                                             {"kind", "at"},
                                             {"atMs", double(Clock::nowMs() + 300)},
                                             {"channel", "desktop"},
                                             {"to", "desktop:desk-3"}})
                              .json()
                              .value("result")
                              .toObject()
                              .value("id")
                              .toString();
    QVERIFY(waitFor([&] { return cron->store()->job(plain)->state.lastStatus == "ok"; }, 10000));
    QCOMPARE(lastOf("desktop:desk-3").value("content").toString(), QStringLiteral("Stand up"));
    QCOMPARE(m_llm->requests().size(), 1); // no model call for the text itself

    const QString nowhere = post("/api/cron", {{"message", "Hello"},
                                               {"kind", "at"},
                                               {"atMs", double(Clock::nowMs() + 300)},
                                               {"channel", "pager"},
                                               {"to", "42"}})
                                .json()
                                .value("result")
                                .toObject()
                                .value("id")
                                .toString();
    QVERIFY(
        waitFor([&] { return cron->store()->job(nowhere)->state.lastStatus == "error"; }, 10000));
    QCOMPARE(cron->store()->job(nowhere)->state.lastError,
             QStringLiteral("unknown channel: pager"));

    // A channel that cannot deliver now, and a session that takes no messages: errors too.
    const auto failingRun = [&](const QString &channel, const QString &to) {
        const QString id = post("/api/cron", {{"message", "Hello"},
                                              {"kind", "at"},
                                              {"atMs", double(Clock::nowMs() + 200)},
                                              {"channel", channel},
                                              {"to", to}})
                               .json()
                               .value("result")
                               .toObject()
                               .value("id")
                               .toString();
        waitFor([&] { return cron->store()->job(id)->state.lastStatus == "error"; }, 10000);
        return cron->store()->job(id)->state.lastError;
    };
    QCOMPARE(failingRun("weixin", "bot@im.bot|someone"),
             QStringLiteral("weixin channel not running"));
    QCOMPARE(failingRun("desktop", "heartbeat:default"),
             QStringLiteral("heartbeat:default is an internal session and takes no messages"));
}

// A reminder set through the remind tool from /api/chat comes back to that session (the
// reference sent it to a channel that does not exist), announced on /api/events/live.
void TestApiCron::reminderFromApiChatComesBack()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    m_llm->enqueue(FakeLlmReply::chatToolCall(
        QStringLiteral("call-1"), QStringLiteral("remind"),
        QJsonObject{{"message", "Stretch your legs"}, {"time_expr", "400ms"}}));
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("I will remind you.")));
    // The window names its new sessions "desktop:<time>": the reminder comes back to exactly it.
    const QString session = QStringLiteral("desktop:20261129-101010");
    const HttpResult chat =
        post("/api/chat", {{"session", session}, {"message", "remind me to stretch soon"}});
    QCOMPARE(chat.status, 200);
    QCOMPARE(chat.json().value("reply").toString(), QStringLiteral("I will remind you."));
    // The tool's answer, as the model saw it.
    const QByteArray second = QJsonDocument(m_llm->requests().at(1).body).toJson();
    QVERIFY2(second.contains("Reminder set for ") && second.contains("(in 400ms). Job ID: "),
             second.constData());
    const QJsonArray jobs = get("/api/cron").json().value("jobs").toArray();
    QCOMPARE(jobs.size(), 1);
    const QJsonObject job = jobs.first().toObject();
    QCOMPARE(job.value("name").toString(), QStringLiteral("Reminder"));
    QCOMPARE(job.value("channel").toString(), QStringLiteral("desktop"));
    QCOMPARE(job.value("to").toString(), session);
    QCOMPARE(job.value("deliver").toBool(), true);
    QCOMPARE(job.value("schedule").toObject().value("kind").toString(), QStringLiteral("at"));

    const QJsonObject arrived = events.next(QStringLiteral("session_message"), 5000);
    QCOMPARE(arrived.value("session").toString(), session);
    QCOMPARE(arrived.value("content").toString(), QStringLiteral("Stretch your legs"));
    const QJsonArray messages = history(session);
    QCOMPARE(messages.last().toObject().value("content").toString(),
             QStringLiteral("Stretch your legs"));
    QCOMPARE(m_llm->requests().size(), 2); // the reminder itself costs no model call
    const QString id = job.value("id").toString();
    QVERIFY(waitFor([&] {
        const auto stored = m_gateway->gateway()->cron()->store()->job(id);
        return stored && !stored->enabled && stored->state.lastStatus == QLatin1String("ok");
    }));
}

// A turn answering a Weixin chat is driven by whoever writes there: its reminders go only to
// that chat, and its cron tool sees and changes only that chat's jobs. The window's turns reach
// every job.
void TestApiCron::messengerTurnsReachOnlyTheirChat()
{
    const QString chat = QStringLiteral("weixin:bot@im.bot|alice");
    const ToolOutcome elsewhere = callTool(
        QStringLiteral("remind"),
        {{"message", "pay me"}, {"time_expr", "10m"}, {"chat_id", "bot@im.bot|bob"}}, chat);
    QVERIFY(elsewhere.error);
    QCOMPARE(elsewhere.content,
             QStringLiteral("a reminder set in a chat can only be delivered to that chat"));
    const ToolOutcome here =
        callTool(QStringLiteral("remind"), {{"message", "water"}, {"time_expr", "10m"}}, chat);
    QVERIFY2(!here.error, qPrintable(here.content));
    const QString mine = here.content.section(QStringLiteral("Job ID: "), 1);
    const QString other = post("/api/cron", {{"message", "owner's brief"}, {"expr", "0 8 * * *"}})
                              .json()
                              .value("result")
                              .toObject()
                              .value("id")
                              .toString();
    const QJsonArray seen =
        QJsonDocument::fromJson(callTool(QStringLiteral("cron"), {}, chat).content.toUtf8())
            .array();
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.first().toObject().value("id").toString(), mine);
    QCOMPARE(callTool(QStringLiteral("cron"), {{"action", "delete"}, {"id", other}}, chat).content,
             QStringLiteral("job not found: %1").arg(other));
    QVERIFY(m_gateway->gateway()->cron()->store()->job(other));
    // The window's turn sees both, and may send a reminder to a Weixin chat.
    QCOMPARE(QJsonDocument::fromJson(
                 callTool(QStringLiteral("cron"), {}, QStringLiteral("main")).content.toUtf8())
                 .array()
                 .size(),
             2);
    QVERIFY(!callTool(QStringLiteral("remind"),
                      {{"message", "hi"},
                       {"time_expr", "10m"},
                       {"channel", "weixin"},
                       {"chat_id", "bot@im.bot|bob"}},
                      QStringLiteral("main"))
                 .error);
    // Never into an internal session, never in the past.
    QCOMPARE(callTool(QStringLiteral("remind"),
                      {{"message", "x"}, {"time_expr", "10m"}, {"chat_id", "cron:1"}},
                      QStringLiteral("main"))
                 .content,
             QStringLiteral("cron:1 is an internal session and takes no messages"));
    QCOMPARE(callTool(QStringLiteral("remind"), {{"message", "x"}, {"time_expr", "-5m"}},
                      QStringLiteral("main"))
                 .content,
             QStringLiteral("could not parse time expression '-5m': the time is not in the "
                            "future"));
}

// A message for a session whose turn is under way waits for the turn, so it never lands
// between the question and the tool calls of its answer.
void TestApiCron::deliveryWaitsForTheSessionsTurn()
{
    m_gateway->gateway()->desktopChannel()->setRetryIntervalMs(20);
    FakeLlmReply slow = FakeLlmReply::chatText(QStringLiteral("Thinking done."));
    slow.firstByteDelayMs = 800;
    m_llm->enqueue(slow);
    const QByteArray body =
        QJsonDocument(QJsonObject{{"session", "busy-one"}, {"message", "a long question"}})
            .toJson(QJsonDocument::Compact);
    // The chat runs on its own connection while the job fires.
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(client.waitForConnected(2000));
    client.write("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken +
                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(waitFor([&] { return m_gateway->gateway()->agent()->isBusy("busy-one"); }));
    QCOMPARE(post("/api/cron", {{"message", "Tea time"},
                                {"kind", "at"},
                                {"atMs", double(Clock::nowMs() + 100)},
                                {"channel", "desktop"},
                                {"to", "busy-one"}})
                 .status,
             200);
    QVERIFY(waitFor([&] { return history(QStringLiteral("busy-one")).size() == 3; }, 10000));
    const QJsonArray messages = history(QStringLiteral("busy-one"));
    QCOMPARE(messages.at(0).toObject().value("content").toString(),
             QStringLiteral("a long question"));
    QCOMPARE(messages.at(1).toObject().value("content").toString(),
             QStringLiteral("Thinking done."));
    QCOMPARE(messages.at(2).toObject().value("content").toString(), QStringLiteral("Tea time"));
}

void TestApiCron::cronTool_data()
{
    QTest::addColumn<QJsonObject>("arguments");
    QTest::addColumn<bool>("error");
    QTest::addColumn<QString>("answer"); // {id}: the existing job's id
    QTest::newRow("disable") << QJsonObject{{"action", "disable"}, {"id", "{id}"}} << false
                             << "disabled job: {id}";
    QTest::newRow("enable") << QJsonObject{{"action", "enable"}, {"id", "{id}"}} << false
                            << "enabled job: {id}";
    QTest::newRow("delete") << QJsonObject{{"action", "delete"}, {"id", "{id}"}} << false
                            << "deleted job: {id}";
    QTest::newRow("unknown id") << QJsonObject{{"action", "delete"}, {"id", "nope"}} << false
                                << "job not found: nope";
    QTest::newRow("no id") << QJsonObject{{"action", "enable"}} << true
                           << "missing required field: id for action=enable";
    QTest::newRow("no such action")
        << QJsonObject{{"action", "create"}} << true << "unsupported action: create";
}

// The cron tool on the gateway's jobs, with clawgo's answers.
void TestApiCron::cronTool()
{
    QFETCH(QJsonObject, arguments);
    QFETCH(bool, error);
    QFETCH(QString, answer);
    const QString id =
        post("/api/cron", {{"name", "mine"}, {"message", "m"}, {"expr", "0 8 * * *"}})
            .json()
            .value("result")
            .toObject()
            .value("id")
            .toString();
    if (arguments.value("id").toString() == QLatin1String("{id}"))
        arguments.insert("id", id);
    const ToolOutcome outcome = callTool(QStringLiteral("cron"), arguments, QStringLiteral("main"));
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.content, QString(answer).replace(QLatin1String("{id}"), id));
    const std::optional<CronJob> job = m_gateway->gateway()->cron()->store()->job(id);
    const QString action = arguments.value("action").toString();
    QCOMPARE(job.has_value(),
             !(action == QLatin1String("delete") && !error && arguments.value("id") == id));
    if (job && arguments.value("id") == id)
        QCOMPARE(job->enabled, action != QLatin1String("disable"));
    // list: the raw jobs.
    const ToolOutcome listed = callTool(QStringLiteral("cron"), {}, QStringLiteral("main"));
    QCOMPARE(QJsonDocument::fromJson(listed.content.toUtf8()).array().size(), job ? 1 : 0);
}

void TestApiCron::reminderTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // local time in Europe/Berlin, ISO; empty: refused
    QTest::addColumn<qint64>("inNs");
    // Now: Sunday 2026-11-29 10:00:00 in Berlin (09:00 UTC).
    QTest::newRow("minutes") << "10m"
                             << "2026-11-29T10:10:00" << 600000000000LL;
    QTest::newRow("hours and minutes") << "1h30m"
                                       << "2026-11-29T11:30:00" << 5400000000000LL;
    QTest::newRow("milliseconds") << "1500ms"
                                  << "2026-11-29T10:00:01.500" << 1500000000LL;
    QTest::newRow("date and time") << "2026-12-24 18:00"
                                   << "2026-12-24T18:00:00" << -1LL;
    QTest::newRow("with seconds") << "2026-12-24 18:00:30"
                                  << "2026-12-24T18:00:30" << -1LL;
    QTest::newRow("later today") << "15:04"
                                 << "2026-11-29T15:04:00" << -1LL;
    QTest::newRow("past: tomorrow") << "09:30"
                                    << "2026-11-30T09:30:00" << -1LL;
    QTest::newRow("one-digit hour") << "9:30:15"
                                    << "2026-11-30T09:30:15" << -1LL;
    QTest::newRow("words") << "tomorrow morning"
                           << "" << 0LL;
    QTest::newRow("no unit") << "10"
                             << "" << 0LL;
    QTest::newRow("bad date") << "2026-13-01 10:00"
                              << "" << 0LL;
    QTest::newRow("a century") << "876000h"
                               << "" << 0LL;
}

// `time_expr` of the remind tool: a Go duration from now, or a local time.
void TestApiCron::reminderTimes()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QFETCH(qint64, inNs);
    const QTimeZone berlin("Europe/Berlin");
    const qint64 now =
        QDateTime::fromString("2026-11-29T09:00:00Z", Qt::ISODate).toMSecsSinceEpoch();
    QString error;
    const auto parsed = CronTools::parseReminderTime(text, now, berlin, &error);
    if (expected.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(parsed->atMs, berlin)
                 .toString(expected.contains('.') ? Qt::ISODateWithMs : Qt::ISODate),
             expected + QStringLiteral("+01:00"));
    QCOMPARE(parsed->inNs, inNs);
}

// No tasks in HEARTBEAT.md (our template: a heading and a comment): the beat is skipped and
// no model is called. A task: one turn in heartbeat:default with clawgo's prompt.
void TestApiCron::heartbeatSkipsWithoutTasksAndRunsWithThem()
{
    Heartbeat *heartbeat = m_gateway->gateway()->heartbeat();
    const QString workspace = m_gateway->dir() + QStringLiteral("/workspace");
    QVERIFY(QFile::exists(workspace + QStringLiteral("/HEARTBEAT.md"))); // the template
    QSignalSpy beaten(heartbeat, &Heartbeat::beaten);
    heartbeat->beat();
    QVERIFY(beaten.wait(5000));
    QCOMPARE(beaten.takeFirst().first().toString(), QStringLiteral("skipped"));
    QCOMPARE(m_llm->requests().size(), 0);

    QFile tasks(workspace + QStringLiteral("/HEARTBEAT.md"));
    QVERIFY(tasks.open(QIODevice::WriteOnly | QIODevice::Truncate));
    tasks.write("# Heartbeat\n\n- Check that the backup of last night finished.\n");
    tasks.close();
    QFile agents(workspace + QStringLiteral("/AGENTS.md"));
    QVERIFY(agents.open(QIODevice::WriteOnly | QIODevice::Truncate));
    agents.write("# Agents\n\n- heartbeat_ack_token: `ALL_QUIET`\n");
    agents.close();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("ALL_QUIET")));
    heartbeat->beat();
    QVERIFY(beaten.wait(10000));
    QCOMPARE(beaten.takeFirst().first().toString(), QStringLiteral("ok"));
    QCOMPARE(m_llm->requests().size(), 1);
    const QJsonArray messages = m_llm->requests().first().body.value("messages").toArray();
    const QString prompt = messages.last().toObject().value("content").toString();
    QVERIFY2(prompt.startsWith("Follow workspace policy in AGENTS.md first, then HEARTBEAT.md. "
                               "If no action is needed, return ALL_QUIET.\n\nCurrent time: "),
             qPrintable(prompt));
    QVERIFY(prompt.contains("## HEARTBEAT.md\n# Heartbeat\n\n- Check that the backup of last "
                            "night finished.\n"));
    QCOMPARE(history(QString::fromLatin1(Heartbeat::session)).size(), 2);

    // A failed beat is noted in memory/heartbeat.log.
    m_llm->enqueue(FakeLlmReply::error(500, R"({"error":{"message":"upstream down"}})"));
    heartbeat->beat();
    QVERIFY(beaten.wait(10000));
    QVERIFY(beaten.takeFirst().first().toString().contains("upstream down"));
    QVERIFY(waitFor([&] {
        QFile log(workspace + QStringLiteral("/memory/heartbeat.log"));
        return log.open(QIODevice::ReadOnly) && log.readAll().contains("] Heartbeat error: ");
    }));
}

// A settings change that keeps the interval keeps the phase; a new interval restarts it; off
// stops it.
void TestApiCron::heartbeatKeepsItsPhase()
{
    Heartbeat *heartbeat = m_gateway->gateway()->heartbeat();
    QVERIFY(heartbeat->isArmed());
    QCOMPARE(heartbeat->intervalMs(), 1800 * 1000);
    const auto setting = [this](const QString &key, const QJsonValue &value) {
        QJsonObject config = m_gateway->gateway()->configStore()->savedConfig();
        JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.heartbeat.") + key, value);
        return saveAndWait(*m_gateway->gateway()->configStore(), config, QStringLiteral("test"))
                   .status == ConfigStore::SaveResult::Ok;
    };
    QTest::qWait(300);
    QVERIFY(setting(QStringLiteral("prompt_template"), QStringLiteral("Check in.")));
    QVERIFY(heartbeat->remainingMs() <= 1800 * 1000 - 250); // not restarted
    QVERIFY(setting(QStringLiteral("every_sec"), 600));
    QVERIFY(waitFor([&] { return heartbeat->intervalMs() == 600 * 1000; }));
    QVERIFY(heartbeat->remainingMs() > 600 * 1000 - 200);
    QVERIFY(setting(QStringLiteral("enabled"), false));
    QVERIFY(waitFor([&] { return !heartbeat->isArmed(); }));
}

// BOOTSTRAP.md without the marker: one bootstrap turn; its success writes the marker (time and
// reply) and removes BOOTSTRAP.md, so the next start runs nothing.
void TestApiCron::bootstrapRunsOnce()
{
    Heartbeat *heartbeat = m_gateway->gateway()->heartbeat();
    const QString workspace = m_gateway->dir() + QStringLiteral("/workspace");
    QFile bootstrap(workspace + QStringLiteral("/BOOTSTRAP.md"));
    QVERIFY(bootstrap.open(QIODevice::WriteOnly));
    bootstrap.write("# Bootstrap\n\nIntroduce yourself.\n");
    bootstrap.close();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Initialised: all set.")));
    QSignalSpy done(heartbeat, &Heartbeat::bootstrapped);
    heartbeat->start();
    QVERIFY(done.wait(10000));
    QCOMPARE(done.first().first().toBool(), true);
    QVERIFY(QJsonDocument(m_llm->requests().first().body)
                .toJson()
                .contains("System startup bootstrap: read BOOTSTRAP.md"));
    QVERIFY(!QFile::exists(workspace + QStringLiteral("/BOOTSTRAP.md")));
    QFile marker(workspace + QStringLiteral("/memory/bootstrap.init.done"));
    QVERIFY(marker.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = marker.readAll().split('\n');
    QVERIFY(QDateTime::fromString(QString::fromLatin1(lines.at(0)), Qt::ISODate).isValid());
    QCOMPARE(lines.at(1), QByteArray("Initialised: all set."));

    QVERIFY(bootstrap.open(QIODevice::WriteOnly)); // back, but the marker is there
    bootstrap.write("again");
    bootstrap.close();
    heartbeat->start();
    QVERIFY(!done.wait(300));
    QCOMPARE(m_llm->requests().size(), 1);
}

QTEST_GUILESS_MAIN(TestApiCron)
#include "tst_api_cron.moc"
