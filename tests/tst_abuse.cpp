// The gateway attacked from loopback, as an adversary would (bounded, loopback only): the cases
// of the hardening review, each of which the gateway once failed. Authentication that cannot be
// switched off on an open port, no lockout of the real user, bounded memory under pipelining
// and ping floods, collapsed log floods, every connection counted, upgrades on reused
// connections, 413s that reach the client, strict parsing, literal session keys, multipart
// parameters, secrets kept out of answers and away from new addresses, private files.

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "core/eventbus.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "fakes/fakeopenaiserver.h"
#include "http/httpserver.h"
#include "http/requestguard.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QByteArray upgradeRequest(quint16 port, const QByteArray &target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}

// A raw client that keeps what it received.
class RawClient
{
public:
    explicit RawClient(const QHostAddress &from = QHostAddress())
    {
        if (!from.isNull())
            m_socket.bind(from);
        QObject::connect(&m_socket, &QTcpSocket::readyRead,
                         [this] { received += m_socket.readAll(); });
        QObject::connect(&m_socket, &QTcpSocket::disconnected, [this] { closed = true; });
    }
    ~RawClient() { QObject::disconnect(&m_socket, nullptr, nullptr, nullptr); }
    bool connect(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return waitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; });
    }
    void write(const QByteArray &bytes) { m_socket.write(bytes); }
    QTcpSocket &socket() { return m_socket; }
    QByteArray received;
    bool closed = false;

private:
    QTcpSocket m_socket;
};

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    status.open(QIODevice::ReadOnly);
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return 0;
}

} // namespace

class TestAbuse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void emptyTokenNeverOpensANonLoopbackListener();
    void guardRefusesTokenlessApiBeyondLoopback();
    void wrongGuessesNeverLockOutTheRealUser();
    void pipeliningWithoutReadingStopsReading();
    void pingFloodWithoutReadingIsClosed();
    void logFloodsAreClippedAndCollapsed();
    void silentConnectionsTimeOutFromAccept();
    void webSocketsHaveTheirOwnCap();
    void upgradeOnAReusedConnection();
    void oversizedBodyAnswerReachesAClientThatKeepsSending();
    void strictParsing_data();
    void strictParsing();
    void unmaskedClientFramesCloseTheSocket();
    void plusInAQueryIsASpace();
    void sessionKeysAreLiteral();
    void multipartParameters_data();
    void multipartParameters();
    void errorAnswersCarryNoSecrets();
    void maskedKeyIsNotSentToANewAddress();
    void existingHomeIsMadePrivate();

private:
    QByteArray get(const QByteArray &target, const QList<QPair<QByteArray, QByteArray>> &extra = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + kToken}};
        headers += extra;
        return http(m_gateway->port(), "GET", target, {}, headers).body;
    }
    std::unique_ptr<TestGateway> m_gateway;
};

void TestAbuse::initTestCase()
{
    m_gateway = std::make_unique<TestGateway>();
    QVERIFY2(m_gateway->start(baseConfig(m_gateway->dir(), QString::fromLatin1(kToken))),
             qPrintable(m_gateway->error()));
    m_gateway->gateway()->guard()->rateLimiter().setLimits(1000, 60000);
}

// Started with --host 0.0.0.0 on a file that says 127.0.0.1: no change (API, outside edit) can
// empty the token.
void TestAbuse::emptyTokenNeverOpensANonLoopbackListener()
{
    TestGateway open;
    GatewayOptions options;
    options.host = QStringLiteral("0.0.0.0");
    QVERIFY2(open.start(baseConfig(open.dir(), QString::fromLatin1(kToken)), options),
             qPrintable(open.error()));
    QJsonObject config = http(open.port(), "GET", "/api/config", {}, {{"Authorization", "Bearer " + kToken}}).json();
    JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QString());
    const HttpResult refused = http(open.port(), "POST", "/api/config",
                                    QJsonDocument(config).toJson(),
                                    {{"Authorization", "Bearer " + kToken}});
    QCOMPARE(refused.status, 400);
    QVERIFY2(refused.body.contains("empty gateway.token"), refused.body.constData());
    // A hand edit (the watcher) is refused the same way.
    QSignalSpy rejected(open.gateway()->configStore(), &ConfigStore::rejected);
    QJsonObject file = QJsonDocument::fromJson(open.readConfigFile()).object();
    JsonUtil::setValueAt(file, QStringLiteral("gateway.token"), QString());
    open.writeConfigFile(JsonUtil::pretty(file));
    QVERIFY(rejected.wait(3000));
    QCOMPARE(http(open.port(), "GET", "/api/version").status, 401);
}

void TestAbuse::guardRefusesTokenlessApiBeyondLoopback()
{
    RequestGuard guard;
    RequestGuard::Policy policy; // empty token
    guard.setPolicy(policy);
    const GuardInput input{"GET", QUrl(QStringLiteral("http://x/api/config")),
                           {{"host", "192.168.1.5:18790"}}, QHostAddress("192.168.1.9"), false, {}};
    QVERIFY(guard.check(input, true).passed()); // loopback listener: the config's choice
    guard.setLoopbackListener(false);
    const GuardDecision decision = guard.check(input, true);
    QCOMPARE(decision.status, 403);
    QVERIFY(decision.body.contains("loopback"));
}

// Wrong guesses from any loopback address (127.0.0.3 is the same machine as 127.0.0.1) spend
// one budget, and the right token passes whatever they did.
void TestAbuse::wrongGuessesNeverLockOutTheRealUser()
{
    AuthRateLimiter &limiter = m_gateway->gateway()->guard()->rateLimiter();
    limiter.setLimits(5, 60000);
    const auto status = [this](const QHostAddress &from, const QByteArray &token) {
        RawClient client(from);
        if (!client.connect(m_gateway->port()))
            return -1;
        client.write("GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                     token + "\r\nConnection: close\r\n\r\n");
        waitFor([&] { return client.received.contains("\r\n\r\n"); });
        return client.received.mid(9, 3).toInt();
    };
    for (int i = 0; i < 5; ++i)
        QCOMPARE(status(QHostAddress(QStringLiteral("127.0.0.%1").arg(2 + i)), "guess"), 401);
    QCOMPARE(status(QHostAddress(QStringLiteral("127.0.0.9")), "guess"), 429);
    QCOMPARE(status(QHostAddress(QStringLiteral("127.0.0.9")), kToken), 200);
    QCOMPARE(status(QHostAddress::LocalHost, kToken), 200);
    QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
    limiter.setLimits(1000, 60000);
}

// A client that pipelines requests and never reads its answers: the gateway stops reading from
// it once the answers pile up, so neither side's memory grows with what it sends.
void TestAbuse::pipeliningWithoutReadingStopsReading()
{
    QTcpSocket client;
    client.setReadBufferSize(1); // read nothing
    client.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(waitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    const QByteArray request = "GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                               "Bearer " +
                               kToken + "\r\n\r\n";
    QByteArray batch;
    while (batch.size() < 256 * 1024)
        batch += request;
    const qint64 before = residentKiB();
    qint64 pushed = 0;
    QElapsedTimer timer;
    timer.start();
    // Keep at most 1 MiB queued on our side: what leaves it is what the gateway (or the kernel
    // between us) took.
    while (timer.elapsed() < 2500 && pushed < 60LL * 1024 * 1024) {
        if (client.bytesToWrite() < 1024 * 1024) {
            client.write(batch);
            pushed += batch.size();
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    const qint64 taken = pushed - client.bytesToWrite();
    QVERIFY2(taken < 24LL * 1024 * 1024,
             qPrintable(QStringLiteral("the gateway read %1 MiB from a client that never reads")
                            .arg(taken / (1024 * 1024))));
    QVERIFY2(residentKiB() - before < 64 * 1024,
             qPrintable(QStringLiteral("grew by %1 KiB").arg(residentKiB() - before)));
    client.abort();
    QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
}

// Pings are answered with pongs; a client that never reads them is closed once its queue is
// full instead of growing it.
void TestAbuse::pingFloodWithoutReadingIsClosed()
{
    QTcpSocket client;
    client.setReadBufferSize(1);
    bool closed = false;
    connect(&client, &QTcpSocket::disconnected, this, [&] { closed = true; });
    client.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(waitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    client.write(upgradeRequest(m_gateway->port(), "/api/events/live?token=" + kToken));
    // A masked ping with 125 bytes of payload.
    QByteArray ping = QByteArray::fromHex("89fd") + QByteArray(4, '\0') + QByteArray(125, 'p');
    QByteArray batch;
    while (batch.size() < 256 * 1024)
        batch += ping;
    QElapsedTimer timer;
    timer.start();
    while (!closed && timer.elapsed() < 5000) {
        if (client.bytesToWrite() < 1024 * 1024)
            client.write(batch);
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    QVERIFY2(closed, "a client that never reads its pongs was kept open");
    QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
    disconnect(&client, nullptr, this, nullptr);
}

void TestAbuse::logFloodsAreClippedAndCollapsed()
{
    const qint64 before =
        LogHub::instance()->entriesAfter(0).isEmpty() ? 0 : LogHub::instance()->entriesAfter(0).last().id;
    // The longest host name the syntax allows, and an Origin as large as a head may be.
    const QByteArray host = QByteArray(240, 'h') + ".example";
    const QByteArray origin = "https://" + QByteArray(30 * 1024, 'o') + ".example";
    for (int i = 0; i < 150; ++i) {
        rawHttp(m_gateway->port(),
                "GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        rawHttp(m_gateway->port(), "POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " +
                                       origin + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }
    int refusedHosts = 0;
    int refusedOrigins = 0;
    for (const LogEntry &entry : LogHub::instance()->entriesAfter(before)) {
        refusedHosts += entry.message.contains(QLatin1String("refused Host")) ? 1 : 0;
        refusedOrigins += entry.message.contains(QLatin1String("refused Origin")) ? 1 : 0;
        QVERIFY2(entry.message.size() < 400, qPrintable(entry.message.left(80)));
    }
    QVERIFY2(refusedHosts > 0 && refusedHosts <= 20, qPrintable(QString::number(refusedHosts)));
    QVERIFY2(refusedOrigins > 0 && refusedOrigins <= 20,
             qPrintable(QString::number(refusedOrigins)));
}

// Silence holds no slot for long: the head timeout runs from accept.
void TestAbuse::silentConnectionsTimeOutFromAccept()
{
    TestGateway small;
    GatewayOptions options;
    options.limits.maxConnections = 3;
    options.limits.headTimeoutMs = 300;
    QVERIFY(small.start(baseConfig(small.dir(), QString::fromLatin1(kToken)), options));
    std::vector<std::unique_ptr<RawClient>> silent;
    for (int i = 0; i < 3; ++i) {
        silent.push_back(std::make_unique<RawClient>());
        QVERIFY(silent.back()->connect(small.port()));
    }
    QVERIFY(waitFor([&] { return small.gateway()->httpServer()->openConnections() == 3; }));
    QCOMPARE(http(small.port(), "GET", "/health").status, 503);
    QVERIFY(waitFor([&] {
        return std::all_of(silent.begin(), silent.end(), [](const auto &c) { return c->closed; });
    }, 3000));
    QCOMPARE(http(small.port(), "GET", "/health").status, 200);
}

// Upgraded connections leave the HTTP count and meet a cap of their own.
void TestAbuse::webSocketsHaveTheirOwnCap()
{
    TestGateway small;
    GatewayOptions options;
    options.limits.maxConnections = 2;
    options.limits.maxWebSockets = 3;
    QVERIFY(small.start(baseConfig(small.dir(), QString::fromLatin1(kToken)), options));
    std::vector<std::unique_ptr<RawClient>> sockets;
    for (int i = 0; i < 4; ++i) {
        sockets.push_back(std::make_unique<RawClient>());
        QVERIFY(sockets.back()->connect(small.port()));
        sockets.back()->write(upgradeRequest(small.port(), "/api/events/live?token=" + kToken));
        QVERIFY(waitFor([&] { return sockets.back()->received.contains("\r\n\r\n"); }));
    }
    for (int i = 0; i < 3; ++i)
        QVERIFY(sockets.at(i)->received.startsWith("HTTP/1.1 101"));
    QVERIFY2(sockets.at(3)->received.startsWith("HTTP/1.1 503"), sockets.at(3)->received.constData());
    QCOMPARE(small.gateway()->httpServer()->openWebSockets(), 3);
    QCOMPARE(http(small.port(), "GET", "/health").status, 200); // HTTP slots are free
}

void TestAbuse::upgradeOnAReusedConnection()
{
    RawClient client;
    QVERIFY(client.connect(m_gateway->port()));
    client.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(waitFor([&] { return client.received.endsWith("ok"); }));
    client.received.clear();
    client.write(upgradeRequest(m_gateway->port(), "/api/events/live?token=" + kToken));
    QVERIFY(waitFor([&] { return client.received.contains("ready"); }));
    QVERIFY2(client.received.startsWith("HTTP/1.1 101"), client.received.constData());
    QVERIFY(!client.received.contains("404"));
}

// A client that sends its whole (too large) body without waiting for "100 Continue", then
// reads: it gets the 413, not a reset.
void TestAbuse::oversizedBodyAnswerReachesAClientThatKeepsSending()
{
    RawClient client;
    QVERIFY(client.connect(m_gateway->port()));
    const QByteArray body(6 * 1024 * 1024, 'x');
    client.write("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                 kToken + "\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(waitFor([&] { return client.received.contains("\r\n\r\n"); }, 10000));
    QVERIFY2(client.received.startsWith("HTTP/1.1 413"), client.received.left(200).constData());
    QVERIFY(client.received.contains("request body too large"));
}

void TestAbuse::strictParsing_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray host = "Host: 127.0.0.1\r\n";
    const QByteArray auth = "Authorization: Bearer " + kToken + "\r\n";
    QTest::newRow("negative length")
        << QByteArray("POST /api/config HTTP/1.1\r\n" + host + auth + "Content-Length: -1\r\n\r\n") << 400;
    QTest::newRow("overflowing length")
        << QByteArray("POST /api/config HTTP/1.1\r\n" + host + auth +
                      "Content-Length: 99999999999999999999999\r\n\r\n")
        << 400;
    QTest::newRow("two lengths")
        << QByteArray("POST /api/config HTTP/1.1\r\n" + host + auth +
                      "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}")
        << 400;
    QTest::newRow("length and chunked")
        << QByteArray("POST /api/config HTTP/1.1\r\n" + host + auth +
                      "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}")
        << 400;
    QTest::newRow("unknown coding")
        << QByteArray("POST /api/config HTTP/1.1\r\n" + host + auth +
                      "Transfer-Encoding: gzip\r\n\r\n")
        << 501;
    QTest::newRow("bare CR in a value")
        << QByteArray("OPTIONS /api/config HTTP/1.1\r\n" + host +
                      "Origin: https://a\rSet-Cookie: x\r\n\r\n")
        << 400;
    QTest::newRow("NUL in a value")
        << QByteArray("GET /health HTTP/1.1\r\n" + host + "X-A: a" + QByteArray(1, '\0') + "b\r\n\r\n")
        << 400;
    QTest::newRow("folded header")
        << QByteArray("GET /health HTTP/1.1\r\n" + host + "X-A: a\r\n  b\r\n\r\n") << 400;
    QTest::newRow("host with a path")
        << QByteArray("GET /health HTTP/1.1\r\nHost: evil.com/.localhost\r\n\r\n") << 400;
    QTest::newRow("host after an IPv6 literal")
        << QByteArray("GET /health HTTP/1.1\r\nHost: [::1]evil.com\r\n\r\n") << 400;
    QTest::newRow("port that is not a number")
        << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1:abc\r\n\r\n") << 400;
    QTest::newRow("two hosts")
        << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.com\r\n\r\n") << 400;
    QTest::newRow("no host on 1.1") << QByteArray("GET /health HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("absolute target, foreign host")
        << QByteArray("GET http://evil.example/api/version HTTP/1.1\r\n" + host + auth + "\r\n") << 403;
    QTest::newRow("absolute target, own host")
        << QByteArray("GET http://127.0.0.1/api/version HTTP/1.1\r\n" + host + auth + "\r\n") << 200;
}

void TestAbuse::strictParsing()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const HttpResult result = rawHttp(m_gateway->port(), request);
    QCOMPARE(result.status, status);
    if (status == 400)
        QVERIFY(!result.headers.contains("access-control-allow-origin"));
    QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
}

void TestAbuse::unmaskedClientFramesCloseTheSocket()
{
    RawClient client;
    QVERIFY(client.connect(m_gateway->port()));
    client.write(upgradeRequest(m_gateway->port(), "/api/events/live?token=" + kToken));
    QVERIFY(waitFor([&] { return client.received.contains("ready"); }));
    client.received.clear();
    client.write(QByteArray::fromHex("8102") + "hi"); // a text frame without a mask
    QVERIFY(waitFor([&] { return client.closed; }, 4000));
    // Our close frame came first: 1002, protocol error.
    QVERIFY2(client.received.startsWith(QByteArray::fromHex("8800") .left(1)),
             client.received.toHex().constData());
    QCOMPARE(quint8(client.received.at(2)), quint8(0x03));
    QCOMPARE(quint8(client.received.at(3)), quint8(0xea));
}

void TestAbuse::plusInAQueryIsASpace()
{
    SessionStore *store = m_gateway->gateway()->agent()->sessions();
    store->append(QStringLiteral("two words"), ChatMessage{"user", "spaced", {}, {}, {}});
    settle(*store);
    const QJsonObject history = QJsonDocument::fromJson(get("/api/chat/history?session=two+words")).object();
    QCOMPARE(history.value("session").toString(), QStringLiteral("two words"));
    QCOMPARE(history.value("messages").toArray().size(), 1);
}

// A key is a name, never a file-name pattern: "*" does not read other sessions, "[" is fine.
void TestAbuse::sessionKeysAreLiteral()
{
    SessionStore *store = m_gateway->gateway()->agent()->sessions();
    store->append(QStringLiteral("private-one"), ChatMessage{"user", "secret words", {}, {}, {}});
    settle(*store);
    for (const QByteArray &key : {QByteArray("*"), QByteArray("private-*"), QByteArray("%5B"),
                                  QByteArray("private-on%3F")}) {
        const QByteArray body = get("/api/chat/history?session=" + key);
        QVERIFY2(!body.contains("secret words"), key.constData());
        QCOMPARE(QJsonDocument::fromJson(body).object().value("messages").toArray().size(), 0);
    }
}

void TestAbuse::multipartParameters_data()
{
    QTest::addColumn<QByteArray>("disposition");
    QTest::addColumn<QString>("name");
    QTest::newRow("semicolon in quotes")
        << QByteArray(R"(form-data; name="file"; filename="a;name=x.txt")") << "a;name=x.txt";
    QTest::newRow("escaped quote") << QByteArray(R"(form-data; name="file"; filename="say \"hi\".txt")")
                                   << R"(say "hi".txt)";
    QTest::newRow("extended form wins")
        << QByteArray("form-data; name=\"file\"; filename=\"plain.pdf\"; "
                      "filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf")
        << QStringLiteral("报告.pdf");
    QTest::newRow("unquoted") << QByteArray("form-data; name=file; filename=simple.txt")
                              << "simple.txt";
}

void TestAbuse::multipartParameters()
{
    QFETCH(QByteArray, disposition);
    QFETCH(QString, name);
    const QByteArray body = "--b\r\nContent-Disposition: " + disposition +
                            "\r\nContent-Type: text/plain\r\n\r\ncontent\r\n--b--\r\n";
    const HttpResult result =
        rawHttp(m_gateway->port(),
                "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken +
                    "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QCOMPARE(result.status, 200);
    QCOMPARE(result.json().value("name").toString(), name);
}

// An upstream that echoes the key it was sent: the 500 answer carries no key.
void TestAbuse::errorAnswersCarryNoSecrets()
{
    FakeOpenAiServer fake;
    TestGateway chat;
    QJsonObject config = baseConfig(chat.dir(), QString::fromLatin1(kToken));
    const QString key = QStringLiteral("sk-live-abcdef0123456789");
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"),
                         QJsonObject{{"echo", QJsonObject{{"api_base", fake.apiBase()},
                                                          {"api_key", key},
                                                          {"models", QJsonArray{"m"}},
                                                          {"timeout_sec", 10},
                                                          {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("echo/m"));
    QVERIFY2(chat.start(config), qPrintable(chat.error()));
    fake.enqueue(FakeLlmReply::error(
        500, QByteArray(R"({"error":{"message":"bad key )") + key.toUtf8() + R"( refused"}})"));
    const HttpResult result = http(chat.port(), "POST", "/api/chat", R"({"message":"hi"})",
                                   {{"Authorization", "Bearer " + kToken}});
    QCOMPARE(result.status, 500);
    QVERIFY2(!result.body.contains(key.toUtf8()), result.body.constData());
    QVERIFY(result.body.contains("refused"));
}

// Changing where a key goes while posting its mask back would send the stored key to the new
// address: refused, the key must be entered again.
void TestAbuse::maskedKeyIsNotSentToANewAddress()
{
    TestGateway gateway;
    QJsonObject config = baseConfig(gateway.dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"),
                         QJsonObject{{"p", QJsonObject{{"api_base", "https://api.example/v1"},
                                                       {"api_key", "sk-stored-0123456789"},
                                                       {"timeout_sec", 10},
                                                       {"models", QJsonArray{"m"}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("p/m"));
    QVERIFY2(gateway.start(config), qPrintable(gateway.error()));
    const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + kToken}};
    QJsonObject read = http(gateway.port(), "GET", "/api/config", {}, auth).json();
    QCOMPARE(JsonUtil::valueAt(read, QStringLiteral("models.providers.p.api_key")).toString(),
             QStringLiteral("********"));
    JsonUtil::setValueAt(read, QStringLiteral("models.providers.p.api_base"),
                         QStringLiteral("https://collector.evil/v1"));
    const HttpResult refused =
        http(gateway.port(), "POST", "/api/config", QJsonDocument(read).toJson(), auth);
    QCOMPARE(refused.status, 400);
    QVERIFY(refused.json().value("error").toString().contains(
        QLatin1String("models.providers.p.api_key")));
    QVERIFY(gateway.readConfigFile().contains("https://api.example/v1"));
    // With the key typed again, the change is fine.
    JsonUtil::setValueAt(read, QStringLiteral("models.providers.p.api_key"),
                         QStringLiteral("sk-new-0123456789"));
    QCOMPARE(http(gateway.port(), "POST", "/api/config", QJsonDocument(read).toJson(), auth).status,
             200);
    // The normalized view carries no keys, so it cannot move one either.
    JsonUtil::setValueAt(read, QStringLiteral("models.providers.p.api_key"),
                         QStringLiteral("********"));
    QJsonObject normalized =
        http(gateway.port(), "GET", "/api/config?mode=normalized", {}, auth).json().value("config").toObject();
    QJsonObject providers = normalized.value("runtime").toObject().value("providers").toObject();
    QVERIFY(providers.contains("p"));
    {
        QJsonObject p = providers.value("p").toObject();
        p.insert("api_base", "https://other.evil/v1");
        providers.insert("p", p);
        QJsonObject runtime = normalized.value("runtime").toObject();
        runtime.insert("providers", providers);
        normalized.insert("runtime", runtime);
        QCOMPARE(http(gateway.port(), "POST", "/api/config?mode=normalized",
                      QJsonDocument(normalized).toJson(), auth)
                     .status,
                 400);
    }
}

void TestAbuse::existingHomeIsMadePrivate()
{
    QTemporaryDir home;
    const QString dir = home.filePath(QStringLiteral("clawgo"));
    QDir().mkpath(dir);
    QFile file(dir + QStringLiteral("/config.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(baseConfig(dir, QString::fromLatin1(kToken))));
    file.close();
    QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                           QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                           QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                           QFileDevice::ExeOther));
    QVERIFY(file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                QFileDevice::ReadGroup | QFileDevice::ReadOther));
    QCOMPARE(fileMode(dir), 0755);
    GatewayOptions options;
    options.configPath = file.fileName();
    options.host = QStringLiteral("127.0.0.1");
    options.port = 0;
    Gateway gateway(options);
    QString error;
    QVERIFY2(gateway.start(&error), qPrintable(error));
    QCOMPARE(fileMode(dir), 0700);
    QCOMPARE(fileMode(file.fileName()), 0600);
}

QTEST_GUILESS_MAIN(TestAbuse)
#include "tst_abuse.moc"
