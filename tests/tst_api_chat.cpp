// Chat through the API against the fake OpenAI-compatible server: a tool-using turn end to end,
// live streaming (order, UTF-8), concurrency and per-session order, cancellation, sessions on
// disk across restarts, history windows, and the file endpoints' path confinement.

#include "agent/agentruntime.h"
#include "agent/dailysummary.h"
#include "agent/promptcache.h"
#include "agent/sessionstore.h"
#include "core/clock.h"
#include "core/jsonutil.h"
#include "fakes/fakeopenaiserver.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QWebSocket>
#include <sys/stat.h>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

QJsonObject configFor(const QString &dir, const FakeOpenAiServer &server)
{
    QJsonObject config = baseConfig(dir, QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", server.apiBase()},
                                 {"api_key", "sk-fake-key-000000"},
                                 {"models", QJsonArray{"fake-model"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/fake-model"));
    return config;
}

// A /api/chat/live client.
class LiveClient
{
public:
    bool open(quint16 port, const QString &query = QString())
    {
        QObject::connect(&m_socket, &QWebSocket::textMessageReceived, [this](const QString &text) {
            m_messages << QJsonDocument::fromJson(text.toUtf8()).object();
        });
        QObject::connect(&m_socket, &QWebSocket::connected, [this] { m_connected = true; });
        m_socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/chat/live?token=%2%3")
                               .arg(port)
                               .arg(QString::fromLatin1(kToken), query)));
        return waitFor([this] { return m_connected; });
    }
    void send(const QJsonObject &message)
    {
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson()));
    }
    void sendRaw(const QString &text) { m_socket.sendTextMessage(text); }
    bool waitForType(const QString &type, int count = 1, int timeoutMs = 10000)
    {
        return waitFor([&] { return this->count(type) >= count; }, timeoutMs);
    }
    int count(const QString &type) const
    {
        int n = 0;
        for (const QJsonObject &m : m_messages)
            n += m.value("type").toString() == type;
        return n;
    }
    QString joinedDeltas(const QString &session) const
    {
        QString text;
        for (const QJsonObject &m : m_messages)
            if (m.value("type").toString() == QLatin1String("chat_chunk") &&
                m.value("session").toString() == session)
                text += m.value("delta").toString();
        return text;
    }
    const QList<QJsonObject> &messages() const { return m_messages; }
    void close() { m_socket.abort(); }
    ~LiveClient() { QObject::disconnect(&m_socket, nullptr, nullptr, nullptr); }

private:
    QList<QJsonObject> m_messages;
    bool m_connected = false;
    QWebSocket m_socket;
};

QJsonArray historyOf(quint16 port, const QByteArray &query)
{
    return http(port, "GET", "/api/chat/history?" + query, {}, auth())
        .json()
        .value("messages")
        .toArray();
}

} // namespace

class TestApiChat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void noUsableProviderAnswersAClearError_data();
    void noUsableProviderAnswersAClearError();
    void toolUsingTurnEndToEnd();
    void toolErrorsAreFedBackToTheModel();
    void iterationBudget();
    void liveStreamsInOrderAndUtf8Safe();
    void liveInvalidJsonKeepsTheConnection();
    void sessionsRunConcurrently();
    void oneTurnAtATimePerSession();
    void closingTheSocketCancelsUpstream();
    void sessionsSurviveRestartAndTornLines();
    void sessionListDecodesKeys();
    void historyWindows_data();
    void historyWindows();
    void fileEndpointsRefuseEscapes_data();
    void fileEndpointsRefuseEscapes();
    void memoryAndWorkspaceFileRoundTrip();
    void specialFilesNeverBlockTheGateway_data();
    void specialFilesNeverBlockTheGateway();
    void systemPromptIsCachedUntilAFileChanges();
    void mediaIsAppendedToThePrompt();
    void toolAllowlistGroups();
    void longSessionsAreSummarised();
    void dailySummaryEntries_data();
    void dailySummaryEntries();
    void turnsAreNotedInTheDailyMemory();
    void dailyNotesStayInTheWorkspace();

private:
    QString workspace() const { return m_gateway->dir() + QStringLiteral("/workspace"); }
    QString sessionsDir() const
    {
        return m_gateway->dir() + QStringLiteral("/agents/main/sessions");
    }
    std::unique_ptr<FakeOpenAiServer> m_fake;
    std::unique_ptr<TestGateway> m_gateway;
};

void TestApiChat::init()
{
    m_fake = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
    GatewayOptions options;
    options.chatCoalesceMs = 10;
    QVERIFY2(m_gateway->start(configFor(m_gateway->dir(), *m_fake), options),
             qPrintable(m_gateway->error()));
}

void TestApiChat::cleanup()
{
    Clock::setNowFunction(nullptr);
    m_gateway.reset();
    m_fake.reset();
}

void TestApiChat::noUsableProviderAnswersAClearError_data()
{
    QTest::addColumn<QJsonObject>("providers");
    QTest::addColumn<QString>("primary");
    QTest::addColumn<QString>("expected");
    QTest::newRow("default openai without key")
        << QJsonObject{{"openai", QJsonObject{{"api_base", "https://api.openai.com/v1"},
                                              {"models", QJsonArray{"gpt-5.4"}},
                                              {"timeout_sec", 5}}}}
        << "openai/gpt-5.4"
        << "provider \"openai\" has no api_key: set models.providers.openai.api_key on the Config "
           "page";
    QTest::newRow("unreachable")
        << QJsonObject{{"local",
                        QJsonObject{{"api_base", "http://127.0.0.1:9/v1"},
                                    {"models", QJsonArray{"m"}},
                                    {"timeout_sec", 5},
                                    {"responses", QJsonObject{{"api", "chat_completions"}}}}}}
        << "local/m"
        << "cannot reach provider \"local\" at http://127.0.0.1:9/v1";
}

void TestApiChat::noUsableProviderAnswersAClearError()
{
    QFETCH(QJsonObject, providers);
    QFETCH(QString, primary);
    QFETCH(QString, expected);
    QJsonObject config = configFor(m_gateway->dir(), *m_fake);
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"), providers);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"), primary);
    QCOMPARE(http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth())
                 .status,
             200);
    const HttpResult result =
        http(m_gateway->port(), "POST", "/api/chat", R"({"message":"hello"})", auth());
    QCOMPARE(result.status, 500);
    QVERIFY2(result.body.startsWith(expected.toUtf8()), result.body.constData());
    // The text reaches clients and chat contacts: it names settings, never a local path.
    QVERIFY(!result.body.contains(m_gateway->dir().toUtf8()));
}

void TestApiChat::toolUsingTurnEndToEnd()
{
    QFile agents(workspace() + QStringLiteral("/AGENTS.md"));
    QVERIFY(agents.open(QIODevice::WriteOnly | QIODevice::Truncate));
    agents.write("Always sign with -- the agent.");
    agents.close();
    m_fake->enqueue(FakeLlmReply::chatToolCallStream(
        "call_1", "write_file",
        {"{\"path\":\"notes/hello.txt\",", "\"content\":\"hi from a tool\"}"}));
    m_fake->enqueue(FakeLlmReply::chatToolCallStream("call_2", "read_file",
                                                     {"{\"path\":\"notes/hello.txt\"}"}));
    m_fake->enqueue(FakeLlmReply::chatStream({"Done: ", "hi from a tool"}));
    const HttpResult result = http(m_gateway->port(), "POST", "/api/chat",
                                   R"({"session":"work","message":"save a note"})", auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json(),
             (QJsonObject{{"ok", true}, {"reply", "Done: hi from a tool"}, {"session", "work"}}));

    QFile note(workspace() + QStringLiteral("/notes/hello.txt"));
    QVERIFY(note.open(QIODevice::ReadOnly));
    QCOMPARE(note.readAll(), QByteArray("hi from a tool"));

    QCOMPARE(m_fake->requests().size(), 3);
    const QJsonArray first = m_fake->requests().at(0).body.value("messages").toArray();
    QCOMPARE(first.first().toObject().value("role").toString(), QStringLiteral("system"));
    QVERIFY(first.first().toObject().value("content").toString().contains(
        QLatin1String("Always sign with -- the agent.")));
    QCOMPARE(first.last().toObject().value("content").toString(), QStringLiteral("save a note"));
    QStringList toolNames;
    for (const QJsonValue &tool : m_fake->requests().at(0).body.value("tools").toArray())
        toolNames << tool.toObject().value("function").toObject().value("name").toString();
    QVERIFY(toolNames.contains(QStringLiteral("exec")) &&
            toolNames.contains(QStringLiteral("memory_search")));
    QStringList sorted = toolNames;
    sorted.sort();
    QCOMPARE(toolNames, sorted); // stable order for prompt caches
    // The system prompt is the same from one call to the next.
    QCOMPARE(m_fake->requests().at(1).body.value("messages").toArray().first(), first.first());
    const QJsonArray third = m_fake->requests().at(2).body.value("messages").toArray();
    const QJsonObject readResult = third.last().toObject();
    QCOMPARE(readResult.value("role").toString(), QStringLiteral("tool"));
    QCOMPARE(readResult.value("tool_call_id").toString(), QStringLiteral("call_2"));
    QCOMPARE(readResult.value("content").toString(), QStringLiteral("hi from a tool"));

    const QJsonArray history = historyOf(m_gateway->port(), "session=work");
    QStringList roles;
    for (const QJsonValue &message : history)
        roles << message.toObject().value("role").toString();
    QCOMPARE(roles, (QStringList{"user", "assistant", "tool", "assistant", "tool", "assistant"}));
    QCOMPARE(history.at(1)
                 .toObject()
                 .value("tool_calls")
                 .toArray()
                 .first()
                 .toObject()
                 .value("function")
                 .toObject()
                 .value("name")
                 .toString(),
             QStringLiteral("write_file"));
    QCOMPARE(history.last().toObject().value("content").toString(),
             QStringLiteral("Done: hi from a tool"));
    QVERIFY(QFile::exists(sessionsDir() + QStringLiteral("/work.active.jsonl")));
    QCOMPARE(fileMode(sessionsDir() + QStringLiteral("/work.active.jsonl")), 0600);
}

void TestApiChat::toolErrorsAreFedBackToTheModel()
{
    m_fake->enqueue(FakeLlmReply::chatToolCall("call_1", "read_file",
                                               QJsonObject{{"path", "../../etc/passwd"}}));
    m_fake->enqueue(FakeLlmReply::chatToolCall("call_2", "no_such_tool", QJsonObject()));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("I could not.")));
    const HttpResult result =
        http(m_gateway->port(), "POST", "/api/chat", R"({"message":"read it"})", auth());
    QCOMPARE(result.json().value("reply").toString(), QStringLiteral("I could not."));
    const QJsonArray second = m_fake->requests().at(1).body.value("messages").toArray();
    QVERIFY(second.last().toObject().value("content").toString().startsWith(
        QLatin1String("Error: path ../../etc/passwd is outside the workspace")));
    const QJsonArray third = m_fake->requests().at(2).body.value("messages").toArray();
    QCOMPARE(third.last().toObject().value("content").toString(),
             QStringLiteral("Error: tool 'no_such_tool' not found"));
}

void TestApiChat::iterationBudget()
{
    QJsonObject config = configFor(m_gateway->dir(), *m_fake);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.max_tool_iterations"), 2);
    QCOMPARE(http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth())
                 .status,
             200);
    for (int i = 0; i < 3; ++i)
        m_fake->enqueue(FakeLlmReply::chatToolCall(QStringLiteral("call_%1").arg(i), "list_dir",
                                                   QJsonObject()));
    const HttpResult result =
        http(m_gateway->port(), "POST", "/api/chat", R"({"message":"loop"})", auth());
    QCOMPARE(result.status, 500);
    QCOMPARE(result.body, QByteArray("max tool iterations exceeded (2)\n"));
    QCOMPARE(m_fake->requests().size(), 2);
}

void TestApiChat::liveStreamsInOrderAndUtf8Safe()
{
    // The fake's bytes are cut every 5 bytes, through multi-byte characters, with pauses.
    const QString expected = QStringLiteral("你好，世界！Emoji 🦞🎉 and plain text.");
    FakeLlmReply reply =
        FakeLlmReply::chatStream({QStringLiteral("你好，"), QStringLiteral("世界！Emoji 🦞"),
                                  QStringLiteral("🎉 and "), QStringLiteral("plain text.")});
    QByteArray wire;
    for (const QByteArray &event : reply.events)
        wire += "data: " + event + "\n\n";
    reply.events.clear();
    for (qsizetype i = 0; i < wire.size(); i += 5)
        reply.rawChunks << wire.mid(i, 5);
    reply.intervalMs = 1;
    m_fake->enqueue(reply);
    m_fake->enqueue(FakeLlmReply::chatStream({"second ", "answer"}));

    LiveClient live;
    QVERIFY(live.open(m_gateway->port()));
    live.send(QJsonObject{{"session", "live"}, {"message", "greet me"}});
    QVERIFY(live.waitForType(QStringLiteral("chat_done")));
    QVERIFY(live.count(QStringLiteral("chat_chunk")) >= 2); // streamed, not one final blob
    QCOMPARE(live.joinedDeltas(QStringLiteral("live")), expected);
    // Frames: chunks first, then exactly one chat_done, last.
    QCOMPARE(live.messages().last(),
             (QJsonObject{{"ok", true}, {"type", "chat_done"}, {"session", "live"}}));
    const QJsonArray history = historyOf(m_gateway->port(), "session=live");
    QCOMPARE(history.last().toObject().value("content").toString(), expected);

    // A second request on the same connection.
    live.send(QJsonObject{{"session", "live"}, {"message", "again"}});
    QVERIFY(live.waitForType(QStringLiteral("chat_done"), 2));
    QCOMPARE(live.joinedDeltas(QStringLiteral("live")), expected + QStringLiteral("second answer"));
}

void TestApiChat::liveInvalidJsonKeepsTheConnection()
{
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("fine")));
    LiveClient live;
    QVERIFY(live.open(m_gateway->port(), QStringLiteral("&session=from-query")));
    live.sendRaw(QStringLiteral("not json"));
    QVERIFY(live.waitForType(QStringLiteral("chat_error")));
    QCOMPARE(live.messages().first(),
             (QJsonObject{{"ok", false}, {"type", "chat_error"}, {"error", "invalid json"}}));
    live.send(QJsonObject{{"message", "hello"}});
    QVERIFY(live.waitForType(QStringLiteral("chat_done")));
    QCOMPARE(live.joinedDeltas(QStringLiteral("from-query")), QStringLiteral("fine"));
}

void TestApiChat::sessionsRunConcurrently()
{
    FakeLlmReply slow = FakeLlmReply::chatStream({"a"});
    slow.firstByteDelayMs = 400;
    m_fake->enqueue(slow);
    m_fake->enqueue(slow);
    LiveClient live;
    QVERIFY(live.open(m_gateway->port()));
    live.send(QJsonObject{{"session", "s1"}, {"message", "one"}});
    live.send(QJsonObject{{"session", "s2"}, {"message", "two"}});
    // Both reach the provider before either is answered.
    QVERIFY(waitFor([&] { return m_fake->requests().size() == 2; }, 3000));
    QCOMPARE(live.count(QStringLiteral("chat_done")), 0);
    QVERIFY(live.waitForType(QStringLiteral("chat_done"), 2));
}

void TestApiChat::oneTurnAtATimePerSession()
{
    FakeLlmReply slow = FakeLlmReply::chatStream({"first ", "reply"});
    slow.intervalMs = 100;
    m_fake->enqueue(slow);
    m_fake->enqueue(FakeLlmReply::chatStream({"second reply"}));
    LiveClient live;
    QVERIFY(live.open(m_gateway->port()));
    live.send(QJsonObject{{"session", "same"}, {"message", "one"}});
    live.send(QJsonObject{{"session", "same"}, {"message", "two"}});
    QVERIFY(waitFor([&] { return m_fake->requests().size() == 1; }));
    QTest::qWait(150);
    QCOMPARE(m_fake->requests().size(), 1); // the second waits for the first
    QVERIFY(live.waitForType(QStringLiteral("chat_done"), 2));
    // The second turn saw the first one's question and answer.
    const QJsonArray messages = m_fake->requests().at(1).body.value("messages").toArray();
    QStringList contents;
    for (const QJsonValue &m : messages)
        contents << m.toObject().value("content").toString();
    QCOMPARE(contents.mid(1), (QStringList{"one", "first reply", "two"}));
}

void TestApiChat::closingTheSocketCancelsUpstream()
{
    FakeLlmReply slow = FakeLlmReply::chatStream({"a", "b", "c", "d", "e", "f"});
    slow.intervalMs = 150;
    m_fake->enqueue(slow);
    {
        LiveClient live;
        QVERIFY(live.open(m_gateway->port()));
        live.send(QJsonObject{{"session", "gone"}, {"message", "long answer"}});
        QVERIFY(live.waitForType(QStringLiteral("chat_chunk")));
        live.close();
    }
    QVERIFY(waitFor([&] { return m_fake->abandonedAnswers() == 1; }, 5000));
    // The session is free again.
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("next")));
    QCOMPARE(
        http(m_gateway->port(), "POST", "/api/chat", R"({"session":"gone","message":"hi"})", auth())
            .json()
            .value("reply")
            .toString(),
        QStringLiteral("next"));
}

void TestApiChat::sessionsSurviveRestartAndTornLines()
{
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("remembered")));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat",
                  R"({"session":"keep","message":"remember this"})", auth())
                 .status,
             200);
    const QString configPath = m_gateway->configPath();
    const QString file = sessionsDir() + QStringLiteral("/keep.active.jsonl");
    // A crash in the middle of a write leaves half a line.
    QFile torn(file);
    QVERIFY(torn.open(QIODevice::Append));
    torn.write("{\"type\":\"message\",\"message\":{\"role\":\"assis");
    torn.close();

    GatewayOptions options;
    options.configPath = configPath;
    options.host = QStringLiteral("127.0.0.1");
    options.port = 0;
    Gateway restarted(options);
    QString error;
    QVERIFY2(restarted.start(&error), qPrintable(error));
    QJsonArray history = historyOf(restarted.port(), "session=keep");
    QCOMPARE(history.size(), 2);
    QCOMPARE(history.at(1).toObject().value("content").toString(), QStringLiteral("remembered"));
    // Writing goes on after the torn line without gluing onto it.
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("still here")));
    QCOMPARE(http(restarted.port(), "POST", "/api/chat",
                  R"({"session":"keep","message":"and now?"})", auth())
                 .status,
             200);
    SessionStore reader(sessionsDir());
    const QList<ChatMessage> kept = loadSession(reader, QStringLiteral("keep"));
    QCOMPARE(kept.size(), 4);
    QCOMPARE(kept.last().content, QStringLiteral("still here"));
}

void TestApiChat::sessionListDecodesKeys()
{
    SessionStore store(sessionsDir());
    store.append(QStringLiteral("telegram:123"), ChatMessage{"user", "hi", {}, {}, {}});
    store.append(QStringLiteral("internal:cron"), ChatMessage{"user", "tick", {}, {}, {}});
    store.append(QStringLiteral("a/b%c"), ChatMessage{"user", "odd", {}, {}, {}});
    settle(store);
    QVERIFY(QFile::exists(sessionsDir() + QStringLiteral("/telegram%3A123.active.jsonl")));
    QVERIFY(QFile::exists(sessionsDir() + QStringLiteral("/a%2Fb%25c.active.jsonl")));
    QJsonArray sessions = http(m_gateway->port(), "GET", "/api/sessions", {}, auth())
                              .json()
                              .value("sessions")
                              .toArray();
    QCOMPARE(sessions, (QJsonArray{QJsonObject{{"key", "a/b%c"}},
                                   QJsonObject{{"key", "telegram:123"}, {"channel", "telegram"}}}));
    sessions = http(m_gateway->port(), "GET", "/api/sessions?include_internal=1", {}, auth())
                   .json()
                   .value("sessions")
                   .toArray();
    QCOMPARE(sessions.size(), 3);
    QCOMPARE(sessions.at(1).toObject().value("key").toString(), QStringLiteral("internal:cron"));
}

void TestApiChat::historyWindows_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("default") << QByteArray("") << QStringList{"m1", "m2", "m3", "m4", "m5",
                                                              "m6", "m7", "m8", "m9", "m10"};
    QTest::newRow("limit keeps the last")
        << QByteArray("&limit=3") << QStringList{"m8", "m9", "m10"};
    QTest::newRow("after") << QByteArray("&after=7") << QStringList{"m8", "m9", "m10"};
    QTest::newRow("before") << QByteArray("&before=3") << QStringList{"m1", "m2"};
    QTest::newRow("after and before")
        << QByteArray("&after=2&before=6") << QStringList{"m3", "m4", "m5"};
    QTest::newRow("around") << QByteArray("&around=5&limit=4")
                            << QStringList{"m4", "m5", "m6", "m7"}; // [3,7], cut to the last 4
    QTest::newRow("bad numbers") << QByteArray("&limit=-1&after=abc")
                                 << QStringList{"m1", "m2", "m3", "m4", "m5",
                                                "m6", "m7", "m8", "m9", "m10"};
    QTest::newRow("unknown session") << QByteArray("x") << QStringList{};
}

void TestApiChat::historyWindows()
{
    QFETCH(QByteArray, query);
    QFETCH(QStringList, expected);
    SessionStore store(sessionsDir());
    for (int i = 1; i <= 10; ++i)
        store.append(QStringLiteral("win"),
                     ChatMessage{"user", QStringLiteral("m%1").arg(i), {}, {}, {}});
    settle(store);
    const QJsonArray history = historyOf(m_gateway->port(), "session=win" + query);
    QStringList contents;
    for (const QJsonValue &message : history)
        contents << message.toObject().value("content").toString();
    QCOMPARE(contents, expected);
}

void TestApiChat::fileEndpointsRefuseEscapes_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("endpoint");
    QTest::addColumn<QString>("path");
    const QList<QByteArray> endpoints{"/api/workspace_file", "/api/memory"};
    const QStringList paths{"../outside.txt",
                            "/etc/passwd",
                            "a/../../outside.txt",
                            "link/secret.txt",
                            "",
                            ".",
                            "~/x",
                            QStringLiteral("nul\u0000byte")};
    for (const QByteArray &endpoint : endpoints)
        for (const QByteArray &method : {QByteArray("GET"), QByteArray("POST")})
            for (const QString &path : paths)
                QTest::addRow("%s %s %s", method.constData(), endpoint.constData(),
                              qPrintable(path))
                    << method << endpoint << path;
    for (const QString &path : paths)
        QTest::addRow("DELETE memory %s", qPrintable(path))
            << QByteArray("DELETE") << QByteArray("/api/memory") << path;
}

void TestApiChat::fileEndpointsRefuseEscapes()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, endpoint);
    QFETCH(QString, path);
    // A symlink inside the workspace (and inside memory/) that leads outside.
    QTemporaryDir outside;
    QFile secret(outside.filePath(QStringLiteral("secret.txt")));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("secret");
    secret.close();
    QDir().mkpath(workspace() + QStringLiteral("/memory"));
    QFile::link(outside.path(), workspace() + QStringLiteral("/link"));
    QFile::link(outside.path(), workspace() + QStringLiteral("/memory/link"));

    HttpResult result;
    const QByteArray encoded = QUrl::toPercentEncoding(path);
    if (method == "POST")
        result =
            http(m_gateway->port(), "POST", endpoint,
                 QJsonDocument(QJsonObject{{"path", path}, {"content", "pwned"}}).toJson(), auth());
    else
        result = http(m_gateway->port(), method, endpoint + "?path=" + encoded, {}, auth());
    if (method == "GET" && endpoint == "/api/memory" && path.isEmpty()) {
        QCOMPARE(result.status, 200); // no path: the listing
        return;
    }
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("invalid path\n"));
    QFile check(outside.filePath(QStringLiteral("secret.txt")));
    QVERIFY(check.open(QIODevice::ReadOnly));
    QCOMPARE(check.readAll(), QByteArray("secret"));
    QVERIFY(!QFile::exists(m_gateway->dir() + QStringLiteral("/outside.txt")));
}

void TestApiChat::memoryAndWorkspaceFileRoundTrip()
{
    const quint16 port = m_gateway->port();
    QCOMPARE(http(port, "POST", "/api/memory", R"({"path":"notes.md","content":"Remember this."})",
                  auth())
                 .json(),
             (QJsonObject{{"ok", true}, {"path", "notes.md"}}));
    QVERIFY(http(port, "GET", "/api/memory", {}, auth())
                .json()
                .value("files")
                .toArray()
                .contains(QJsonValue("notes.md")));
    QCOMPARE(http(port, "GET", "/api/memory?path=notes.md", {}, auth())
                 .json()
                 .value("content")
                 .toString(),
             QStringLiteral("Remember this."));
    QCOMPARE(http(port, "DELETE", "/api/memory?path=notes.md", {}, auth()).json(),
             (QJsonObject{{"ok", true}, {"deleted", true}, {"path", "notes.md"}}));
    QCOMPARE(http(port, "GET", "/api/memory?path=notes.md", {}, auth()).status, 404);
    QCOMPARE(http(port, "POST", "/api/memory", "nope", auth()).body, QByteArray("invalid json\n"));

    QCOMPARE(http(port, "POST", "/api/workspace_file",
                  R"({"path":"notes/./today.md","content":"# Today"})", auth())
                 .json(),
             (QJsonObject{{"ok", true}, {"path", "notes/today.md"}, {"saved", true}}));
    QCOMPARE(
        http(port, "GET", "/api/workspace_file?path=notes/today.md", {}, auth()).json(),
        (QJsonObject{
            {"ok", true}, {"path", "notes/today.md"}, {"found", true}, {"content", "# Today"}}));
    QCOMPARE(
        http(port, "GET", "/api/workspace_file?path=missing.md", {}, auth()).json(),
        (QJsonObject{{"ok", true}, {"path", "missing.md"}, {"found", false}, {"content", ""}}));
}

void TestApiChat::specialFilesNeverBlockTheGateway_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("workspace file") << QByteArray("/api/workspace_file?path=pipe");
    QTest::newRow("memory file") << QByteArray("/api/memory?path=pipe.md");
}

// GET on a FIFO used to freeze the whole gateway until someone wrote to it.
void TestApiChat::specialFilesNeverBlockTheGateway()
{
    QFETCH(QByteArray, target);
    QDir().mkpath(workspace() + QStringLiteral("/memory"));
    QCOMPARE(::mkfifo(QFile::encodeName(workspace() + QStringLiteral("/pipe")).constData(), 0600),
             0);
    QCOMPARE(
        ::mkfifo(QFile::encodeName(workspace() + QStringLiteral("/memory/pipe.md")).constData(),
                 0600),
        0);
    const HttpResult result = http(m_gateway->port(), "GET", target, {}, auth());
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("cannot read the file\n"));
    QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
}

// The workspace files are read once, on the file pool, and again only after one changes.
void TestApiChat::systemPromptIsCachedUntilAFileChanges()
{
    PromptCache *prompts = m_gateway->gateway()->agent()->prompts();
    for (int i = 0; i < 2; ++i) {
        m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
        QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", R"({"message":"hi"})", auth()).status,
                 200);
    }
    const quint64 builds = prompts->builds();
    QVERIFY(builds >= 1);
    QFile agents(workspace() + QStringLiteral("/AGENTS.md"));
    QVERIFY(agents.open(QIODevice::WriteOnly | QIODevice::Truncate));
    agents.write("Answer in haiku.");
    agents.close();
    QVERIFY(waitFor([&] {
        m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
        http(m_gateway->port(), "POST", "/api/chat", R"({"message":"again"})", auth());
        const QJsonArray messages = m_fake->requests().last().body.value("messages").toArray();
        return messages.first().toObject().value("content").toString().contains(
            QLatin1String("Answer in haiku."));
    }));
    QVERIFY(prompts->builds() > builds);
}

void TestApiChat::mediaIsAppendedToThePrompt()
{
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/uploads"));
    const QString uploaded = m_gateway->dir() + QStringLiteral("/uploads/123_f.txt");
    QFile file(uploaded);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("seen")));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat?session=alpha",
                  QJsonDocument(QJsonObject{{"message", "x"}, {"media", uploaded}}).toJson(),
                  auth())
                 .json(),
             (QJsonObject{{"ok", true}, {"reply", "seen"}, {"session", "alpha"}}));
    QCOMPARE(m_fake->requests()
                 .first()
                 .body.value("messages")
                 .toArray()
                 .last()
                 .toObject()
                 .value("content")
                 .toString(),
             QStringLiteral("x\n[file: %1]").arg(uploaded));
    // Media must come from /api/upload: other paths never reach the prompt.
    for (const char *media : {"/etc/passwd", "../../config.json", "/tmp/nonexistent"}) {
        const HttpResult refused =
            http(m_gateway->port(), "POST", "/api/chat",
                 QJsonDocument(QJsonObject{{"message", "x"}, {"media", media}}).toJson(), auth());
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.body, QByteArray("media must be a path returned by /api/upload\n"));
    }
    // An empty prompt is answered at once, without the model.
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", R"({"message":"  "})", auth()).json(),
             (QJsonObject{{"ok", true}, {"reply", ""}, {"session", "main"}}));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", "nope", auth()).body,
             QByteArray("invalid json\n"));
    QCOMPARE(m_fake->requests().size(), 1);
}

void TestApiChat::toolAllowlistGroups()
{
    const QJsonObject payload =
        http(m_gateway->port(), "GET", "/api/tool_allowlist_groups", {}, auth()).json();
    QCOMPARE(payload.value("ok").toBool(), true);
    const QJsonArray groups = payload.value("groups").toArray();
    QCOMPARE(groups.size(), 7);
    QCOMPARE(groups.first().toObject(),
             (QJsonObject{{"name", "files_read"},
                          {"description", "Read-only workspace file tools"},
                          {"aliases", QJsonArray{"file_read", "readonly_files"}},
                          {"tools", QJsonArray{"list_dir", "read_file"}}}));
    QCOMPARE(groups.last().toObject().value("name").toString(), QStringLiteral("subagent"));
}

void TestApiChat::longSessionsAreSummarised()
{
    QJsonObject config = configFor(m_gateway->dir(), *m_fake);
    JsonUtil::setValueAt(config,
                         QStringLiteral("agents.defaults.context_compaction.trigger_messages"), 4);
    JsonUtil::setValueAt(
        config, QStringLiteral("agents.defaults.context_compaction.keep_recent_messages"), 2);
    QCOMPARE(http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth())
                 .status,
             200);
    const auto chat = [this](const char *message) {
        return http(m_gateway->port(), "POST", "/api/chat",
                    QJsonDocument(QJsonObject{{"session", "long"}, {"message", message}}).toJson(),
                    auth())
            .status;
    };
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("a1")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("a2")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("a3")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Key Facts\n- the user likes tea")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("a4")));
    QCOMPARE(chat("q1"), 200);
    QCOMPARE(chat("q2"), 200);
    QCOMPARE(chat("q3"), 200); // 6 messages > 4: the first four get summarised
    QCOMPARE(chat("q4"), 200);
    QCOMPARE(m_fake->requests().size(), 5);
    const QJsonArray summaryRequest = m_fake->requests().at(3).body.value("messages").toArray();
    QVERIFY(summaryRequest.first().toObject().value("content").toString().startsWith(
        QLatin1String("Summarise the earlier part")));
    QVERIFY(summaryRequest.last().toObject().value("content").toString().contains(
        QLatin1String("\"content\":\"q1\"")));
    QVERIFY(!m_fake->requests().at(3).body.contains("tools"));

    const QJsonArray fourth = m_fake->requests().at(4).body.value("messages").toArray();
    QVERIFY2(fourth.first().toObject().value("content").toString().contains(
                 QLatin1String("the user likes tea")),
             qPrintable(QJsonDocument(fourth).toJson().right(600)));
    QStringList contents;
    for (const QJsonValue &m : fourth)
        contents << m.toObject().value("content").toString();
    QCOMPARE(contents.mid(1), (QStringList{"q3", "a3", "q4"}));
    // The log keeps everything; the summary sits in clawgo's sidecar.
    QCOMPARE(historyOf(m_gateway->port(), "session=long").size(), 8);
    QFile meta(sessionsDir() + QStringLiteral("/long.meta.json"));
    QVERIFY(meta.open(QIODevice::ReadOnly));
    const QJsonObject sidecar = QJsonDocument::fromJson(meta.readAll()).object();
    QCOMPARE(sidecar.value("summary").toString(),
             QStringLiteral("Key Facts\n- the user likes tea"));
    QCOMPARE(sidecar.value("compaction_count").toInt(), 1);
    // A fresh store (a restart) reads it back.
    SessionStore reader(sessionsDir());
    loadSession(reader, QStringLiteral("long"));
    QCOMPARE(reader.compaction(QStringLiteral("long")).compactedMessages, 4);
}

void TestApiChat::dailySummaryEntries_data()
{
    QTest::addColumn<QString>("request");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "fix the build\nit fails on CI"
                           << "Fixed it.\nThe linker flag was missing."
                           << "main"
                           << "## 09:05 Main Agent | fix the build\n\n- Did: Fixed it. The linker "
                              "flag was missing.\n- Channel: webui\n- Session: main\n";
    QTest::newRow("channel from the key")
        << "hello"
        << "hi"
        << "weixin:bot|user"
        << "## 09:05 Main Agent | hello\n\n- Did: hi\n- Channel: weixin\n- Session: "
           "weixin:bot|user\n";
    QTest::newRow("task marker") << "From cron.\nTask:\nrotate the logs"
                                 << "done"
                                 << "main"
                                 << "## 09:05 Main Agent | rotate the logs\n\n- Did: done\n- "
                                    "Channel: webui\n- Session: main\n";
    QTest::newRow("long title") << QString(80, QLatin1Char('t')) << "ok"
                                << "main"
                                << "## 09:05 Main Agent | " + QString(69, QLatin1Char('t')) +
                                       "...\n\n- Did: ok\n- Channel: webui\n- Session: main\n";
    // 320 bytes at most: 105 three-byte characters (315 bytes) and "...".
    QTest::newRow("long reply, multibyte")
        << "q" << QString(200, QChar(0x4E2D)) << "main"
        << "## 09:05 Main Agent | q\n\n- Did: " + QString(105, QChar(0x4E2D)) +
               "...\n- Channel: webui\n- Session: main\n";
    QTest::newRow("empty reply") << "q"
                                 << "  "
                                 << "main"
                                 << "";
    QTest::newRow("heartbeat answered") << "Read HEARTBEAT.md"
                                        << "HEARTBEAT_OK"
                                        << "main"
                                        << "";
    QTest::newRow("heartbeat with work")
        << "heartbeat"
        << "Sent the report."
        << "main"
        << "## 09:05 Main Agent | heartbeat\n\n- Did: Sent the report.\n- Channel: webui\n- "
           "Session: main\n";
}

void TestApiChat::dailySummaryEntries()
{
    QFETCH(QString, request);
    QFETCH(QString, reply);
    QFETCH(QString, session);
    QFETCH(QString, expected);
    const QDateTime at(QDate(2026, 11, 25), QTime(9, 5));
    QCOMPARE(DailySummary::entry(at, request, reply, session), expected);
}

void TestApiChat::turnsAreNotedInTheDailyMemory()
{
    const QDateTime at(QDate(2026, 3, 4), QTime(10, 30));
    Clock::setNowFunction([at] { return at.toMSecsSinceEpoch(); });
    m_fake->enqueue(FakeLlmReply::chatStream({"First ", "answer"}));
    m_fake->enqueue(FakeLlmReply::chatStream({"Second answer"}));
    m_fake->enqueue(FakeLlmReply::chatStream({"Third"}));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", R"({"message":"one"})", auth()).status,
             200);
    const QString path = workspace() + QStringLiteral("/memory/2026-03-04.md");
    QVERIFY(waitFor([&] { return QFileInfo(path).size() > 0; }));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", R"({"session":"work","message":"two"})",
                  auth())
                 .status,
             200);
    QFile file(path);
    QVERIFY(waitFor([&] {
        file.open(QIODevice::ReadOnly);
        const bool both = file.readAll().contains("Second answer");
        file.close();
        return both;
    }));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()),
             QStringLiteral("# 2026-03-04\n\n"
                            "## 10:30 Main Agent | one\n\n- Did: First answer\n- Channel: "
                            "webui\n- Session: main\n"
                            "\n## 10:30 Main Agent | two\n\n- Did: Second answer\n- Channel: "
                            "webui\n- Session: work\n"));
    // The next turn sees today's notes in its system prompt.
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat", R"({"message":"three"})", auth()).status,
             200);
    const QString system = m_fake->requests()
                               .last()
                               .body.value("messages")
                               .toArray()
                               .first()
                               .toObject()
                               .value("content")
                               .toString();
    Clock::setNowFunction(nullptr);
    QVERIFY(system.contains(QLatin1String("- Did: Second answer")));
}

// The daily note is confined like the file tools: a memory/ folder that is a symlink out of the
// workspace is not written through.
void TestApiChat::dailyNotesStayInTheWorkspace()
{
    QTemporaryDir outside;
    QDir(workspace() + QStringLiteral("/memory")).removeRecursively();
    QVERIFY(QFile::link(outside.path(), workspace() + QStringLiteral("/memory")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("noted?")));
    QCOMPARE(
        http(m_gateway->port(), "POST", "/api/chat", R"({"message":"remember"})", auth()).status,
        200);
    QTest::qWait(300); // the note is written on the file pool
    QVERIFY(QDir(outside.path()).entryList(QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestApiChat)
#include "tst_api_chat.moc"
