// /api/config and /api/events/live against a real gateway: every mode, validation, redaction,
// ETag, round-trips of unknown keys, hot reload from outside edits, and rebinding.

#include "core/jsonutil.h"
#include "eventsclient.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <csignal>
#include <sys/resource.h>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth(const QByteArray &extraName = {},
                                          const QByteArray &extraValue = {})
{
    QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + kToken},
                                                 {"Content-Type", "application/json"}};
    if (!extraName.isEmpty())
        headers.append({extraName, extraValue});
    return headers;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestApiConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void getPlainIsBarePrettyAndRedacted();
    void getHotAndHotReloadFields_data();
    void getHotAndHotReloadFields();
    void getNormalized();
    void postRoundTripKeepsUnknownKeysAndSecrets();
    void postInvalidConfigIsRejected();
    void postDecodeErrors_data();
    void postDecodeErrors();
    void postWithStaleEtagConflicts();
    void postWithoutTokenKeepsToken();
    void postNormalized();
    void failedSaveAnswers500AndKeepsTheFile();
    void outsideEditsReachEventClients();
    void hostPortChangeRebinds();
    void failedRebindClearsWhenTheAddressIsFixed();
    void newValuesAreHeldToStricterRules_data();
    void newValuesAreHeldToStricterRules();
    void existingLenientValuesStillLoadAndSave();
    void tokenClearedThenSetAgainIsEnforced();

private:
    std::unique_ptr<TestGateway> m_gateway;
    QJsonObject m_initial;
};

void TestApiConfig::init()
{
    m_gateway = std::make_unique<TestGateway>();
    m_initial = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(m_initial, QStringLiteral("models.providers.openai.api_key"),
                         QStringLiteral("sk-stored-secret-1"));
    JsonUtil::setValueAt(m_initial, QStringLiteral("models.providers.openai.api_base"),
                         QStringLiteral("http://127.0.0.1:9/v1"));
    JsonUtil::setValueAt(m_initial, QStringLiteral("models.providers.openai.models"),
                         QJsonArray{"m1"});
    JsonUtil::setValueAt(m_initial, QStringLiteral("models.providers.openai.timeout_sec"), 30);
    JsonUtil::setValueAt(m_initial, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("openai/m1"));
    JsonUtil::setValueAt(m_initial, QStringLiteral("webui_extension.theme"),
                         QStringLiteral("dark"));
    JsonUtil::setValueAt(m_initial, QStringLiteral("channels.weixin.future_flag"), true);
    // Keys unknown to both programs stay where the user put them.
    m_gateway->expectUnknownKeysInConfig(
        {QStringLiteral("webui_extension"), QStringLiteral("channels.weixin.future_flag")});
    QVERIFY2(m_gateway->start(m_initial), qPrintable(m_gateway->error()));
}

void TestApiConfig::cleanup()
{
    m_gateway.reset();
}

void TestApiConfig::getPlainIsBarePrettyAndRedacted()
{
    const HttpResult result = http(m_gateway->port(), "GET", "/api/config", {}, auth());
    QCOMPARE(result.status, 200);
    QCOMPARE(result.header("content-type"), QByteArray("application/json"));
    QVERIFY(result.body.startsWith("{\n  \"agents\": {\n    \""));
    QVERIFY(!result.body.endsWith('\n'));
    const QJsonObject config = result.json();
    QVERIFY(!config.contains("ok"));
    QCOMPARE(JsonUtil::valueAt(config, QStringLiteral("gateway.token")).toString(),
             QStringLiteral("********"));
    QCOMPARE(
        JsonUtil::valueAt(config, QStringLiteral("models.providers.openai.api_key")).toString(),
        QStringLiteral("********"));
    QVERIFY(!result.body.contains("sk-stored-secret-1"));
    QVERIFY(!result.body.contains(kToken));
    // Defaults are merged in; unknown keys are shown as they are.
    QCOMPARE(JsonUtil::valueAt(config, QStringLiteral("cron.max_workers")).toInt(), 4);
    QCOMPARE(JsonUtil::valueAt(config, QStringLiteral("webui_extension.theme")).toString(),
             QStringLiteral("dark"));
    QVERIFY(result.header("etag").startsWith('"'));
    // An unknown GET mode reads like the plain one (as the reference does).
    QCOMPARE(http(m_gateway->port(), "GET", "/api/config?mode=garbage", {}, auth()).body,
             result.body);
}

void TestApiConfig::getHotAndHotReloadFields_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("mode=hot") << QByteArray("/api/config?mode=hot");
    QTest::newRow("include_hot_reload_fields")
        << QByteArray("/api/config?include_hot_reload_fields=1");
    QTest::newRow("mode=HOT") << QByteArray("/api/config?mode=HOT");
}

void TestApiConfig::getHotAndHotReloadFields()
{
    QFETCH(QByteArray, target);
    const HttpResult result = http(m_gateway->port(), "GET", target, {}, auth());
    QCOMPARE(result.status, 200);
    QVERIFY(result.body.endsWith("}\n"));
    const QJsonObject payload = result.json();
    QCOMPARE(payload.value("ok").toBool(), true);
    QVERIFY(payload.value("config").toObject().contains("gateway"));
    const QStringList expected{"logging.*", "sentinel.*", "agents.*", "models.providers.*",
                               "tools.*",   "channels.*", "cron.*",   "agents.defaults.heartbeat.*",
                               "gateway.*"};
    QStringList paths;
    for (const QJsonValue &path : payload.value("hot_reload_fields").toArray())
        paths << path.toString();
    QCOMPARE(paths, expected);
    const QJsonArray details = payload.value("hot_reload_field_details").toArray();
    QCOMPARE(details.size(), 9);
    QCOMPARE(details.at(0).toObject().value("name").toString(), QStringLiteral("Logging"));
    QVERIFY(!details.at(0).toObject().value("description").toString().isEmpty());
    QCOMPARE(details.at(3).toObject().value("path").toString(),
             QStringLiteral("models.providers.*"));
}

void TestApiConfig::getNormalized()
{
    HttpResult result = http(m_gateway->port(), "GET", "/api/config?mode=normalized", {}, auth());
    QCOMPARE(result.status, 200);
    QJsonObject payload = result.json();
    QCOMPARE(payload.value("ok").toBool(), true);
    const QJsonObject core = payload.value("config").toObject().value("core").toObject();
    QCOMPARE(core.value("default_provider").toString(), QStringLiteral("openai"));
    QCOMPARE(core.value("default_model").toString(), QStringLiteral("m1"));
    QCOMPARE(core.value("gateway").toObject().value("port").toInt(), 18790);
    QCOMPARE(core.value("tools").toObject().value("shell_enabled").toBool(), true);
    const QJsonObject providerView = JsonUtil::valueAt(payload.value("config").toObject(),
                                                       QStringLiteral("runtime.providers.openai"))
                                         .toObject();
    QCOMPARE(providerView.value("api_base").toString(), QStringLiteral("http://127.0.0.1:9/v1"));
    QVERIFY(!providerView.contains("api_key"));
    QCOMPARE(
        JsonUtil::valueAt(payload.value("raw_config").toObject(), QStringLiteral("gateway.token"))
            .toString(),
        QStringLiteral("********"));
    QVERIFY(!payload.contains("hot_reload_fields"));
    result = http(m_gateway->port(), "GET",
                  "/api/config?mode=normalized&include_hot_reload_fields=1", {}, auth());
    QCOMPARE(result.json().value("hot_reload_fields").toArray().size(), 9);
}

void TestApiConfig::postRoundTripKeepsUnknownKeysAndSecrets()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    const HttpResult get = http(m_gateway->port(), "GET", "/api/config", {}, auth());
    QJsonObject edited = get.json();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 2);
    const HttpResult post =
        http(m_gateway->port(), "POST", "/api/config", QJsonDocument(edited).toJson(),
             auth("If-Match", get.header("etag")));
    QCOMPARE(post.status, 200);
    QCOMPARE(post.body, QByteArray("{\"ok\":true}\n"));
    QVERIFY(post.header("etag") != get.header("etag"));
    QCOMPARE(events.next(QStringLiteral("config_changed")),
             (QJsonObject{{"type", "config_changed"}, {"source", "webui"}}));

    const QJsonObject file = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("cron.max_workers")).toInt(), 2);
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("webui_extension.theme")).toString(),
             QStringLiteral("dark"));
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("channels.weixin.future_flag")).toBool(), true);
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("models.providers.openai.api_key")).toString(),
             QStringLiteral("sk-stored-secret-1"));
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("gateway.token")).toString(),
             QString::fromLatin1(kToken));
    QCOMPARE(fileMode(m_gateway->configPath()), 0600);
    // The token still works after the save.
    QCOMPARE(http(m_gateway->port(), "GET", "/api/version", {}, auth()).status, 200);
}

void TestApiConfig::postInvalidConfigIsRejected()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    const QByteArray before = m_gateway->readConfigFile();
    QJsonObject edited = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(edited, QStringLiteral("agents.defaults.max_tool_iterations"), 0);
    JsonUtil::setValueAt(edited, QStringLiteral("gateway.port"), 0);
    const HttpResult post =
        http(m_gateway->port(), "POST", "/api/config", QJsonDocument(edited).toJson(), auth());
    QCOMPARE(post.status, 400);
    QCOMPARE(post.header("content-type"), QByteArray("application/json"));
    const QJsonObject payload = post.json();
    QCOMPARE(payload.value("ok").toBool(), false);
    QVERIFY(payload.value("error").toString().startsWith(QLatin1String("invalid config: ")));
    QVERIFY(payload.value("errors").toArray().contains(
        QJsonValue("agents.defaults.max_tool_iterations must be > 0")));
    QVERIFY(
        payload.value("errors").toArray().contains(QJsonValue("gateway.port must be in 1..65535")));
    QCOMPARE(m_gateway->readConfigFile(), before);
    QTest::qWait(100);
    QCOMPARE(events.count(QStringLiteral("config_changed")), 0);
}

void TestApiConfig::postDecodeErrors_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expectedPrefix");
    QTest::newRow("truncated") << QByteArray("/api/config") << QByteArray("{")
                               << QByteArray("decode config: ");
    QTest::newRow("empty") << QByteArray("/api/config") << QByteArray("")
                           << QByteArray("decode config: EOF\n");
    QTest::newRow("array") << QByteArray("/api/config") << QByteArray("[1]")
                           << QByteArray("decode config: expected a JSON object");
    QTest::newRow("bogus mode") << QByteArray("/api/config?mode=bogus") << QByteArray("{}")
                                << QByteArray("unsupported config mode: bogus\n");
    QTest::newRow("normalized garbage")
        << QByteArray("/api/config?mode=normalized") << QByteArray("nope")
        << QByteArray("decode normalized config: ");
}

void TestApiConfig::postDecodeErrors()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expectedPrefix);
    const QByteArray before = m_gateway->readConfigFile();
    const HttpResult post = http(m_gateway->port(), "POST", target, body, auth());
    QCOMPARE(post.status, 400);
    QVERIFY2(post.body.startsWith(expectedPrefix), post.body.constData());
    QCOMPARE(m_gateway->readConfigFile(), before);
}

void TestApiConfig::postWithStaleEtagConflicts()
{
    const HttpResult get = http(m_gateway->port(), "GET", "/api/config", {}, auth());
    QJsonObject first = get.json();
    JsonUtil::setValueAt(first, QStringLiteral("cron.max_workers"), 2);
    QCOMPARE(http(m_gateway->port(), "POST", "/api/config", QJsonDocument(first).toJson(),
                  auth("If-Match", get.header("etag")))
                 .status,
             200);
    const QByteArray afterFirst = m_gateway->readConfigFile();
    QJsonObject second = get.json();
    JsonUtil::setValueAt(second, QStringLiteral("cron.max_workers"), 3);
    const HttpResult conflict =
        http(m_gateway->port(), "POST", "/api/config", QJsonDocument(second).toJson(),
             auth("If-Match", get.header("etag")));
    QCOMPARE(conflict.status, 409);
    QCOMPARE(conflict.json().value("ok").toBool(), false);
    QCOMPARE(m_gateway->readConfigFile(), afterFirst);
}

void TestApiConfig::postWithoutTokenKeepsToken()
{
    const HttpResult post = http(m_gateway->port(), "POST", "/api/config",
                                 R"({"gateway":{"host":"127.0.0.1","port":18790}})", auth());
    QCOMPARE(post.status, 200);
    const QJsonObject file = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("gateway.token")).toString(),
             QString::fromLatin1(kToken));
    QCOMPARE(http(m_gateway->port(), "GET", "/api/version", {}, auth()).status, 200);
    // A raw body is the whole config: omitted sections are back to their defaults.
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("models.providers.openai.api_base")).toString(),
             QStringLiteral("https://api.openai.com/v1"));
}

void TestApiConfig::postNormalized()
{
    const HttpResult post = http(
        m_gateway->port(), "POST", "/api/config?mode=normalized",
        R"({"core":{"gateway":{"host":"127.0.0.1","port":18791},"tools":{"shell_enabled":false,"mcp_enabled":true}}})",
        auth());
    QCOMPARE(post.status, 200);
    const QJsonObject file = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("gateway.port")).toInt(), 18791);
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("tools.shell.enabled")).toBool(), false);
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("tools.mcp.enabled")).toBool(), true);
    // Everything the view does not carry is kept.
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("models.providers.openai.api_key")).toString(),
             QStringLiteral("sk-stored-secret-1"));
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("webui_extension.theme")).toString(),
             QStringLiteral("dark"));
}

void TestApiConfig::failedSaveAnswers500AndKeepsTheFile()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    const QByteArray before = m_gateway->readConfigFile();
    QJsonObject edited = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 3);
    const QByteArray body = QJsonDocument(edited).toJson();
    // A real write failure, even as root: no file of this process may grow past 64 bytes
    // while the request is handled (the request is sent before the limit is set).
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit original;
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &original), 0);
    QByteArray received;
    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    struct rlimit tiny = original;
    tiny.rlim_cur = 64;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    socket.write("POST /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kToken +
                 "\r\nContent-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    const bool answered = waitFor([&] { return received.contains("\r\n\r\n"); });
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &original), 0);
    QVERIFY(answered);
    QVERIFY2(received.startsWith("HTTP/1.1 500"), received.constData());
    QVERIFY(received.contains("saving the config failed; the previous file is unchanged"));
    QCOMPARE(m_gateway->readConfigFile(), before);
    QCOMPARE(events.count(QStringLiteral("config_changed")), 0);
    QCOMPARE(JsonUtil::valueAt(http(m_gateway->port(), "GET", "/api/config", {}, auth()).json(),
                               QStringLiteral("cron.max_workers"))
                 .toInt(),
             4);
    QObject::disconnect(&socket, nullptr, this, nullptr);
}

void TestApiConfig::outsideEditsReachEventClients()
{
    EventsClient events;
    QVERIFY(events.open(m_gateway->port(), kToken));
    QJsonObject edited = QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 7);
    m_gateway->writeConfigFile(JsonUtil::pretty(edited));
    QCOMPARE(events.next(QStringLiteral("config_changed")),
             (QJsonObject{{"type", "config_changed"}, {"source", "watcher"}}));
    QCOMPARE(JsonUtil::valueAt(http(m_gateway->port(), "GET", "/api/config", {}, auth()).json(),
                               QStringLiteral("cron.max_workers"))
                 .toInt(),
             7);

    // A broken hand edit: the last good config stays, clients are told why.
    m_gateway->writeConfigFile("{ \"cron\": { \"max_workers\": 0 }, \"gateway\": {\"token\": \"" +
                               kToken + "\"} }");
    const QJsonObject rejected = events.next(QStringLiteral("config_rejected"));
    QCOMPARE(rejected.value("source").toString(), QStringLiteral("watcher"));
    QVERIFY(
        rejected.value("errors").toArray().contains(QJsonValue("cron.max_workers must be > 0")));
    QCOMPARE(JsonUtil::valueAt(http(m_gateway->port(), "GET", "/api/config", {}, auth()).json(),
                               QStringLiteral("cron.max_workers"))
                 .toInt(),
             7);
    m_gateway->writeConfigFile("{ not json");
    QVERIFY(events.next(QStringLiteral("config_rejected"))
                .value("error")
                .toString()
                .contains(QLatin1String("not valid JSON")));
    QCOMPARE(http(m_gateway->port(), "GET", "/api/version", {}, auth()).status, 200);
}

namespace {

// Starts `gateway` on a free port taken from the file (no override); the config it wrote.
QJsonObject startWithPortFromFile(TestGateway &gateway, quint16 port)
{
    QJsonObject config = baseConfig(gateway.dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), port);
    GatewayOptions options;
    options.port = -1;
    if (!gateway.start(config, options))
        return QJsonObject();
    return config;
}

} // namespace

void TestApiConfig::hostPortChangeRebinds()
{
    TestGateway gateway;
    const quint16 firstPort = freePort();
    QJsonObject config = startWithPortFromFile(gateway, firstPort);
    QVERIFY2(!config.isEmpty(), qPrintable(gateway.error()));
    QCOMPARE(gateway.port(), firstPort);
    const quint16 secondPort = freePort();
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), secondPort);
    const HttpResult post =
        http(firstPort, "POST", "/api/config", QJsonDocument(config).toJson(), auth());
    QCOMPARE(post.status, 200);
    QCOMPARE(gateway.port(), secondPort);
    QCOMPARE(http(secondPort, "GET", "/health").status, 200);
    QCOMPARE(http(firstPort, "GET", "/health").status, 0); // nobody listens there any more
}

// A port that is taken makes the rebind fail (still listening on the old one); setting the port
// back to the one bound says so by itself, without a restart of the listener.
void TestApiConfig::failedRebindClearsWhenTheAddressIsFixed()
{
    TestGateway gateway;
    const quint16 port = freePort();
    QJsonObject config = startWithPortFromFile(gateway, port);
    QVERIFY2(!config.isEmpty(), qPrintable(gateway.error()));
    QSignalSpy failed(gateway.gateway(), &Gateway::listenerFailed);
    QSignalSpy changed(gateway.gateway(), &Gateway::listenerChanged);
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), squatter.serverPort());
    QCOMPARE(http(port, "POST", "/api/config", QJsonDocument(config).toJson(), auth()).status, 200);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(changed.size(), 0);
    QCOMPARE(gateway.port(), port);
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), port);
    QCOMPARE(http(port, "POST", "/api/config", QJsonDocument(config).toJson(), auth()).status, 200);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(failed.size(), 1);
    // Once cleared, an unrelated save announces nothing.
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_hosts"), QJsonArray{"pc.lan"});
    QCOMPARE(http(port, "POST", "/api/config", QJsonDocument(config).toJson(), auth()).status, 200);
    QCOMPARE(changed.size(), 1);
}

void TestApiConfig::newValuesAreHeldToStricterRules_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("error"); // empty: accepted
    const QString hostError = QStringLiteral(
        "gateway.host must be an IP address or a host name, such as 127.0.0.1 or localhost");
    const QString modelError = QStringLiteral(
        "agents.defaults.model.primary must be written provider/model, such as openai/gpt-5.4");
    const QString urlError = QStringLiteral("models.providers.openai.api_base must be an http or "
                                            "https URL, such as https://api.openai.com/v1");
    QTest::newRow("host with a space") << "gateway.host" << QJsonValue("my laptop") << hostError;
    QTest::newRow("host with a slash") << "gateway.host" << QJsonValue("pc/1") << hostError;
    QTest::newRow("host label too long")
        << "gateway.host" << QJsonValue(QString(64, QLatin1Char('a'))) << hostError;
    QTest::newRow("host name") << "gateway.host" << QJsonValue("localhost") << QString();
    QTest::newRow("host ipv6") << "gateway.host" << QJsonValue("::1") << QString();
    QTest::newRow("host ipv6 brackets") << "gateway.host" << QJsonValue("[::1]") << QString();
    QTest::newRow("model without provider")
        << "agents.defaults.model.primary" << QJsonValue("nonsense") << modelError;
    QTest::newRow("model without model")
        << "agents.defaults.model.primary" << QJsonValue("openai/") << modelError;
    QTest::newRow("model") << "agents.defaults.model.primary" << QJsonValue("openai/gpt-x")
                           << QString();
    QTest::newRow("url text") << "models.providers.openai.api_base" << QJsonValue("not a url")
                              << urlError;
    QTest::newRow("url ftp") << "models.providers.openai.api_base" << QJsonValue("ftp://h.example/")
                             << urlError;
    QTest::newRow("url") << "models.providers.openai.api_base"
                         << QJsonValue("http://127.0.0.1:8080/v1") << QString();
}

void TestApiConfig::newValuesAreHeldToStricterRules()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, error);
    QJsonObject edited = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(edited, path, value);
    // A masked key is never sent to a new address: the URL rows clear it.
    if (path.endsWith(QLatin1String(".api_base")))
        JsonUtil::setValueAt(edited, QStringLiteral("models.providers.openai.api_key"), QString());
    const HttpResult post =
        http(m_gateway->port(), "POST", "/api/config", QJsonDocument(edited).toJson(), auth());
    if (error.isEmpty()) {
        QVERIFY2(post.status == 200, post.body.constData());
        return;
    }
    QCOMPARE(post.status, 400);
    QVERIFY2(post.json().value("errors").toArray().contains(error), post.body.constData());
}

// clawgo accepts a primary without a provider part, and a config that has one keeps working:
// the stricter rules look only at what a save changes.
void TestApiConfig::existingLenientValuesStillLoadAndSave()
{
    TestGateway gateway;
    QJsonObject config = baseConfig(gateway.dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("gpt-5.4"));
    QVERIFY2(gateway.start(config), qPrintable(gateway.error()));
    QJsonObject edited = http(gateway.port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 2);
    QCOMPARE(
        http(gateway.port(), "POST", "/api/config", QJsonDocument(edited).toJson(), auth()).status,
        200);
}

// Clearing the token opens the API (on loopback); setting it again closes it at once.
void TestApiConfig::tokenClearedThenSetAgainIsEnforced()
{
    for (int round = 0; round < 5; ++round) {
        QJsonObject config = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
        JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QString());
        QCOMPARE(
            http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth())
                .status,
            200);
        QCOMPARE(http(m_gateway->port(), "GET", "/api/version").status, 200);
        JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QString::fromLatin1(kToken));
        QCOMPARE(
            http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson()).status,
            200);
        QCOMPARE(http(m_gateway->port(), "GET", "/api/version").status, 401);
        QCOMPARE(http(m_gateway->port(), "GET", "/api/version", {}, auth()).status, 200);
    }
}

QTEST_GUILESS_MAIN(TestApiConfig)
#include "tst_api_config.moc"
