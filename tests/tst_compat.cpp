// Living next to clawgo: a clawgo home with every section of spec/config.md §2 round-trips
// through the API in both modes with only the intended change, our own keys move out of
// config.json into desktop.json (so clawgo keeps loading its file), no API answer (or log line)
// shows a secret of that home, and requests sent the way curl sends them work.

#include "core/configkeys.h"
#include "core/jsonutil.h"
#include "fakes/fakeilinkserver.h"
#include "testsupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>
#include <QWebSocket>

namespace {

const QByteArray kFixtureToken = "cg_fixture_token_0123456789abcdef";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kFixtureToken}, {"Content-Type", "application/json"}};
}

QByteArray fixtureBytes(const QString &dir, const QString &weixinBase = {})
{
    QFile file(QStringLiteral(CLAWGO_FIXTURES "/clawgo-home-config.json"));
    file.open(QIODevice::ReadOnly);
    QByteArray bytes = file.readAll();
    bytes.replace("@DIR@", dir.toUtf8());
    if (!weixinBase.isEmpty())
        bytes.replace("\"base_url\": \"http://127.0.0.1:9\"",
                      "\"base_url\": \"" + weixinBase.toUtf8() + "\"");
    return bytes;
}

QJsonObject readJson(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

// A config as clawgo reads it: its defaults under the file.
QJsonObject asClawgoReadsIt(const QJsonObject &file)
{
    const ConfigKeys::Split defaults =
        ConfigKeys::split(ConfigKeys::defaults(QStringLiteral("/x")), {});
    QJsonObject withoutWorkspace = defaults.clawgo; // paths differ by folder; the file has them
    return JsonUtil::deepMerge(withoutWorkspace, file, ConfigKeys::userOwnedMaps());
}

// Every path whose value differs between two documents.
QStringList differences(const QJsonValue &a, const QJsonValue &b, const QString &path = {})
{
    if (a.isObject() && b.isObject()) {
        QStringList out;
        QStringList keys = a.toObject().keys() + b.toObject().keys();
        keys.removeDuplicates();
        for (const QString &key : keys)
            out << differences(a.toObject().value(key), b.toObject().value(key),
                               path.isEmpty() ? key : path + QLatin1Char('.') + key);
        return out;
    }
    return a == b ? QStringList() : QStringList{path};
}

} // namespace

class TestCompat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void clawgoHomeRoundTrips_data();
    void clawgoHomeRoundTrips();
    void clawgoFileIsTouchedOnlyForClawgoChanges();
    void ourKeysMoveOutOfConfigJson();
    void noAnswerShowsASecret();
    void requestsAsCurlSendsThem_data();
    void requestsAsCurlSendsThem();
};

void TestCompat::clawgoHomeRoundTrips_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("viewPath"); // what the client changes, in the view it reads
    QTest::addColumn<QString>("rawPath");  // where that lands in config.json
    QTest::newRow("raw") << "raw"
                         << "cron.max_workers"
                         << "cron.max_workers";
    QTest::newRow("normalized") << "normalized"
                                << "runtime.router.max_hops"
                                << "agents.router.max_hops";
}

void TestCompat::clawgoHomeRoundTrips()
{
    QFETCH(QString, mode);
    QFETCH(QString, viewPath);
    QFETCH(QString, rawPath);
    TestGateway gateway;
    gateway.writeConfigFile(fixtureBytes(gateway.dir()));
    const QJsonObject before = readJson(gateway.configPath());
    QVERIFY(!before.isEmpty());
    QCOMPARE(ConfigKeys::strictDecodeErrors(before), QStringList()); // the fixture is clawgo's
    QVERIFY2(gateway.start(), qPrintable(gateway.error()));

    // The client reads, changes one value, and posts the whole thing back, secrets masked.
    const QByteArray query = "/api/config?mode=" + mode.toUtf8();
    QJsonObject read = http(gateway.port(), "GET", query, {}, auth()).json();
    if (mode == QLatin1String("normalized"))
        read = read.value("config").toObject();
    QVERIFY(!read.isEmpty());
    const int old = JsonUtil::valueAt(read, viewPath).toInt();
    QVERIFY(old > 0);
    JsonUtil::setValueAt(read, viewPath, old + 1);
    const HttpResult posted =
        http(gateway.port(), "POST", query, QJsonDocument(read).toJson(), auth());
    QVERIFY2(posted.status == 200, posted.body.constData());

    const QJsonObject after = readJson(gateway.configPath());
    QCOMPARE(ConfigKeys::strictDecodeErrors(after), QStringList());
    const QStringList changed = differences(asClawgoReadsIt(before), asClawgoReadsIt(after));
    QVERIFY2(changed == QStringList{rawPath}, qPrintable(changed.join(QLatin1String(", "))));
    QCOMPARE(JsonUtil::valueAt(after, rawPath).toInt(), old + 1);
    // Secrets are back in the file as they were (an existing clawgo home keeps them there).
    QCOMPARE(
        JsonUtil::valueAt(after, QStringLiteral("models.providers.codex.oauth.client_secret")),
        JsonUtil::valueAt(before, QStringLiteral("models.providers.codex.oauth.client_secret")));
    QVERIFY(!gateway.readConfigFile().contains("********"));
}

void TestCompat::clawgoFileIsTouchedOnlyForClawgoChanges()
{
    TestGateway gateway;
    const QByteArray original = fixtureBytes(gateway.dir());
    gateway.writeConfigFile(original);
    QVERIFY2(gateway.start(), qPrintable(gateway.error()));
    // The first start records its choice in desktop.json and leaves clawgo's file byte for byte.
    QCOMPARE(gateway.readConfigFile(), original);
    QCOMPARE(JsonUtil::valueAt(readJson(gateway.dir() + QStringLiteral("/desktop.json")),
                               QStringLiteral("secrets.keychain")),
             QJsonValue(false));
    // A change of our own keys: still untouched.
    QJsonObject config = http(gateway.port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_origins"),
                         QJsonArray{"https://app.example"});
    QCOMPARE(
        http(gateway.port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth()).status,
        200);
    QCOMPARE(gateway.readConfigFile(), original);
    // A change of clawgo's: written.
    JsonUtil::setValueAt(config, QStringLiteral("logging.max_size_mb"), 6);
    QCOMPARE(
        http(gateway.port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth()).status,
        200);
    QVERIFY(gateway.readConfigFile() != original);
    QCOMPARE(
        JsonUtil::valueAt(readJson(gateway.configPath()), QStringLiteral("logging.max_size_mb"))
            .toInt(),
        6);
}

void TestCompat::ourKeysMoveOutOfConfigJson()
{
    // An earlier version (or a hand edit) put our keys into config.json.
    TestGateway gateway;
    QJsonObject config = QJsonDocument::fromJson(fixtureBytes(gateway.dir())).object();
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_hosts"),
                         QJsonArray{"agent.example"});
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_origins"),
                         QJsonArray{"https://app.example"});
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.openai.network_proxy"),
                         QStringLiteral("http://127.0.0.1:3128"));
    JsonUtil::setValueAt(config, QStringLiteral("tools.filesystem.allow_outside_workspace"), true);
    JsonUtil::setValueAt(config, QStringLiteral("tools.web.fetch.allow_private"), true);
    QJsonObject weixin = JsonUtil::valueAt(config, QStringLiteral("channels.weixin")).toObject();
    QVERIFY(!ConfigKeys::strictDecodeErrors(config).isEmpty()); // clawgo refuses this file
    QVERIFY2(gateway.start(config), qPrintable(gateway.error()));

    // Moved at the start: clawgo loads config.json again, desktop.json has them.
    const QJsonObject file = readJson(gateway.configPath());
    QCOMPARE(ConfigKeys::strictDecodeErrors(file), QStringList());
    const QJsonObject desktop = readJson(gateway.dir() + QStringLiteral("/desktop.json"));
    QCOMPARE(JsonUtil::valueAt(desktop, QStringLiteral("gateway.allowed_hosts")).toArray(),
             QJsonArray{"agent.example"});
    QCOMPARE(JsonUtil::valueAt(desktop, QStringLiteral("models.providers.openai.network_proxy"))
                 .toString(),
             QStringLiteral("http://127.0.0.1:3128"));
    QCOMPARE(JsonUtil::valueAt(desktop, QStringLiteral("tools.filesystem.allow_outside_workspace"))
                 .toBool(),
             true);
    QCOMPARE(fileMode(gateway.dir() + QStringLiteral("/desktop.json")), 0600);
    // Everything else of config.json is as it was.
    QCOMPARE(JsonUtil::valueAt(file, QStringLiteral("channels.weixin")).toObject(), weixin);

    // In the API they are where they always were, and they still work.
    const QJsonObject shown = http(gateway.port(), "GET", "/api/config", {}, auth()).json();
    QCOMPARE(JsonUtil::valueAt(shown, QStringLiteral("gateway.allowed_hosts")).toArray(),
             QJsonArray{"agent.example"});
    QCOMPARE(JsonUtil::valueAt(shown, QStringLiteral("tools.web.fetch.allow_private")).toBool(),
             true);
    const HttpResult named =
        http(gateway.port(), "GET", "/api/version", {},
             {{"Host", "agent.example"}, {"Authorization", "Bearer " + kFixtureToken}});
    QCOMPARE(named.status, 200);

    // A save through the API writes each key to its file again.
    QJsonObject edit = shown;
    JsonUtil::setValueAt(edit, QStringLiteral("gateway.allowed_hosts"),
                         QJsonArray{"agent.example", "other.example"});
    QCOMPARE(
        http(gateway.port(), "POST", "/api/config", QJsonDocument(edit).toJson(), auth()).status,
        200);
    QCOMPARE(ConfigKeys::strictDecodeErrors(readJson(gateway.configPath())), QStringList());
    QCOMPARE(JsonUtil::valueAt(readJson(gateway.dir() + QStringLiteral("/desktop.json")),
                               QStringLiteral("gateway.allowed_hosts"))
                 .toArray()
                 .size(),
             2);

    // An outside edit of desktop.json is picked up like one of config.json.
    QJsonObject desktopEdit = readJson(gateway.dir() + QStringLiteral("/desktop.json"));
    JsonUtil::setValueAt(desktopEdit, QStringLiteral("gateway.allowed_hosts"),
                         QJsonArray{"third.example"});
    QFile desktopFile(gateway.dir() + QStringLiteral("/desktop.json"));
    QVERIFY(desktopFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    desktopFile.write(QJsonDocument(desktopEdit).toJson());
    desktopFile.close();
    QVERIFY(waitFor([&] {
        return http(gateway.port(), "GET", "/api/version", {},
                    {{"Host", "third.example"}, {"Authorization", "Bearer " + kFixtureToken}})
                   .status == 200;
    }));
}

void TestCompat::noAnswerShowsASecret()
{
    FakeILinkServer ilink;
    TestGateway gateway;
    QByteArray bytes = fixtureBytes(gateway.dir(), ilink.baseUrl());
    bytes.replace("\"enabled\": false,\n      \"base_url\"",
                  "\"enabled\": true,\n      \"base_url\"");
    gateway.writeConfigFile(bytes);
    QVERIFY2(gateway.start(), qPrintable(gateway.error()));
    QStringList secrets{QString::fromLatin1(kFixtureToken)};
    const QRegularExpression marker(QStringLiteral("FIXTURE-SECRET-[a-z-]+"));
    for (auto it = marker.globalMatch(QString::fromUtf8(bytes)); it.hasNext();)
        secrets << it.next().captured();
    secrets.removeDuplicates();
    QVERIFY2(secrets.size() > 12, qPrintable(secrets.join(',')));

    // Weixin polls (so its status has state), and an outside edit and a refused save produce
    // events.
    QVERIFY(waitFor([&] { return !ilink.requestsTo("/ilink/bot/getupdates").isEmpty(); }));
    QWebSocket events;
    QStringList eventTexts;
    QObject::connect(&events, &QWebSocket::textMessageReceived,
                     [&](const QString &message) { eventTexts << message; });
    events.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                         .arg(gateway.port())
                         .arg(QString::fromLatin1(kFixtureToken))));
    QVERIFY(waitFor([&] { return !eventTexts.isEmpty(); }));

    QList<QPair<QByteArray, HttpResult>> answers;
    for (const QByteArray &target :
         {QByteArray("/api/config"), QByteArray("/api/config?mode=raw"),
          QByteArray("/api/config?mode=hot"), QByteArray("/api/config?include_hot_reload_fields=1"),
          QByteArray("/api/config?mode=normalized"),
          QByteArray("/api/config?mode=normalized&include_hot_reload_fields=1"),
          QByteArray("/api/weixin/status"), QByteArray("/api/version"), QByteArray("/api/sessions"),
          QByteArray("/api/tool_allowlist_groups"), QByteArray("/api/logs/recent?limit=500")})
        answers.append({target, http(gateway.port(), "GET", target, {}, auth())});
    // Answers to saves: refused ones (a secret moved, an invalid value) and a good one.
    QJsonObject config = answers.first().second.json();
    QJsonObject moved = config;
    JsonUtil::setValueAt(moved, QStringLiteral("models.providers.openai.api_base"),
                         QStringLiteral("http://127.0.0.1:1/v1"));
    answers.append({"POST moved", http(gateway.port(), "POST", "/api/config",
                                       QJsonDocument(moved).toJson(), auth())});
    QJsonObject invalid = config;
    JsonUtil::setValueAt(invalid, QStringLiteral("channels.telegram.enabled"), true);
    JsonUtil::setValueAt(invalid, QStringLiteral("cron.max_workers"), 0);
    answers.append({"POST invalid", http(gateway.port(), "POST", "/api/config",
                                         QJsonDocument(invalid).toJson(), auth())});
    answers.append({"POST ok", http(gateway.port(), "POST", "/api/config",
                                    QJsonDocument(config).toJson(), auth())});
    QCOMPARE(answers.at(answers.size() - 3).second.status, 400);
    QCOMPARE(answers.last().second.status, 200);
    QVERIFY(waitFor([&] { return eventTexts.join(' ').contains("config_changed"); }));
    gateway.gateway()->stop(); // the log file is complete

    for (const auto &[what, answer] : std::as_const(answers)) {
        QVERIFY2(answer.status != 0, what.constData());
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(
                !answer.body.contains(secret.toUtf8()),
                qPrintable(QStringLiteral("%1 shows %2").arg(QString::fromUtf8(what), secret)));
    }
    for (const QString &text : std::as_const(eventTexts))
        for (const QString &secret : std::as_const(secrets))
            QVERIFY2(!text.contains(secret), qPrintable(text));
    QFile log(gateway.dir() + QStringLiteral("/logs/clawgo.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray logged = log.readAll();
    QVERIFY(!logged.isEmpty());
    for (const QString &secret : std::as_const(secrets))
        QVERIFY2(!logged.contains(secret.toUtf8()), qPrintable(secret));
}

void TestCompat::requestsAsCurlSendsThem_data()
{
    QTest::addColumn<QByteArray>("contentType");
    // `curl -d` without -H sends this; the reference reads the body as JSON all the same.
    QTest::newRow("curl -d") << QByteArray("application/x-www-form-urlencoded");
    QTest::newRow("text") << QByteArray("text/plain");
    QTest::newRow("none") << QByteArray();
    QTest::newRow("json") << QByteArray("application/json; charset=utf-8");
}

void TestCompat::requestsAsCurlSendsThem()
{
    QFETCH(QByteArray, contentType);
    TestGateway gateway;
    gateway.writeConfigFile(fixtureBytes(gateway.dir()));
    QVERIFY2(gateway.start(), qPrintable(gateway.error()));
    QList<QPair<QByteArray, QByteArray>> headers{{"Authorization", "Bearer " + kFixtureToken}};
    if (!contentType.isEmpty())
        headers.append({"Content-Type", contentType});
    const HttpResult memory = http(gateway.port(), "POST", "/api/memory",
                                   R"({"path":"curl.md","content":"from curl"})", headers);
    QVERIFY2(memory.status == 200, memory.body.constData());
    const HttpResult read = http(gateway.port(), "GET", "/api/memory?path=curl.md", {}, headers);
    QVERIFY(read.body.contains("from curl"));
    QJsonObject config = http(gateway.port(), "GET", "/api/config", {}, headers).json();
    JsonUtil::setValueAt(config, QStringLiteral("cron.max_workers"), 1);
    QCOMPARE(
        http(gateway.port(), "POST", "/api/config", QJsonDocument(config).toJson(), headers).status,
        200);
    // A multipart body is still no JSON body.
    QCOMPARE(http(gateway.port(), "POST", "/api/config", "{}",
                  {{"Authorization", "Bearer " + kFixtureToken},
                   {"Content-Type", "multipart/form-data; boundary=x"}})
                 .status,
             415);
}

QTEST_GUILESS_MAIN(TestCompat)
#include "tst_compat.moc"
