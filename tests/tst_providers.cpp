// The provider layer against the fake OpenAI-compatible server: SSE parsing, streaming and
// plain answers in both protocols, tool calls split across chunks, errors and timeouts.

#include "fakes/fakehttpproxy.h"
#include "fakes/fakeopenaiserver.h"
#include "fakes/fakesocks5proxy.h"
#include "providers/anthropicprotocol.h"
#include "providers/geminiprotocol.h"
#include "providers/llmcall.h"
#include "providers/providerconfig.h"
#include "providers/providerruntime.h"
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
    LlmFailure failure;
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
    QObject::connect(&call, &LlmCall::failed, [&](const QString &error) {
        outcome.error = error;
        outcome.failure = call.failure();
    });
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
    void failureReasons_data();
    void failureReasons();
    void routing_data();
    void routing();
    void fallbackChain();
    void thinkingSuffix_data();
    void thinkingSuffix();
    void responsesReasoningIsKept();
    void responsesErrorEventEndsTheCall();
    void anthropicStreamWithToolUse();
    void anthropicUtf8SplitAcrossReads();
    void anthropicPlainAnswerAndEndpoint_data();
    void anthropicPlainAnswerAndEndpoint();
    void anthropicHistoryShapes();
    void anthropicBadStreams_data();
    void anthropicBadStreams();
    void geminiStreamAndRequest();
    void geminiFunctionCallGetsALocalId();
    void geminiHistoryShapes();
    void geminiBadAnswers_data();
    void geminiBadAnswers();
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

namespace {

ProviderSettings anthropicSettings(const FakeAnthropicServer &server)
{
    ProviderSettings settings;
    settings.name = QStringLiteral("claude");
    settings.kind = QStringLiteral("claude");
    settings.wire = WireKind::Anthropic;
    settings.apiBase = server.apiBase();
    settings.apiKey = QStringLiteral("sk-ant-test-123456");
    settings.model = QStringLiteral("claude-test");
    settings.timeoutSec = 10;
    return settings;
}

ProviderSettings geminiSettings(const FakeGeminiServer &server)
{
    ProviderSettings settings;
    settings.name = QStringLiteral("gemini");
    settings.kind = QStringLiteral("gemini");
    settings.wire = WireKind::Gemini;
    settings.apiBase = server.apiBase();
    settings.apiKey = QStringLiteral("AIza-test-123456");
    settings.model = QStringLiteral("gemini-test");
    settings.timeoutSec = 10;
    return settings;
}

const QList<ToolSpec> kReadFileTool{
    {QStringLiteral("read_file"), QStringLiteral("Reads a file"),
     QJsonObject{{"type", "object"},
                 {"properties", QJsonObject{{"path", QJsonObject{{"type", "string"}}}}}}}};

// A conversation with a tool round trip, as the agent re-sends it.
QList<ChatMessage> toolHistory(const QString &callId)
{
    return {
        {"system", "be brief", {}, {}, {}},
        {"user", "read a.txt", {}, {}, {}},
        {"assistant", "Reading.", {}, {ToolCall{callId, "read_file", R"({"path":"a.txt"})"}}, {}},
        {"tool", "file text", {}, {}, callId},
        {"tool", "orphan result", {}, {}, "call_unknown"},
        {"user", "thanks", {}, {}, {}}};
}

} // namespace

void TestProviders::failureReasons_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<qint64>("cooldown");
    QTest::newRow("429 plain") << 429 << QByteArray(R"({"error":{"message":"slow"}})")
                               << QByteArray() << "rate_limit" << qint64(900);
    QTest::newRow("429 Retry-After")
        << 429 << QByteArray("{}") << QByteArray("42") << "rate_limit" << qint64(42);
    QTest::newRow("429 quota")
        << 429
        << QByteArray(R"({"error":{"code":"insufficient_quota","message":"quota exceeded"}})")
        << QByteArray() << "quota" << qint64(3600);
    QTest::newRow("403 plain") << 403 << QByteArray("no") << QByteArray() << "forbidden"
                               << qint64(1800);
    QTest::newRow("403 rate limit")
        << 403 << QByteArray("rate limit exceeded") << QByteArray() << "rate_limit" << qint64(900);
    QTest::newRow("402 billing") << 402 << QByteArray("billing hard limit") << QByteArray()
                                 << "quota" << qint64(3600);
    QTest::newRow("401") << 401 << QByteArray("bad key") << QByteArray() << "unauthorized"
                         << qint64(1800);
    QTest::newRow("500") << 500 << QByteArray("boom") << QByteArray() << "server_error"
                         << qint64(60);
    QTest::newRow("529 overloaded")
        << 529
        << QByteArray(
               R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")
        << QByteArray() << "server_error" << qint64(60);
    QTest::newRow("503 Retry-After")
        << 503 << QByteArray("later") << QByteArray("5") << "server_error" << qint64(5);
    QTest::newRow("400") << 400 << QByteArray(R"({"error":{"message":"bad model"}})")
                         << QByteArray() << "bad_request" << qint64(0);
}

void TestProviders::failureReasons()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(QString, reason);
    QFETCH(qint64, cooldown);
    FakeOpenAiServer server;
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!retryAfter.isEmpty())
        headers << qMakePair(QByteArray("Retry-After"), retryAfter);
    server.enqueue(FakeLlmReply::error(status, body, headers));
    const CallOutcome outcome = run(settingsFor(server));
    QVERIFY(!outcome.error.isEmpty());
    QCOMPARE(LlmFailure::reasonName(outcome.failure.reason), reason);
    QCOMPARE(outcome.failure.httpStatus, status);
    QVERIFY(!outcome.failure.outputStarted);
    QCOMPARE(ProviderRuntime::cooldownSeconds(outcome.failure), cooldown);
}

void TestProviders::routing_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("entry");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("wire");
    QTest::addColumn<QString>("defaultBase");
    const int responses = int(WireKind::Responses), chat = int(WireKind::ChatCompletions),
              anthropic = int(WireKind::Anthropic), gemini = int(WireKind::Gemini);
    QTest::newRow("openai") << "openai" << QJsonObject() << "" << responses << "";
    QTest::newRow("deepseek generic") << "deepseek" << QJsonObject() << "" << responses << "";
    QTest::newRow("openrouter generic") << "openrouter" << QJsonObject() << "" << responses << "";
    QTest::newRow("ollama generic") << "ollama" << QJsonObject() << "" << responses << "";
    QTest::newRow("chat_completions")
        << "ollama" << QJsonObject{{"responses", QJsonObject{{"api", "chat_completions"}}}} << ""
        << chat << "";
    QTest::newRow("claude") << "claude" << QJsonObject() << "claude" << anthropic
                            << "https://api.anthropic.com";
    QTest::newRow("anthropic alias")
        << "Anthropic" << QJsonObject() << "claude" << anthropic << "https://api.anthropic.com";
    QTest::newRow("claude_api_key alias") << "claude_api_key" << QJsonObject() << "claude"
                                          << anthropic << "https://api.anthropic.com";
    QTest::newRow("google alias") << "google" << QJsonObject() << "gemini" << gemini
                                  << "https://generativelanguage.googleapis.com";
    QTest::newRow("oauth.provider decides")
        << "work" << QJsonObject{{"oauth", QJsonObject{{"provider", "anthropic"}}}} << "claude"
        << anthropic << "https://api.anthropic.com";
    QTest::newRow("type decides") << "mine" << QJsonObject{{"type", "gemini"}} << "gemini" << gemini
                                  << "https://generativelanguage.googleapis.com";
    QTest::newRow("qwen") << "qwen" << QJsonObject() << "qwen" << chat
                          << "https://portal.qwen.ai/v1";
    QTest::newRow("kimi") << "kimi" << QJsonObject() << "kimi" << chat
                          << "https://api.kimi.com/coding/v1";
    QTest::newRow("i-flow") << "i-flow" << QJsonObject() << "iflow" << chat
                            << "https://apis.iflow.cn/v1";
    QTest::newRow("ai studio") << "google-ai-studio" << QJsonObject() << "aistudio"
                               << int(WireKind::Relay)
                               << "https://generativelanguage.googleapis.com";
    QTest::newRow("vertex") << "vertex_compat" << QJsonObject() << "vertex"
                            << int(WireKind::Unsupported) << "";
    QTest::newRow("codex api key")
        << "codex-api-key" << QJsonObject() << "codex" << int(WireKind::Codex)
        << "https://chatgpt.com/backend-api/codex";
    QTest::newRow("openai-compat")
        << "openai_compat" << QJsonObject() << "openai-compatibility" << responses << "";
}

void TestProviders::routing()
{
    QFETCH(QString, name);
    QFETCH(QJsonObject, entry);
    QFETCH(QString, kind);
    QFETCH(int, wire);
    QFETCH(QString, defaultBase);
    QCOMPARE(ProviderRoute::kindOf(name, entry), kind);
    QCOMPARE(int(ProviderRoute::wireFor(kind, entry)), wire);
    QCOMPARE(ProviderRoute::defaultApiBase(kind), defaultBase);
    // Through the config: a dedicated kind without api_base gets its default endpoint.
    entry.insert("models", QJsonArray{"m1"});
    const QJsonObject config{
        {"models", QJsonObject{{"providers", QJsonObject{{name, entry}}}}},
        {"agents", QJsonObject{{"defaults",
                                QJsonObject{{"model", QJsonObject{{"primary", name + "/m1"}}}}}}}};
    ProviderSettings settings;
    QString error;
    const bool ok =
        ProviderConfig::settingsFor(config, ProviderConfig::primary(config), &settings, &error);
    if (defaultBase.isEmpty() && wire != int(WireKind::Relay)) {
        QVERIFY(!ok);
        QVERIFY2(error.contains("has no api_base"), qPrintable(error));
    } else if (wire != int(WireKind::Relay)) {
        QVERIFY2(ok || error.contains("api_key"), qPrintable(error));
        QCOMPARE(settings.apiBase, defaultBase);
        QCOMPARE(int(settings.wire), wire);
    }
}

void TestProviders::fallbackChain()
{
    const auto provider = [](const QStringList &models, const QJsonObject &extra = {}) {
        QJsonObject entry = extra;
        entry.insert("api_base", "http://127.0.0.1:9/v1");
        entry.insert("models", QJsonArray::fromStringList(models));
        return entry;
    };
    QJsonObject config{
        {"models",
         QJsonObject{{"providers", QJsonObject{{"zeta", provider({"z1"})},
                                               {"anthropic", provider({"c1", "c2"})},
                                               {"local", provider({"l1"})},
                                               {"gem", provider({"g1"}, {{"type", "gemini"}})},
                                               {"empty", provider({})}}}}},
        {"agents",
         QJsonObject{{"defaults", QJsonObject{{"model", QJsonObject{{"primary", "local/l9"}}}}}}}};
    const auto texts = [](const QList<ProviderConfig::ModelRef> &refs) {
        QStringList out;
        for (const auto &ref : refs)
            out << ref.text();
        return out;
    };
    // Primary first, then by the reference's priority (claude 10, gemini 30, others by name);
    // a provider without models is left out.
    QCOMPARE(texts(ProviderConfig::chain(config)),
             (QStringList{"local/l9", "anthropic/c1", "gem/g1", "zeta/z1"}));
    // A session's pick goes first; "claude/c2" finds the provider keyed "anthropic".
    QCOMPARE(texts(ProviderConfig::chain(config, {"claude", "c2"})),
             (QStringList{"anthropic/c2", "local/l9", "gem/g1", "zeta/z1"}));
    // An explicit fallbacks list replaces the automatic chain.
    QJsonObject agents = config.value("agents").toObject();
    QJsonObject defaults = agents.value("defaults").toObject();
    defaults.insert("model", QJsonObject{{"primary", "local/l9"},
                                         {"fallbacks", QJsonArray{"zeta/z2", "local/l9", "gem"}}});
    agents.insert("defaults", defaults);
    config.insert("agents", agents);
    QCOMPARE(texts(ProviderConfig::chain(config)), (QStringList{"local/l9", "zeta/z2", "gem/g1"}));
}

void TestProviders::thinkingSuffix_data()
{
    QTest::addColumn<int>("wire");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("field"); // dotted path in the body
    QTest::addColumn<QJsonValue>("expected");
    const int chat = int(WireKind::ChatCompletions), responses = int(WireKind::Responses),
              anthropic = int(WireKind::Anthropic), gemini = int(WireKind::Gemini);
    QTest::newRow("chat high") << chat << "m(high)"
                               << "reasoning_effort" << QJsonValue("high");
    QTest::newRow("chat minimal") << chat << "m(minimal)"
                                  << "reasoning_effort" << QJsonValue("low");
    QTest::newRow("chat xhigh") << chat << "m(xhigh)"
                                << "reasoning_effort" << QJsonValue("high");
    QTest::newRow("chat none") << chat << "m(none)"
                               << "thinking.type" << QJsonValue("disabled");
    QTest::newRow("chat budget") << chat << "m(2048)"
                                 << "thinking.budget_tokens" << QJsonValue(2048);
    QTest::newRow("chat no suffix") << chat << "m"
                                    << "reasoning_effort" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("responses medium") << responses << "m(medium)"
                                      << "reasoning.effort" << QJsonValue("medium");
    QTest::newRow("responses max") << responses << "m(max)"
                                   << "reasoning.effort" << QJsonValue("high");
    QTest::newRow("anthropic high") << anthropic << "m(high)"
                                    << "thinking.budget_tokens" << QJsonValue(24576);
    QTest::newRow("anthropic budget") << anthropic << "m(3000)"
                                      << "thinking.budget_tokens" << QJsonValue(3000);
    QTest::newRow("anthropic none") << anthropic << "m(none)"
                                    << "thinking" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("anthropic no temperature") << anthropic << "m(low)"
                                              << "temperature" << QJsonValue(QJsonValue::Undefined);
    QTest::newRow("gemini low") << gemini << "gemini-2.5(low)"
                                << "generationConfig.thinkingConfig.thinkingBudget"
                                << QJsonValue(1024);
    QTest::newRow("gemini auto") << gemini << "gemini-2.5(auto)"
                                 << "generationConfig.thinkingConfig.thinkingBudget"
                                 << QJsonValue(-1);
    QTest::newRow("gemini 3 level")
        << gemini << "gemini-3-pro(minimal)"
        << "generationConfig.thinkingConfig.thinkingLevel" << QJsonValue("low");
    QTest::newRow("gemini none") << gemini << "gemini-2.5(none)"
                                 << "generationConfig.thinkingConfig.includeThoughts"
                                 << QJsonValue(false);
}

void TestProviders::thinkingSuffix()
{
    QFETCH(int, wire);
    QFETCH(QString, model);
    QFETCH(QString, field);
    QFETCH(QJsonValue, expected);
    const ProviderRoute::ModelSpec spec = ProviderRoute::parseModel(model);
    QVERIFY(!spec.model.contains('('));
    ProviderSettings settings;
    settings.wire = WireKind(wire);
    settings.model = spec.model;
    settings.thinking = spec.level;
    settings.maxTokens = 1000;
    const auto protocol = WireProtocol::create(settings.wire);
    const QJsonObject body = protocol->body(settings, {{"user", "hi", {}, {}, {}}}, {}, true);
    QJsonValue value = body;
    for (const QString &part : field.split('.'))
        value = value.toObject().value(part);
    if (expected.isUndefined())
        QVERIFY2(value.isUndefined(), qPrintable(field));
    else
        QCOMPARE(value, expected);
    // The suffix never reaches the model name.
    if (settings.wire != WireKind::Gemini)
        QCOMPARE(body.value("model").toString(), spec.model);
    if (settings.wire == WireKind::Anthropic && !spec.level.isEmpty() && spec.level != "none")
        QVERIFY(body.value("max_tokens").toInt() > body["thinking"]["budget_tokens"].toInt());
}

void TestProviders::responsesReasoningIsKept()
{
    FakeOpenAiServer server;
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events
        << R"({"type":"response.reasoning_summary_text.delta","delta":"Think"})"
        << R"({"type":"response.reasoning_summary_text.delta","delta":"ing."})"
        << R"({"type":"response.output_text.delta","delta":"Answer"})"
        << R"({"type":"response.completed","response":{"status":"completed","output":[{"type":"reasoning","summary":[{"type":"summary_text","text":"Thinking."}]},{"type":"message","content":[{"type":"output_text","text":"Answer"}]}]}})";
    server.enqueue(reply);
    CallOutcome outcome = run(settingsFor(server, true));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("Answer"));
    QCOMPARE(outcome.result->reasoning, QStringLiteral("Thinking."));
    // Plain answer: the reasoning item.
    server.enqueue(FakeLlmReply::error(
        200,
        R"({"status":"completed","output":[{"type":"reasoning","summary":[{"type":"summary_text","text":"Why."}]},{"type":"message","content":[{"type":"output_text","text":"A"}]}]})"));
    outcome = run(settingsFor(server, true));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->reasoning, QStringLiteral("Why."));
}

void TestProviders::responsesErrorEventEndsTheCall()
{
    FakeOpenAiServer server;
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events
        << R"({"type":"response.output_text.delta","delta":""})"
        << R"({"type":"error","code":"rate_limit_exceeded","message":"Rate limit reached for gpt"})";
    server.enqueue(reply);
    const CallOutcome outcome = run(settingsFor(server, true));
    QVERIFY(!outcome.result);
    QVERIFY2(outcome.error.contains("Rate limit reached for gpt"), qPrintable(outcome.error));
    QCOMPARE(LlmFailure::reasonName(outcome.failure.reason), QStringLiteral("rate_limit"));
    // "incomplete" ends an answer with what it has, and says why.
    FakeLlmReply incomplete;
    incomplete.contentType = "text/event-stream";
    incomplete.events
        << R"({"type":"response.output_text.delta","delta":"cut"})"
        << R"({"type":"response.incomplete","response":{"status":"incomplete","output":[{"type":"message","content":[{"type":"output_text","text":"cut"}]}]}})";
    server.enqueue(incomplete);
    const CallOutcome second = run(settingsFor(server, true));
    QVERIFY2(second.result, qPrintable(second.error));
    QCOMPARE(second.result->content, QStringLiteral("cut"));
    QCOMPARE(second.result->finishReason, QStringLiteral("incomplete"));
}

void TestProviders::anthropicStreamWithToolUse()
{
    FakeAnthropicServer server;
    server.enqueue(FakeLlmReply::anthropicToolCallStream(
        "toolu_1", "read_file", {"{\"pa", "th\": \"no", "tes/a.txt\"}"}, "Let me look."));
    const CallOutcome outcome =
        run(anthropicSettings(server), toolHistory("toolu_0"), kReadFileTool);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.deltas, QStringList{"Let me look."});
    QCOMPARE(outcome.result->content, QStringLiteral("Let me look."));
    QCOMPARE(outcome.result->toolCalls.size(), 1);
    QCOMPARE(outcome.result->toolCalls.first().id, QStringLiteral("toolu_1"));
    QCOMPARE(outcome.result->toolCalls.first().argumentsObject(),
             (QJsonObject{{"path", "notes/a.txt"}}));
    QCOMPARE(outcome.result->finishReason, QStringLiteral("tool_calls"));
    QCOMPARE(outcome.result->usage.prompt, 12);
    QCOMPARE(outcome.result->usage.completion, 9);
    // The request: endpoint, headers, and the body in Anthropic's shapes.
    QCOMPARE(server.requests().size(), 1);
    const RecordedRequest &request = server.requests().first();
    QCOMPARE(request.path, QStringLiteral("/v1/messages"));
    QCOMPARE(request.header("x-api-key"), QByteArray("sk-ant-test-123456"));
    QCOMPARE(request.header("anthropic-version"), QByteArray("2023-06-01"));
    QVERIFY(request.header("authorization").isEmpty());
    QCOMPARE(request.body.value("stream").toBool(), true);
    QCOMPARE(request.body["system"][0]["text"].toString(), QStringLiteral("be brief"));
    QCOMPARE(request.body["tools"][0]["name"].toString(), QStringLiteral("read_file"));
    QVERIFY(request.body["tools"][0]["input_schema"].isObject());
    QCOMPARE(request.body["tool_choice"]["type"].toString(), QStringLiteral("auto"));
}

void TestProviders::anthropicUtf8SplitAcrossReads()
{
    FakeAnthropicServer server;
    const FakeLlmReply events =
        FakeLlmReply::anthropicStream({QStringLiteral("Grüße, "), QStringLiteral("世界 🌍!")});
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.rawChunks = byteChunks(events.sseBytes(), 5); // cuts through characters and lines
    server.enqueue(reply);
    const CallOutcome outcome = run(anthropicSettings(server));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("Grüße, 世界 🌍!"));
    QCOMPARE(outcome.deltas.join(QString()), QStringLiteral("Grüße, 世界 🌍!"));
}

void TestProviders::anthropicPlainAnswerAndEndpoint_data()
{
    QTest::addColumn<QString>("suffix");
    QTest::newRow("root") << "";
    QTest::newRow("with /v1") << "/v1";
    QTest::newRow("full endpoint") << "/v1/messages/";
}

void TestProviders::anthropicPlainAnswerAndEndpoint()
{
    QFETCH(QString, suffix);
    FakeAnthropicServer server;
    server.enqueue(FakeLlmReply::anthropicText("plain"));
    ProviderSettings settings = anthropicSettings(server);
    settings.apiBase += suffix;
    settings.stream = false;
    const CallOutcome outcome = run(settings);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->content, QStringLiteral("plain"));
    QCOMPARE(outcome.result->finishReason, QStringLiteral("stop"));
    QCOMPARE(server.requests().first().path, QStringLiteral("/v1/messages"));
}

void TestProviders::anthropicHistoryShapes()
{
    ProviderSettings settings;
    settings.model = "m";
    settings.maxTokens = 0; // Anthropic requires max_tokens: 4096 when none is configured
    const QJsonObject body =
        AnthropicProtocol::requestBody(settings, toolHistory("toolu_9"), {}, false);
    const QJsonArray messages = body.value("messages").toArray();
    // user, assistant (text + tool_use), user (tool_result + the next user text, folded).
    QCOMPARE(messages.size(), 3);
    QCOMPARE(messages[1]["role"].toString(), QStringLiteral("assistant"));
    QCOMPARE(messages[1]["content"][1]["type"].toString(), QStringLiteral("tool_use"));
    QCOMPARE(messages[1]["content"][1]["input"]["path"].toString(), QStringLiteral("a.txt"));
    QCOMPARE(messages[2]["role"].toString(), QStringLiteral("user"));
    const QJsonArray last = messages[2]["content"].toArray();
    QCOMPARE(last.size(), 2); // the orphan result is dropped
    QCOMPARE(last[0]["type"].toString(), QStringLiteral("tool_result"));
    QCOMPARE(last[0]["tool_use_id"].toString(), QStringLiteral("toolu_9"));
    QCOMPARE(last[1]["text"].toString(), QStringLiteral("thanks"));
    QCOMPARE(body.value("max_tokens").toInt(), 4096);
    QVERIFY(!body.contains("stream"));
    // Thinking on: the turn's first request thinks; a tool loop's follow-up does not (its
    // tool_use turn has no signed thinking block to send back).
    settings.thinking = QStringLiteral("high");
    QVERIFY(AnthropicProtocol::requestBody(settings, toolHistory("t").mid(0, 2), {}, false)
                .contains("thinking"));
    QVERIFY(!AnthropicProtocol::requestBody(settings, toolHistory("t").mid(0, 4), {}, false)
                 .contains("thinking"));
}

void TestProviders::anthropicBadStreams_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("reason");
    QTest::newRow("tool json never completes") << 0 << "never became complete JSON"
                                               << "bad_answer";
    QTest::newRow("cut before message_stop")
        << 1 << "closed the stream before the answer was complete"
        << "network";
    QTest::newRow("overloaded error event") << 2 << "reported an error in the stream: Overloaded"
                                            << "server_error";
    QTest::newRow("malformed event") << 3 << "sent a malformed stream"
                                     << "bad_answer";
    QTest::newRow("unknown events are ignored") << 4 << ""
                                                << "";
    QTest::newRow("delta for a block never started") << 5 << "never started"
                                                     << "bad_answer";
    QTest::newRow("stalls after headers") << 6 << "did not answer within"
                                          << "timeout";
    QTest::newRow("huge error body") << 7 << "failed with HTTP 500"
                                     << "server_error";
}

void TestProviders::anthropicBadStreams()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    QFETCH(QString, reason);
    FakeAnthropicServer server;
    FakeLlmReply reply;
    ProviderSettings settings = anthropicSettings(server);
    switch (kind) {
    case 0:
        reply = FakeLlmReply::anthropicToolCallStream("toolu_1", "read_file", {"{\"path\": \"a"});
        break;
    case 1:
        reply = FakeLlmReply::anthropicStream({"a", "b"});
        reply.cutAfter = reply.events.size() - 2;
        break;
    case 2:
        reply = FakeLlmReply::anthropicStream({"a"});
        reply.eventNames.insert(2, "error");
        reply.events.insert(
            2, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
        break;
    case 3:
        reply = FakeLlmReply::anthropicStream({"a"});
        reply.eventNames.insert(1, "content_block_start");
        reply.events.insert(1, "{\"type\": \"content_blo");
        break;
    case 4:
        reply = FakeLlmReply::anthropicStream({"ok"});
        reply.eventNames.insert(1, "brand_new_event");
        reply.events.insert(1, R"({"type":"brand_new_event","x":1})");
        break;
    case 5:
        reply = FakeLlmReply::anthropicStream({"a"});
        reply.events.insert(
            1,
            R"({"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"x"}})");
        break;
    case 6:
        reply = FakeLlmReply::anthropicStream({"a"});
        reply.firstByteDelayMs = 3000;
        settings.firstByteTimeoutMs = 200;
        break;
    case 7:
        reply = FakeLlmReply::error(500, QByteArray(3 * 1024 * 1024, 'x'));
        break;
    }
    server.enqueue(reply);
    const CallOutcome outcome = run(settings);
    if (expected.isEmpty()) {
        QVERIFY2(outcome.result, qPrintable(outcome.error));
        QCOMPARE(outcome.result->content, QStringLiteral("ok"));
        return;
    }
    QVERIFY(!outcome.result);
    QVERIFY2(outcome.error.contains(expected), qPrintable(outcome.error));
    QVERIFY2(outcome.error.contains("provider \"claude\""), qPrintable(outcome.error));
    QVERIFY(outcome.error.size() < 2000);
    QCOMPARE(LlmFailure::reasonName(outcome.failure.reason), reason);
}

void TestProviders::geminiStreamAndRequest()
{
    FakeGeminiServer server;
    server.enqueue(FakeLlmReply::geminiStream({"Hel", "lo ", "wörld"}));
    const CallOutcome outcome =
        run(geminiSettings(server), toolHistory("gemini_call_1"), kReadFileTool);
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.deltas, (QStringList{"Hel", "lo ", "wörld"})); // spaces kept
    QCOMPARE(outcome.result->content, QStringLiteral("Hello wörld"));
    QCOMPARE(outcome.result->usage.total, 10);
    const RecordedRequest &request = server.requests().first();
    QCOMPARE(request.path, QStringLiteral("/v1beta/models/gemini-test:streamGenerateContent"));
    QCOMPARE(request.query, QStringLiteral("alt=sse"));
    QCOMPARE(request.header("x-goog-api-key"), QByteArray("AIza-test-123456"));
    QVERIFY(request.header("authorization").isEmpty());
    QCOMPARE(request.body["systemInstruction"]["parts"][0]["text"].toString(),
             QStringLiteral("be brief"));
    QCOMPARE(request.body["tools"][0]["functionDeclarations"][0]["name"].toString(),
             QStringLiteral("read_file"));
    QCOMPARE(request.body["toolConfig"]["functionCallingConfig"]["mode"].toString(),
             QStringLiteral("AUTO"));
}

void TestProviders::geminiFunctionCallGetsALocalId()
{
    FakeGeminiServer server;
    server.enqueue(FakeLlmReply::geminiFunctionCall("read_file", {{"path", "b.txt"}}));
    const CallOutcome outcome = run(geminiSettings(server));
    QVERIFY2(outcome.result, qPrintable(outcome.error));
    QCOMPARE(outcome.result->toolCalls.size(), 1);
    const ToolCall call = outcome.result->toolCalls.first();
    QVERIFY(call.id.startsWith(GeminiProtocol::kLocalIdPrefix));
    QCOMPARE(call.argumentsObject(), (QJsonObject{{"path", "b.txt"}}));
    // Another answer's call gets another id (the session keeps them side by side).
    server.enqueue(FakeLlmReply::geminiFunctionCall("read_file", {{"path", "b.txt"}}));
    const CallOutcome again = run(geminiSettings(server));
    QVERIFY2(again.result, qPrintable(again.error));
    QVERIFY(again.result->toolCalls.first().id != call.id);
    QCOMPARE(outcome.result->finishReason, QStringLiteral("tool_calls"));
}

void TestProviders::geminiHistoryShapes()
{
    ProviderSettings settings;
    settings.model = "g";
    // A local id is not sent back; Gemini's own ids are.
    for (const QString &id : {QStringLiteral("gemini_call_1"), QStringLiteral("fc-42")}) {
        const QJsonObject body = GeminiProtocol::requestBody(settings, toolHistory(id), {});
        const QJsonArray contents = body.value("contents").toArray();
        QCOMPARE(contents.size(), 3);
        QCOMPARE(contents[1]["role"].toString(), QStringLiteral("model"));
        const QJsonObject call = contents[1]["parts"][1]["functionCall"].toObject();
        QCOMPARE(call.value("name").toString(), QStringLiteral("read_file"));
        QCOMPARE(call.value("args").toObject().value("path").toString(), QStringLiteral("a.txt"));
        const QJsonObject response = contents[2]["parts"][0]["functionResponse"].toObject();
        QCOMPARE(response.value("name").toString(), QStringLiteral("read_file"));
        QCOMPARE(response["response"]["result"].toString(), QStringLiteral("file text"));
        QCOMPARE(call.contains("id"), id == "fc-42");
        QCOMPARE(response.contains("id"), id == "fc-42");
        QCOMPARE(contents[2]["parts"].toArray().size(),
                 2); // the orphan dropped, "thanks" folded in
    }
    // A call's thought signature goes back with it (Gemini 3 checks it within the turn).
    QList<ChatMessage> signedCalls = toolHistory(QStringLiteral("fc-7"));
    signedCalls[2].toolCalls[0].signature = QStringLiteral("c2lnbmF0dXJl");
    const QJsonObject body = GeminiProtocol::requestBody(settings, signedCalls, {});
    QCOMPARE(body["contents"][1]["parts"][1]["thoughtSignature"].toString(),
             QStringLiteral("c2lnbmF0dXJl"));
}

void TestProviders::geminiBadAnswers_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cut before finishReason")
        << 0 << "closed the stream before the answer was complete";
    QTest::newRow("blocked prompt") << 1 << "the prompt was blocked (SAFETY)";
    QTest::newRow("200 with an error body") << 2 << "answered with an error: key invalid";
    QTest::newRow("error array body") << 3 << "refused the request (HTTP 403: denied";
}

void TestProviders::geminiBadAnswers()
{
    QFETCH(int, kind);
    QFETCH(QString, expected);
    FakeGeminiServer server;
    FakeLlmReply reply;
    ProviderSettings settings = geminiSettings(server);
    switch (kind) {
    case 0:
        reply = FakeLlmReply::geminiStream({"a", "b"});
        reply.events.removeLast();
        break;
    case 1:
        reply.contentType = "text/event-stream";
        reply.events << R"({"promptFeedback":{"blockReason":"SAFETY"}})";
        break;
    case 2:
        reply = FakeLlmReply::error(200, R"({"error":{"code":400,"message":"key invalid"}})");
        settings.stream = false;
        break;
    case 3:
        reply = FakeLlmReply::error(403, R"([{"error":{"code":403,"message":"denied"}}])");
        break;
    }
    server.enqueue(reply);
    const CallOutcome outcome = run(settings);
    QVERIFY(!outcome.result);
    QVERIFY2(outcome.error.contains(expected), qPrintable(outcome.error));
}

QTEST_GUILESS_MAIN(TestProviders)
#include "tst_providers.moc"
