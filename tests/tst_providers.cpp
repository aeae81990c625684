// The provider layer against the fake OpenAI-compatible server: SSE parsing, streaming and
// plain answers in both protocols, tool calls split across chunks, errors and timeouts.

#include "fakes/fakehttpproxy.h"
#include "fakes/fakeopenaiserver.h"
#include "fakes/fakesocks5proxy.h"
#include "providers/llmcall.h"
#include "providers/sseparser.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

struct CallOutcome
{
    QStringList deltas;
    std::optional<LlmResult> result;
    QString error;
    bool done() const { return result.has_value() || !error.isEmpty(); }
};

ProviderSettings settingsFor(const FakeOpenAiServer &server, bool responses = false)
{
    ProviderSettings settings;
    settings.name = QStringLiteral("fake");
    settings.apiBase = server.apiBase();
    settings.apiKey = QStringLiteral("sk-test-key-123456");
    settings.model = QStringLiteral("test-model");
    settings.wire = responses ? WireKind::Responses : WireKind::ChatCompletions;
    settings.timeoutSec = 10;
    return settings;
}

CallOutcome run(const ProviderSettings &settings,
                const QList<ChatMessage> &messages = {{"user", "hi", {}, {}, {}}},
                const QList<ToolSpec> &tools = {})
{
    CallOutcome outcome;
    LlmCall call(settings, messages, tools);
    QObject::connect(&call, &LlmCall::delta, [&](const QString &text) { outcome.deltas << text; });
    QObject::connect(&call, &LlmCall::finished,
                     [&](const LlmResult &result) { outcome.result = result; });
    QObject::connect(&call, &LlmCall::failed, [&](const QString &error) { outcome.error = error; });
    call.start();
    waitFor([&] { return outcome.done(); }, 15000);
    return outcome;
}

// Splits UTF-8 bytes into chunks of `size` bytes, cutting through multi-byte characters.
QList<QByteArray> byteChunks(const QByteArray &bytes, int size)
{
    QList<QByteArray> chunks;
    for (qsizetype i = 0; i < bytes.size(); i += size)
        chunks << bytes.mid(i, size);
    return chunks;
}

} // namespace

class TestProviders : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sseParser_data();
    void sseParser();
    void endpointJoining_data();
    void endpointJoining();
    void chatStreamDeltasAndRequest();
    void chatStreamSplitInsideCharacters();
    void chatToolCallAcrossChunks();
    void chatPlainAnswerToStreamRequest();
    void chatNonStreaming();
    void emptyKeySendsNoAuthorization();
    void responsesStream();
    void responsesToolCallAcrossChunks();
    void responsesPlain();
    void errors_data();
    void errors();
    void connectionRefused();
    void firstByteTimeout();
    void idleTimeout();
    void cancelStopsTheUpstreamCall();
    void invalidProxy();
    void requestsGoThroughTheConfiguredProxy();
    void requestsGoThroughASocks5Proxy_data();
    void requestsGoThroughASocks5Proxy();
};

void TestProviders::sseParser_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("events");
    QTest::newRow("lf") << QByteArray("data: a\n\ndata: b\n\n") << QList<QByteArray>{"a", "b"};
    QTest::newRow("crlf") << QByteArray("data: a\r\n\r\ndata: b\r\n\r\n")
                          << QList<QByteArray>{"a", "b"};
    QTest::newRow("multi-line data")
        << QByteArray("data: {\"a\":\ndata: 1}\n\n") << QList<QByteArray>{"{\"a\":\n1}"};
    QTest::newRow("comments and fields")
        << QByteArray(": keep-alive\nevent: x\nid: 7\ndata: a\n\n") << QList<QByteArray>{"a"};
    QTest::newRow("no space after colon") << QByteArray("data:a\n\n") << QList<QByteArray>{"a"};
    QTest::newRow("blank lines only") << QByteArray("\n\n\n") << QList<QByteArray>{};
    QTest::newRow("done marker") << QByteArray("data: [DONE]\n\n") << QList<QByteArray>{"[DONE]"};
}

void TestProviders::sseParser()
{
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, events);
    // Whole, and one byte at a time: the result must not depend on how the bytes arrive.
    SseParser whole;
    QCOMPARE(whole.feed(stream), events);
    SseParser bytewise;
    QList<QByteArray> collected;
    for (char byte : stream)
        collected << bytewise.feed(QByteArray(1, byte));
    QCOMPARE(collected, events);
}

void TestProviders::endpointJoining_data()
{
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("expected");
    QTest::newRow("root") << "http://h/v1"
                          << "http://h/v1/chat/completions";
    QTest::newRow("trailing slash") << "http://h/v1/"
                                    << "http://h/v1/chat/completions";
    QTest::newRow("full endpoint") << "http://h/v1/chat/completions"
                                   << "http://h/v1/chat/completions";
}

void TestProviders::endpointJoining()
{
    QFETCH(QString, base);
    QFETCH(QString, expected);
    QCOMPARE(LlmCall::endpointFor(base, QStringLiteral("/chat/completions")), expected);
}

void TestProviders::chatStreamDeltasAndRequest()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatStream({"Hel", "lo", " world"}));
    const QList<ToolSpec> tools{{"read_file", "Read a file", QJsonObject{{"type", "object"}}}};
    const CallOutcome outcome =
        run(settingsFor(server), {{"system", "be brief", {}, {}, {}}, {"user", "hi", {}, {}, {}}},
            tools);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.deltas, (QStringList{"Hel", "lo", " world"}));
    QCOMPARE(outcome.result->content, QStringLiteral("Hello world"));
    QCOMPARE(outcome.result->finishReason, QStringLiteral("stop"));
    QCOMPARE(outcome.result->usage.total, 18);
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &request = server.requests().first();
    QCOMPARE(request.path, QStringLiteral("/v1/chat/completions"));
    QCOMPARE(request.header("authorization"), QByteArray("Bearer sk-test-key-123456"));
    QCOMPARE(request.body.value("model").toString(), QStringLiteral("test-model"));
    QCOMPARE(request.body.value("stream").toBool(), true);
    QCOMPARE(request.body.value("messages").toArray().size(), 2);
    QCOMPARE(request.body.value("tools")
                 .toArray()
                 .first()
                 .toObject()
                 .value("function")
                 .toObject()
                 .value("name")
                 .toString(),
             QStringLiteral("read_file"));
    QCOMPARE(request.body.value("tool_choice").toString(), QStringLiteral("auto"));
}

void TestProviders::chatStreamSplitInsideCharacters()
{
    // Chinese and an emoji, in an SSE stream cut every 3 bytes: through characters and events.
    const QString text = QStringLiteral("你好，世界 🦞 ok");
    FakeOpenAiServer server;
    FakeLlmReply reply = FakeLlmReply::chatStream(
        {QStringLiteral("你好，"), QStringLiteral("世界 🦞"), QStringLiteral(" ok")});
    QByteArray wire;
    for (const QByteArray &event : reply.events)
        wire += "data: " + event + "\r\n\r\n";
    reply.events.clear();
    reply.rawChunks = byteChunks(wire, 3);
    server.enqueue(reply);
    const CallOutcome outcome = run(settingsFor(server));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.deltas.join(QString()), text);
    QCOMPARE(outcome.result->content, text);
}

void TestProviders::chatToolCallAcrossChunks()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatToolCallStream("call_7", "read_file",
                                                    {"{\"pa", "th\": \"notes/", "a.txt\"}"}));
    const CallOutcome outcome = run(settingsFor(server));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->toolCalls.size(), 1);
    QCOMPARE(outcome.result->toolCalls.first().id, QStringLiteral("call_7"));
    QCOMPARE(outcome.result->toolCalls.first().name, QStringLiteral("read_file"));
    QCOMPARE(outcome.result->toolCalls.first().argumentsObject(),
             (QJsonObject{{"path", "notes/a.txt"}}));
    QVERIFY(outcome.deltas.isEmpty());
}

void TestProviders::chatPlainAnswerToStreamRequest()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatText(QStringLiteral("plain answer")));
    const CallOutcome outcome = run(settingsFor(server));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("plain answer"));
    QCOMPARE(outcome.deltas, QStringList{"plain answer"});
}

void TestProviders::chatNonStreaming()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatToolCall("call_1", "list_dir", QJsonObject{{"path", "."}}));
    ProviderSettings settings = settingsFor(server);
    settings.stream = false;
    const CallOutcome outcome = run(settings);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QVERIFY(!server.requests().first().body.contains("stream"));
    QCOMPARE(outcome.result->toolCalls.first().name, QStringLiteral("list_dir"));
}

void TestProviders::emptyKeySendsNoAuthorization()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
    ProviderSettings settings = settingsFor(server);
    settings.apiKey.clear();
    QVERIFY(run(settings).result);
    QVERIFY(server.requests().first().header("authorization").isEmpty());
}

void TestProviders::responsesStream()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::responsesStream({"Hi ", "there"}));
    const CallOutcome outcome = run(settingsFor(server, true));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(server.requests().first().path, QStringLiteral("/v1/responses"));
    QCOMPARE(server.requests()
                 .first()
                 .body.value("input")
                 .toArray()
                 .first()
                 .toObject()
                 .value("type")
                 .toString(),
             QStringLiteral("message"));
    QCOMPARE(outcome.deltas, (QStringList{"Hi ", "there"}));
    QCOMPARE(outcome.result->content, QStringLiteral("Hi there"));
}

void TestProviders::responsesToolCallAcrossChunks()
{
    FakeOpenAiServer server;
    server.enqueue(
        FakeLlmReply::responsesToolCallStream("call_3", "exec", {"{\"comm", "and\":\"ls\"}"}));
    const CallOutcome outcome = run(settingsFor(server, true));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->toolCalls.size(), 1);
    QCOMPARE(outcome.result->toolCalls.first().id, QStringLiteral("call_3"));
    QCOMPARE(outcome.result->toolCalls.first().argumentsObject(), (QJsonObject{{"command", "ls"}}));
}

void TestProviders::responsesPlain()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::responsesText(QStringLiteral("from responses")));
    const CallOutcome outcome = run(settingsFor(server, true));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("from responses"));
}

void TestProviders::errors_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("401")
        << 0 << "refused the request (HTTP 401: bad key). Check models.providers.fake.api_key.";
    QTest::newRow("429") << 1 << "is rate limiting requests (HTTP 429: slow down); retry after 7 s";
    QTest::newRow("500") << 2 << "failed with HTTP 500: boom";
    QTest::newRow("html") << 3 << "sent a non-JSON answer: <html>oops</html>";
    QTest::newRow("malformed stream") << 4 << "sent a malformed stream: {not json";
    QTest::newRow("cut stream") << 5 << "closed the stream before the answer was complete";
    QTest::newRow("closed early") << 6 << "closed the stream before the answer was complete";
    QTest::newRow("error event") << 7 << "reported an error in the stream: overloaded";
}

void TestProviders::errors()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    FakeOpenAiServer server;
    FakeLlmReply reply;
    switch (kind) {
    case 0:
        reply = FakeLlmReply::error(401, R"({"error":{"message":"bad key"}})");
        break;
    case 1:
        reply = FakeLlmReply::error(429, R"({"error":{"message":"slow down"}})",
                                    {{"Retry-After", "7"}});
        break;
    case 2:
        reply = FakeLlmReply::error(500, "boom");
        break;
    case 3:
        reply = FakeLlmReply::error(200, "<html>oops</html>");
        reply.contentType = "text/html";
        break;
    case 4:
        reply = FakeLlmReply::chatStream({"a"});
        reply.events.insert(1, "{not json");
        break;
    case 5:
        reply = FakeLlmReply::chatStream({"a", "b", "c"});
        reply.cutAfter = 2;
        break;
    case 6:
        reply = FakeLlmReply::chatStream({"a", "b"});
        reply.events = reply.events.mid(0, 2); // no finish_reason, no [DONE]
        break;
    case 7:
        reply = FakeLlmReply::chatStream({"a"});
        reply.events.insert(1, R"({"error":{"message":"overloaded"}})");
        break;
    }
    server.enqueue(reply);
    const CallOutcome outcome = run(settingsFor(server));
    QVERIFY(!outcome.result);
    QVERIFY2(outcome.error.startsWith(QStringLiteral("provider \"fake\" ") + expected),
             qPrintable(outcome.error));
    QVERIFY(!outcome.error.contains(QLatin1String("sk-test-key")));
}

void TestProviders::connectionRefused()
{
    quint16 closedPort;
    {
        FakeOpenAiServer probe;
        closedPort = probe.port();
    }
    ProviderSettings settings;
    settings.name = QStringLiteral("local");
    settings.apiBase = QStringLiteral("http://127.0.0.1:%1/v1").arg(closedPort);
    settings.model = QStringLiteral("m");
    const CallOutcome outcome = run(settings);
    QCOMPARE(outcome.error,
             QStringLiteral("cannot reach provider \"local\" at http://127.0.0.1:%1/v1: connection "
                            "refused; is the server running?")
                 .arg(closedPort));
}

void TestProviders::firstByteTimeout()
{
    FakeOpenAiServer server;
    FakeLlmReply reply;
    reply.hang = true;
    server.enqueue(reply);
    ProviderSettings settings = settingsFor(server);
    settings.firstByteTimeoutMs = 200;
    const CallOutcome outcome = run(settings);
    QCOMPARE(outcome.error, QStringLiteral("provider \"fake\" did not answer within 1 s"));
}

void TestProviders::idleTimeout()
{
    FakeOpenAiServer server;
    FakeLlmReply reply = FakeLlmReply::chatStream({"a", "b", "c"});
    reply.intervalMs = 2000;
    server.enqueue(reply);
    ProviderSettings settings = settingsFor(server);
    settings.idleTimeoutMs = 200;
    const CallOutcome outcome = run(settings);
    QVERIFY2(outcome.error.contains(QLatin1String("stopped sending")), qPrintable(outcome.error));
}

void TestProviders::cancelStopsTheUpstreamCall()
{
    FakeOpenAiServer server;
    FakeLlmReply reply = FakeLlmReply::chatStream({"a", "b", "c", "d"});
    reply.intervalMs = 100;
    server.enqueue(reply);
    CallOutcome outcome;
    auto *call = new LlmCall(settingsFor(server), {{"user", "hi", {}, {}, {}}}, {});
    QObject::connect(call, &LlmCall::delta, [&](const QString &text) { outcome.deltas << text; });
    QObject::connect(call, &LlmCall::finished,
                     [&](const LlmResult &result) { outcome.result = result; });
    QObject::connect(call, &LlmCall::failed, [&](const QString &error) { outcome.error = error; });
    call->start();
    QVERIFY(waitFor([&] { return !outcome.deltas.isEmpty(); }));
    call->cancel();
    delete call;
    QVERIFY(waitFor([&] { return server.abandonedAnswers() == 1; }));
    QTest::qWait(200);
    QVERIFY(!outcome.done());
}

void TestProviders::invalidProxy()
{
    FakeOpenAiServer server;
    ProviderSettings settings = settingsFor(server);
    settings.proxy = QStringLiteral("ftp://proxy.example:21");
    QCOMPARE(run(settings).error,
             QStringLiteral("invalid network proxy: unsupported scheme \"ftp\""));
}

void TestProviders::requestsGoThroughTheConfiguredProxy()
{
    FakeOpenAiServer server;
    FakeHttpProxy proxy;
    server.enqueue(FakeLlmReply::chatStream({"via ", "proxy"}));
    ProviderSettings settings = settingsFor(server);
    settings.proxy = QStringLiteral("127.0.0.1:%1").arg(proxy.port()); // scheme defaults to http
    const CallOutcome outcome = run(settings);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("via proxy"));
    QCOMPARE(proxy.requestLines(), (QList<QByteArray>{"POST " + server.apiBase().toUtf8() +
                                                      "/chat/completions HTTP/1.1"}));
}

void TestProviders::requestsGoThroughASocks5Proxy_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("credentials");
    QTest::addColumn<QString>("apiHost");
    QTest::addColumn<QString>("seenTarget"); // what the proxy is asked to connect to
    QTest::addColumn<bool>("seenByName");
    QTest::newRow("socks5, address") << "socks5"
                                     << ""
                                     << "127.0.0.1"
                                     << "127.0.0.1" << false;
    QTest::newRow("socks5 resolves here") << "socks5"
                                          << ""
                                          << "localhost"
                                          << "" << false;
    QTest::newRow("socks5h resolves at the proxy") << "socks5h"
                                                   << ""
                                                   << "localhost"
                                                   << "localhost" << true;
    QTest::newRow("socks5 with credentials") << "socks5"
                                             << "alice:s3cret@"
                                             << "127.0.0.1"
                                             << "127.0.0.1" << false;
}

void TestProviders::requestsGoThroughASocks5Proxy()
{
    QFETCH(QString, scheme);
    QFETCH(QString, credentials);
    QFETCH(QString, apiHost);
    QFETCH(QString, seenTarget);
    QFETCH(bool, seenByName);
    FakeOpenAiServer server;
    FakeSocks5Proxy proxy;
    server.enqueue(FakeLlmReply::chatStream({"via ", "socks"}));
    ProviderSettings settings = settingsFor(server);
    const QUrl base(settings.apiBase);
    settings.apiBase.replace(QStringLiteral("127.0.0.1"), apiHost);
    settings.proxy = scheme + QStringLiteral("://") + credentials +
                     QStringLiteral("127.0.0.1:%1").arg(proxy.port());
    const CallOutcome outcome = run(settings);
    QVERIFY2(outcome.result,
             qPrintable(outcome.error +
                        QStringLiteral(" (proxy saw %1 connect(s))").arg(proxy.connects().size())));
    QCOMPARE(outcome.result->content, QStringLiteral("via socks"));
    QCOMPARE(proxy.connects().size(), 1);
    const FakeSocks5Proxy::Connect seen = proxy.connects().first();
    QCOMPARE(seen.byName, seenByName);
    if (!seenTarget.isEmpty())
        QCOMPARE(seen.target, QStringLiteral("%1:%2").arg(seenTarget).arg(base.port()));
    else // resolved here: an address of localhost, never the name
        QVERIFY2(seen.target == QStringLiteral("127.0.0.1:%1").arg(base.port()) ||
                     seen.target == QStringLiteral("::1:%1").arg(base.port()),
                 qPrintable(seen.target));
    if (!credentials.isEmpty()) {
        QCOMPARE(seen.user, QStringLiteral("alice"));
        QCOMPARE(seen.password, QStringLiteral("s3cret"));
    }
}

QTEST_GUILESS_MAIN(TestProviders)
#include "tst_providers.moc"
