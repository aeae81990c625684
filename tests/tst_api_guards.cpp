// The front door's guards against a real gateway on 127.0.0.1:0: Host, Origin, the four token
// transports, rate limiting, CORS, security headers, limits and bad input.

#include "core/clock.h"
#include "core/eventbus.h"
#include "core/jsonutil.h"
#include "gateway.h"
#include "http/httpserver.h"
#include "http/requestguard.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using Headers = QList<QPair<QByteArray, QByteArray>>;
Q_DECLARE_METATYPE(Headers)

namespace {
const QByteArray kToken = "cg_test_token_0123456789";
}

class TestApiGuards : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hostAllowlist_data();
    void hostAllowlist();
    void originOnStateChangingRequests_data();
    void originOnStateChangingRequests();
    void tokenTransports_data();
    void tokenTransports();
    void failedAuthIsRateLimited();
    void emptyTokenDisablesAuthOnLoopback();
    void openBindWithoutTokenRefusesToStart();
    void portInUseFailsNamingThePort();
    void securityAndCorsHeaders();
    void preflight();
    void routing_data();
    void routing();
    void everyKeepAliveRequestIsChecked();
    void badInput_data();
    void badInput();
    void slowClientGets408();
    void idleKeepAliveIsClosed();
    void webSocketUpgradeGuards_data();
    void webSocketUpgradeGuards();
    void bogusWebSocketFramesCloseOnlyThatClient();
    void oversizedWebSocketMessageIsRefused();
    void connectionLimit();

private:
    TestGateway m_gateway;
    quint16 m_port = 0;
    QByteArray host() const { return "127.0.0.1:" + QByteArray::number(m_port); }
};

void TestApiGuards::initTestCase()
{
    QJsonObject config = baseConfig(m_gateway.dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_hosts"), QJsonArray{"clawgo.lan"});
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_origins"),
                         QJsonArray{"https://dash.example"});
    GatewayOptions options;
    options.limits.headTimeoutMs = 300;
    options.limits.idleTimeoutMs = 400;
    options.limits.maxBodyBytes = 64 * 1024;
    QVERIFY2(m_gateway.start(config, options), qPrintable(m_gateway.error()));
    m_port = m_gateway.port();
    // Plenty of room for the deliberate failures below; failedAuthIsRateLimited tightens it.
    m_gateway.gateway()->guard()->rateLimiter().setLimits(1000, 60000);
}

void TestApiGuards::hostAllowlist_data()
{
    QTest::addColumn<QByteArray>("hostHeader");
    QTest::addColumn<int>("status");
    QTest::newRow("ipv4 literal with port") << QByteArray("127.0.0.1:1") << 200;
    QTest::newRow("localhost") << QByteArray("localhost:18790") << 200;
    QTest::newRow("sub.localhost") << QByteArray("app.localhost") << 200;
    QTest::newRow("ipv6 literal") << QByteArray("[::1]:18790") << 200;
    QTest::newRow("lan ip literal") << QByteArray("192.168.1.20:18790") << 200;
    QTest::newRow("allowed name") << QByteArray("clawgo.lan:18790") << 200;
    QTest::newRow("allowed name, other case") << QByteArray("ClawGo.LAN") << 200;
    QTest::newRow("rebinding name") << QByteArray("attacker.example") << 403;
    QTest::newRow("rebinding name with port") << QByteArray("attacker.example:18790") << 403;
    QTest::newRow("suffix trick") << QByteArray("localhost.attacker.example") << 403;
    QTest::newRow("empty") << QByteArray("") << 403;
}

void TestApiGuards::hostAllowlist()
{
    QFETCH(QByteArray, hostHeader);
    QFETCH(int, status);
    const HttpResult result = http(m_port, "GET", "/api/version", {},
                                   {{"Host", hostHeader}, {"Authorization", "Bearer " + kToken}});
    QCOMPARE(result.status, status);
    if (status == 403)
        QCOMPARE(result.body, QByteArray("forbidden: Host header not allowed\n"));
}

void TestApiGuards::originOnStateChangingRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<int>("status");
    // A POST that passes the guards reaches the handler, which refuses the bogus mode (400).
    QTest::newRow("post, no origin") << QByteArray("POST") << QByteArray() << 400;
    QTest::newRow("post, same origin") << QByteArray("POST") << QByteArray("http://SELF") << 400;
    QTest::newRow("post, allowed origin")
        << QByteArray("POST") << QByteArray("https://dash.example") << 400;
    QTest::newRow("post, foreign origin")
        << QByteArray("POST") << QByteArray("https://evil.example") << 403;
    QTest::newRow("post, null origin") << QByteArray("POST") << QByteArray("null") << 403;
    QTest::newRow("post, other port")
        << QByteArray("POST") << QByteArray("http://127.0.0.1:1") << 403;
    QTest::newRow("get, foreign origin")
        << QByteArray("GET") << QByteArray("https://evil.example") << 200;
}

void TestApiGuards::originOnStateChangingRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, origin);
    QFETCH(int, status);
    origin.replace("SELF", host());
    Headers headers{{"Authorization", "Bearer " + kToken}};
    if (!origin.isEmpty())
        headers.append({"Origin", origin});
    const HttpResult result =
        http(m_port, method, "/api/config?mode=bogus", method == "POST" ? "{}" : "", headers);
    QCOMPARE(result.status, status);
    if (status == 403)
        QCOMPARE(result.body, QByteArray("forbidden: Origin not allowed\n"));
}

void TestApiGuards::tokenTransports_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::newRow("no credentials") << QByteArray("/api/version") << Headers{} << 401;
    QTest::newRow("bearer") << QByteArray("/api/version")
                            << Headers{{"Authorization", "Bearer " + kToken}} << 200;
    QTest::newRow("bearer, trailing space")
        << QByteArray("/api/version") << Headers{{"Authorization", "Bearer " + kToken + " "}}
        << 200;
    QTest::newRow("bearer, lower case")
        << QByteArray("/api/version") << Headers{{"Authorization", "bearer " + kToken}} << 401;
    QTest::newRow("bearer, two spaces")
        << QByteArray("/api/version") << Headers{{"Authorization", "Bearer  " + kToken}} << 401;
    QTest::newRow("bearer, wrong")
        << QByteArray("/api/version") << Headers{{"Authorization", "Bearer cg_wrong"}} << 401;
    QTest::newRow("bearer, prefix of token")
        << QByteArray("/api/version") << Headers{{"Authorization", "Bearer " + kToken.left(10)}}
        << 401;
    QTest::newRow("query") << QByteArray("/api/version?token=" + kToken) << Headers{} << 200;
    QTest::newRow("query, padded")
        << QByteArray("/api/version?token=%20" + kToken + "%20") << Headers{} << 200;
    QTest::newRow("query, wrong") << QByteArray("/api/version?token=wrong") << Headers{} << 401;
    QTest::newRow("cookie") << QByteArray("/api/version")
                            << Headers{{"Cookie", "a=b; clawgo_webui_token=" + kToken}} << 200;
    QTest::newRow("cookie, wrong")
        << QByteArray("/api/version") << Headers{{"Cookie", "clawgo_webui_token=nope"}} << 401;
    QTest::newRow("referer, same origin")
        << QByteArray("/api/version") << Headers{{"Referer", "http://SELF/page?token=" + kToken}}
        << 200;
    QTest::newRow("referer, other origin")
        << QByteArray("/api/version")
        << Headers{{"Referer", "http://other.example/x?token=" + kToken}} << 401;
    QTest::newRow("referer, other port")
        << QByteArray("/api/version")
        << Headers{{"Referer", "http://127.0.0.1:1/x?token=" + kToken}} << 401;
    QTest::newRow("health needs none") << QByteArray("/health") << Headers{} << 200;
}

void TestApiGuards::tokenTransports()
{
    QFETCH(QByteArray, target);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    for (auto &header : headers)
        header.second.replace("SELF", host());
    const HttpResult result = http(m_port, "GET", target, {}, headers);
    QCOMPARE(result.status, status);
    if (status == 401) {
        QCOMPARE(result.body, QByteArray("unauthorized\n"));
        QCOMPARE(result.header("content-type"), QByteArray("text/plain; charset=utf-8"));
    }
    QVERIFY(!result.headers.contains("set-cookie"));
}

void TestApiGuards::failedAuthIsRateLimited()
{
    qint64 now = 1'800'000'000'000;
    Clock::setNowFunction([&now] { return now; });
    AuthRateLimiter &limiter = m_gateway.gateway()->guard()->rateLimiter();
    limiter.setLimits(3, 60'000);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(http(m_port, "GET", "/api/version", {}, {{"Authorization", "Bearer bad"}}).status,
                 401);
    // Further guesses are refused outright…
    HttpResult blocked = http(m_port, "GET", "/api/version", {}, {{"Authorization", "Bearer bad"}});
    QCOMPARE(blocked.status, 429);
    QCOMPARE(blocked.header("retry-after"), QByteArray("60"));
    // …but the real user is never locked out by them.
    QCOMPARE(
        http(m_port, "GET", "/api/version", {}, {{"Authorization", "Bearer " + kToken}}).status,
        200);
    now += 30'000;
    blocked = http(m_port, "GET", "/api/version", {}, {});
    QCOMPARE(blocked.status, 429);
    QCOMPARE(blocked.header("retry-after"), QByteArray("30"));
    // /health is not behind auth and stays reachable.
    QCOMPARE(http(m_port, "GET", "/health").status, 200);
    now += 30'001;
    // The window moved on: a failure is an ordinary 401 again.
    QCOMPARE(http(m_port, "GET", "/api/version", {}, {{"Authorization", "Bearer bad"}}).status,
             401);
    limiter.setLimits(1000, 60'000);
    Clock::setNowFunction(nullptr);
}

void TestApiGuards::emptyTokenDisablesAuthOnLoopback()
{
    TestGateway open;
    QVERIFY2(open.start(baseConfig(open.dir(), QString())), qPrintable(open.error()));
    QCOMPARE(http(open.port(), "GET", "/api/version").status, 200);
    QCOMPARE(http(open.port(), "GET", "/api/config?mode=hot").status, 200);
}

void TestApiGuards::openBindWithoutTokenRefusesToStart()
{
    TestGateway open;
    GatewayOptions options;
    options.host = QStringLiteral("0.0.0.0");
    QVERIFY(!open.start(baseConfig(open.dir(), QString()), options));
    QVERIFY2(open.error().contains(QLatin1String("empty gateway.token")), qPrintable(open.error()));
}

void TestApiGuards::portInUseFailsNamingThePort()
{
    TestGateway second;
    GatewayOptions options;
    options.port = m_port;
    QVERIFY(!second.start(baseConfig(second.dir()), options));
    QVERIFY2(second.error().contains(QString::number(m_port)), qPrintable(second.error()));
}

void TestApiGuards::securityAndCorsHeaders()
{
    HttpResult result =
        http(m_port, "GET", "/api/version", {},
             {{"Authorization", "Bearer " + kToken}, {"Origin", "https://dash.example"}});
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("x-content-type-options"), QByteArray("nosniff"));
    QCOMPARE(result.header("x-frame-options"), QByteArray("DENY"));
    QCOMPARE(result.header("referrer-policy"), QByteArray("no-referrer"));
    QCOMPARE(result.header("cache-control"), QByteArray("no-store"));
    QCOMPARE(result.header("access-control-allow-origin"), QByteArray("https://dash.example"));
    QCOMPARE(result.header("access-control-allow-credentials"), QByteArray("true"));
    QVERIFY(result.header("vary").contains("Origin"));

    result = http(m_port, "GET", "/api/version", {},
                  {{"Authorization", "Bearer " + kToken}, {"Origin", "https://evil.example"}});
    QCOMPARE(result.status, 200);
    QVERIFY(!result.headers.contains("access-control-allow-origin"));
    QVERIFY(!result.headers.contains("access-control-allow-credentials"));

    result = http(m_port, "GET", "/health");
    QCOMPARE(result.body, QByteArray("ok"));
    QCOMPARE(result.header("x-content-type-options"), QByteArray("nosniff"));
    QVERIFY(!result.headers.contains("cache-control"));
    QVERIFY(!result.headers.contains("access-control-allow-origin"));
}

void TestApiGuards::preflight()
{
    HttpResult result =
        http(m_port, "OPTIONS", "/api/config", {},
             {{"Origin", "https://dash.example"},
              {"Access-Control-Request-Method", "POST"},
              {"Access-Control-Request-Headers", "authorization,content-type,x-clawgo-client"}});
    QCOMPARE(result.status, 204);
    QCOMPARE(result.header("access-control-allow-origin"), QByteArray("https://dash.example"));
    QCOMPARE(result.header("access-control-allow-methods"), QByteArray("POST"));
    QCOMPARE(result.header("access-control-allow-headers"),
             QByteArray("authorization,content-type,x-clawgo-client"));
    QCOMPARE(result.header("access-control-max-age"), QByteArray("86400"));
    QVERIFY(result.body.isEmpty());
    result = http(m_port, "OPTIONS", "/api/config", {},
                  {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(result.status, 204);
    QVERIFY(!result.headers.contains("access-control-allow-origin"));
}

void TestApiGuards::routing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("authenticated");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << false << 404
                          << QByteArray("404 page not found\n");
    QTest::newRow("unknown api") << QByteArray("GET") << QByteArray("/api/nope") << true << 404
                                 << QByteArray("404 page not found\n");
    QTest::newRow("trailing slash") << QByteArray("GET") << QByteArray("/api/config/") << true
                                    << 404 << QByteArray("404 page not found\n");
    QTest::newRow("auth before method") << QByteArray("PUT") << QByteArray("/api/config") << false
                                        << 401 << QByteArray("unauthorized\n");
    QTest::newRow("wrong method") << QByteArray("PUT") << QByteArray("/api/config") << true << 405
                                  << QByteArray("method not allowed\n");
    QTest::newRow("delete config") << QByteArray("DELETE") << QByteArray("/api/config") << true
                                   << 405 << QByteArray("method not allowed\n");
    QTest::newRow("post version") << QByteArray("POST") << QByteArray("/api/version") << true << 405
                                  << QByteArray("method not allowed\n");
    QTest::newRow("head on get route")
        << QByteArray("HEAD") << QByteArray("/api/version") << true << 405 << QByteArray();
    QTest::newRow("websocket route without upgrade")
        << QByteArray("GET") << QByteArray("/api/events/live") << true << 400
        << QByteArray("this endpoint needs a WebSocket upgrade\n");
    QTest::newRow("post to websocket route") << QByteArray("POST") << QByteArray("/api/logs/live")
                                             << true << 405 << QByteArray("method not allowed\n");
    QTest::newRow("health, any method")
        << QByteArray("POST") << QByteArray("/health") << false << 200 << QByteArray("ok");
}

void TestApiGuards::routing()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(bool, authenticated);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    Headers headers;
    if (authenticated)
        headers.append({"Authorization", "Bearer " + kToken});
    const HttpResult result = http(m_port, method, target, {}, headers);
    QCOMPARE(result.status, status);
    if (method != "HEAD")
        QCOMPARE(result.body, body);
}

// Two requests on one keep-alive connection: the second is checked too.
void TestApiGuards::everyKeepAliveRequestIsChecked()
{
    QByteArray received; // declared before the socket: its destructor may still emit
    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.write("GET /api/version HTTP/1.1\r\nHost: " + host() + "\r\nAuthorization: Bearer " +
                 kToken + "\r\n\r\n");
    QVERIFY(waitFor([&] { return received.contains("\"ok\":true"); }));
    received.clear();
    socket.write("GET /api/version HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
    QVERIFY(waitFor([&] { return received.contains("unauthorized"); }));
    QVERIFY(received.startsWith("HTTP/1.1 401"));
    received.clear();
    socket.write("GET /api/version HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer " +
                 kToken + "\r\n\r\n");
    QVERIFY(waitFor([&] { return received.contains("forbidden"); }));
    QVERIFY(received.startsWith("HTTP/1.1 403"));
}

void TestApiGuards::badInput_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    const QByteArray auth = "Authorization: Bearer " + kToken + "\r\n";
    QTest::newRow("huge head") << QByteArray("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " +
                                             QByteArray(70 * 1024, 'a') + "\r\n\r\n")
                               << 413 << QByteArray("request head too large\n");
    QByteArray flood = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 300; ++i)
        flood += "X-H" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("header flood") << flood + "\r\n"
                                  << 413 << QByteArray("request head too large\n");
    QTest::newRow("declared body too large")
        << QByteArray("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                      "Content-Length: 5000000\r\n\r\n{")
        << 413 << QByteArray("request body too large\n");
    QTest::newRow("chunked body too large")
        << QByteArray("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                      "Transfer-Encoding: chunked\r\n\r\n" + "20000\r\n" +
                      QByteArray(0x20000, 'x') + "\r\n0\r\n\r\n")
        << 413 << QByteArray("request body too large\n");
    QTest::newRow("malformed request line")
        << QByteArray("HELLO\r\n\r\n") << 400 << QByteArray("malformed request\n");
    QTest::newRow("not http") << QByteArray("GET / SPDY/3\r\nHost: x\r\n\r\n") << 400
                              << QByteArray("malformed request\n");
    QTest::newRow("malformed json")
        << QByteArray("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
                      "Content-Type: application/json\r\nContent-Length: 1\r\n\r\n{")
        << 400 << QByteArray();
    QTest::newRow("multipart body for a JSON route")
        << QByteArray(
               "POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
               "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 3\r\n\r\na=b")
        << 415 << QByteArray("expected a JSON body, not a multipart form\n");
}

void TestApiGuards::badInput()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const QByteArray before = m_gateway.readConfigFile();
    const HttpResult result = rawHttp(m_port, request);
    QCOMPARE(result.status, status);
    if (!body.isEmpty())
        QCOMPARE(result.body, body);
    QCOMPARE(m_gateway.readConfigFile(), before);         // nothing written
    QCOMPARE(http(m_port, "GET", "/health").status, 200); // and the gateway serves on
}

void TestApiGuards::slowClientGets408()
{
    QByteArray received;
    bool closed = false;
    QTcpSocket slow;
    connect(&slow, &QTcpSocket::readyRead, this, [&] { received += slow.readAll(); });
    connect(&slow, &QTcpSocket::disconnected, this, [&] { closed = true; });
    slow.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(waitFor([&] { return slow.state() == QAbstractSocket::ConnectedState; }));
    slow.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // never finishes the head
    // Others are served meanwhile.
    QCOMPARE(http(m_port, "GET", "/health").status, 200);
    QVERIFY(waitFor([&] { return closed; }, 3000));
    QVERIFY2(received.startsWith("HTTP/1.1 408"), received.constData());
}

void TestApiGuards::idleKeepAliveIsClosed()
{
    bool closed = false;
    QByteArray received;
    QTcpSocket idle;
    connect(&idle, &QTcpSocket::readyRead, this, [&] { received += idle.readAll(); });
    connect(&idle, &QTcpSocket::disconnected, this, [&] { closed = true; });
    idle.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(waitFor([&] { return idle.state() == QAbstractSocket::ConnectedState; }));
    idle.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(waitFor([&] { return received.endsWith("ok"); }));
    QVERIFY(!closed);
    QVERIFY(waitFor([&] { return closed; }, 3000));
}

void TestApiGuards::webSocketUpgradeGuards_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<int>("status");
    QTest::newRow("no token") << QByteArray("/api/events/live") << Headers{} << 401;
    QTest::newRow("wrong token") << QByteArray("/api/events/live?token=nope") << Headers{} << 401;
    QTest::newRow("foreign origin") << QByteArray("/api/events/live?token=" + kToken)
                                    << Headers{{"Origin", "https://evil.example"}} << 403;
    QTest::newRow("foreign host") << QByteArray("/api/events/live?token=" + kToken)
                                  << Headers{{"Host", "evil.example"}} << 403;
    QTest::newRow("unknown path") << QByteArray("/api/nope/live?token=" + kToken) << Headers{}
                                  << 404;
    QTest::newRow("http route") << QByteArray("/api/version?token=" + kToken) << Headers{} << 404;
    QTest::newRow("bearer") << QByteArray("/api/events/live")
                            << Headers{{"Authorization", "Bearer " + kToken}} << 101;
    QTest::newRow("query token, same origin") << QByteArray("/api/events/live?token=" + kToken)
                                              << Headers{{"Origin", "http://SELF"}} << 101;
    QTest::newRow("allowed origin") << QByteArray("/api/logs/live?token=" + kToken)
                                    << Headers{{"Origin", "https://dash.example"}} << 101;
}

void TestApiGuards::webSocketUpgradeGuards()
{
    QFETCH(QByteArray, target);
    QFETCH(Headers, headers);
    QFETCH(int, status);
    bool hasHost = false;
    QByteArray request = "GET " + target + " HTTP/1.1\r\n";
    for (auto header : headers) {
        header.second.replace("SELF", host());
        hasHost |= header.first == "Host";
        request += header.first + ": " + header.second + "\r\n";
    }
    if (!hasHost)
        request += "Host: " + host() + "\r\n";
    request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    QByteArray received; // declared before the socket: its destructor may still emit
    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.write(request);
    QVERIFY(waitFor([&] { return received.contains("\r\n\r\n"); }));
    QVERIFY2(received.startsWith("HTTP/1.1 " + QByteArray::number(status)), received.constData());
    if (status == 101 && target.startsWith("/api/events"))
        QVERIFY(waitFor([&] { return received.contains("{\"type\":\"ready\"}"); }));
}

void TestApiGuards::bogusWebSocketFramesCloseOnlyThatClient()
{
    QStringList messages;
    QWebSocket good;
    connect(&good, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { messages << m; });
    good.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                       .arg(m_port)
                       .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return !messages.isEmpty(); }));

    QByteArray received;
    bool closed = false;
    QTcpSocket bad;
    connect(&bad, &QTcpSocket::readyRead, this, [&] { received += bad.readAll(); });
    connect(&bad, &QTcpSocket::disconnected, this, [&] { closed = true; });
    bad.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(waitFor([&] { return bad.state() == QAbstractSocket::ConnectedState; }));
    bad.write("GET /api/events/live?token=" + kToken + " HTTP/1.1\r\nHost: " + host() +
              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
    QVERIFY(waitFor([&] { return received.contains("ready"); }));
    // Reserved opcode 0x3, unmasked, claiming a huge length: a protocol error.
    bad.write(QByteArray::fromHex("837f00000000ffffffff") + QByteArray(64, 'z'));
    QVERIFY(waitFor([&] { return closed; }, 3000));

    // The well-behaved client still gets events.
    messages.clear();
    m_gateway.gateway()->events()->publish(QJsonObject{{"type", "probe"}});
    QVERIFY(waitFor([&] { return !messages.isEmpty(); }));
    QCOMPARE(messages.first().trimmed(), QStringLiteral("{\"type\":\"probe\"}"));
    QCOMPARE(http(m_port, "GET", "/health").status, 200);
}

void TestApiGuards::oversizedWebSocketMessageIsRefused()
{
    QStringList messages;
    bool closed = false;
    QWebSocket client;
    connect(&client, &QWebSocket::textMessageReceived, this,
            [&](const QString &m) { messages << m; });
    connect(&client, &QWebSocket::disconnected, this, [&] { closed = true; });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                         .arg(m_port)
                         .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return !messages.isEmpty(); }));
    client.sendTextMessage(QString(2 * 1024 * 1024, QLatin1Char('x')));
    QVERIFY(waitFor([&] { return closed; }, 5000));
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QObject::disconnect(&client, nullptr, this, nullptr);
}

void TestApiGuards::connectionLimit()
{
    TestGateway small;
    GatewayOptions options;
    options.limits.maxConnections = 2;
    QVERIFY2(small.start(baseConfig(small.dir(), QString::fromLatin1(kToken)), options),
             qPrintable(small.error()));
    QTcpSocket first;
    QTcpSocket second;
    first.connectToHost(QHostAddress::LocalHost, small.port());
    second.connectToHost(QHostAddress::LocalHost, small.port());
    QVERIFY(waitFor([&] {
        return first.state() == QAbstractSocket::ConnectedState &&
               second.state() == QAbstractSocket::ConnectedState;
    }));
    QTest::qWait(50); // let the gateway accept both
    const HttpResult refused = http(small.port(), "GET", "/health");
    QCOMPARE(refused.status, 503);
    QCOMPARE(refused.header("retry-after"), QByteArray("1"));
    first.abort();
    QVERIFY(waitFor([&] { return small.gateway()->httpServer()->openConnections() < 2; }));
    QCOMPARE(http(small.port(), "GET", "/health").status, 200);
}

QTEST_GUILESS_MAIN(TestApiGuards)
#include "tst_api_guards.moc"
