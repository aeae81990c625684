// /api/logs/recent and /api/logs/live against a real gateway and a real log file.

#include "core/jsonutil.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QWebSocket>

namespace {
const QByteArray kToken = "cg_test_token_0123456789";
}

class TestApiLogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void recentParsesJsonAndWrapsPlainLines();
    void recentLimit_data();
    void recentLimit();
    void recentOnALargeFileReadsOnlyTheTail();
    void recentMissingFileIs500();
    void liveStreamsNewLinesAndFollowsRotation();
    void liveMissingFileSendsError();
    void gatewayLogsItsOwnRequests();

private:
    void writeLog(const QByteArray &bytes, bool append = false);
    QString logPath() const { return m_gateway.dir() + QStringLiteral("/logs/test.log"); }
    TestGateway m_gateway;
};

void TestApiLogs::initTestCase()
{
    QJsonObject config = baseConfig(m_gateway.dir(), QString::fromLatin1(kToken));
    // The gateway must not write into the file these tests control.
    JsonUtil::setValueAt(config, QStringLiteral("logging.enabled"), false);
    JsonUtil::setValueAt(config, QStringLiteral("logging.filename"), QStringLiteral("test.log"));
    QVERIFY2(m_gateway.start(config), qPrintable(m_gateway.error()));
    QDir().mkpath(m_gateway.dir() + QStringLiteral("/logs"));
}

void TestApiLogs::init()
{
    writeLog(QByteArray());
}

void TestApiLogs::writeLog(const QByteArray &bytes, bool append)
{
    QFile file(logPath());
    QVERIFY(file.open(append ? QIODevice::Append : (QIODevice::WriteOnly | QIODevice::Truncate)));
    file.write(bytes);
}

static HttpResult getRecent(quint16 port, const QByteArray &query)
{
    return http(port, "GET", "/api/logs/recent" + query, {},
                {{"Authorization", "Bearer " + kToken}});
}

void TestApiLogs::recentParsesJsonAndWrapsPlainLines()
{
    writeLog("{\"level\":\"INFO\",\"msg\":\"a\"}\n\nplain text line\r\n");
    const HttpResult result = getRecent(m_gateway.port(), "?limit=3");
    QCOMPARE(result.status, 200);
    const QJsonArray logs = result.json().value("logs").toArray();
    QCOMPARE(logs.size(), 2);
    QCOMPARE(logs.at(0).toObject(), (QJsonObject{{"level", "INFO"}, {"msg", "a"}}));
    const QJsonObject wrapped = logs.at(1).toObject();
    QCOMPARE(wrapped.value("msg").toString(), QStringLiteral("plain text line"));
    QCOMPARE(wrapped.value("level").toString(), QStringLiteral("INFO"));
    QVERIFY(QDateTime::fromString(wrapped.value("time").toString(), Qt::ISODate).isValid());
}

void TestApiLogs::recentLimit_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<int>("expected");
    QTest::newRow("default") << QByteArray("") << 10;
    QTest::newRow("five") << QByteArray("?limit=5") << 5;
    QTest::newRow("capped") << QByteArray("?limit=999") << 200;
    QTest::newRow("negative") << QByteArray("?limit=-1") << 10;
    QTest::newRow("garbage") << QByteArray("?limit=abc") << 10;
}

void TestApiLogs::recentLimit()
{
    QFETCH(QByteArray, query);
    QFETCH(int, expected);
    QByteArray lines;
    for (int i = 0; i < 300; ++i)
        lines += "{\"n\":" + QByteArray::number(i) + "}\n";
    writeLog(lines);
    const QJsonArray logs = getRecent(m_gateway.port(), query).json().value("logs").toArray();
    QCOMPARE(logs.size(), expected);
    // Oldest first, ending with the last line of the file.
    QCOMPARE(logs.last().toObject().value("n").toInt(), 299);
    QCOMPARE(logs.first().toObject().value("n").toInt(), 300 - expected);
}

void TestApiLogs::recentOnALargeFileReadsOnlyTheTail()
{
    // 40 MiB of old lines: far more than the reader may scan, so a correct tail proves it
    // read backwards from the end.
    QByteArray filler;
    for (int i = 0; i < 1000; ++i)
        filler += "{\"level\":\"INFO\",\"msg\":\"" + QByteArray(4000, 'o') + "\"}\n";
    writeLog(QByteArray());
    for (int i = 0; i < 10; ++i)
        writeLog(filler, true);
    writeLog("{\"msg\":\"newest-1\"}\n{\"msg\":\"newest-2\"}\n", true);
    const QJsonArray logs = getRecent(m_gateway.port(), "?limit=2").json().value("logs").toArray();
    QCOMPARE(logs.size(), 2);
    QCOMPARE(logs.at(0).toObject().value("msg").toString(), QStringLiteral("newest-1"));
    QCOMPARE(logs.at(1).toObject().value("msg").toString(), QStringLiteral("newest-2"));
    QCOMPARE(getRecent(m_gateway.port(), "?limit=200").json().value("logs").toArray().size(), 200);
}

void TestApiLogs::recentMissingFileIs500()
{
    QFile::remove(logPath());
    const HttpResult result = getRecent(m_gateway.port(), "");
    QCOMPARE(result.status, 500);
    QCOMPARE(result.header("content-type"), QByteArray("text/plain; charset=utf-8"));
    QVERIFY(!result.body.contains(m_gateway.dir().toUtf8())); // no internals
}

void TestApiLogs::liveStreamsNewLinesAndFollowsRotation()
{
    writeLog("{\"msg\":\"before connect\"}\n");
    QList<QJsonObject> messages;
    QWebSocket socket;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        messages << QJsonDocument::fromJson(text.toUtf8()).object();
    });
    bool connected = false;
    connect(&socket, &QWebSocket::connected, this, [&] { connected = true; });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/logs/live?token=%2")
                         .arg(m_gateway.port())
                         .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return connected; }));
    QTest::qWait(60); // let the tail take its starting position

    writeLog("{\"level\":\"INFO\",\"msg\":\"one\"}\nplain two\n{\"msg\":\"par", true);
    QVERIFY(waitFor([&] { return messages.size() >= 2; }));
    QCOMPARE(messages.at(0),
             (QJsonObject{{"ok", true},
                          {"type", "log_entry"},
                          {"entry", QJsonObject{{"level", "INFO"}, {"msg", "one"}}}}));
    QCOMPARE(messages.at(1).value("entry").toObject().value("msg").toString(),
             QStringLiteral("plain two"));
    QTest::qWait(80);
    QCOMPARE(messages.size(), 2); // the partial line waits for its newline
    writeLog("tial\"}\n", true);
    QVERIFY(waitFor([&] { return messages.size() >= 3; }));
    QCOMPARE(messages.at(2).value("entry").toObject().value("msg").toString(),
             QStringLiteral("partial"));

    // Rotation as the logger does it: rename, then a new file at the same path.
    QVERIFY(QFile::rename(logPath(), logPath() + QStringLiteral(".20260510-120000")));
    writeLog("{\"msg\":\"after rotation\"}\n");
    QVERIFY(waitFor([&] { return messages.size() >= 4; }));
    QCOMPARE(messages.at(3).value("entry").toObject().value("msg").toString(),
             QStringLiteral("after rotation"));

    // Truncation in place.
    writeLog("{\"msg\":\"after truncation\"}\n");
    QVERIFY(waitFor([&] { return messages.size() >= 5; }));
    QCOMPARE(messages.at(4).value("entry").toObject().value("msg").toString(),
             QStringLiteral("after truncation"));
    QObject::disconnect(&socket, nullptr, this, nullptr);
}

void TestApiLogs::liveMissingFileSendsError()
{
    QFile::remove(logPath());
    QList<QJsonObject> messages;
    bool closed = false;
    QWebSocket socket;
    connect(&socket, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        messages << QJsonDocument::fromJson(text.toUtf8()).object();
    });
    connect(&socket, &QWebSocket::disconnected, this, [&] { closed = true; });
    socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/logs/live?token=%2")
                         .arg(m_gateway.port())
                         .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return closed; }));
    QCOMPARE(messages.size(), 1);
    // The setting to look at, never the local path.
    QCOMPARE(messages.first(),
             (QJsonObject{{"ok", false},
                          {"error", QStringLiteral("the log file does not exist yet (is "
                                                   "logging.enabled on?)")}}));
    QVERIFY(!QJsonDocument(messages.first()).toJson().contains(m_gateway.dir().toUtf8()));
    QObject::disconnect(&socket, nullptr, this, nullptr);
}

void TestApiLogs::gatewayLogsItsOwnRequests()
{
    TestGateway logging;
    QVERIFY2(logging.start(baseConfig(logging.dir(), QString::fromLatin1(kToken))),
             qPrintable(logging.error()));
    // A failed login is logged; the token it tried is not.
    http(logging.port(), "GET", "/api/version?token=guess-one-two-three");
    const QJsonArray logs = http(logging.port(), "GET", "/api/logs/recent?limit=50", {},
                                 {{"Authorization", "Bearer " + kToken}})
                                .json()
                                .value("logs")
                                .toArray();
    bool found = false;
    for (const QJsonValue &entry : logs) {
        const QJsonObject object = entry.toObject();
        QVERIFY(!QJsonDocument(object).toJson().contains("guess-one-two-three"));
        if (object.value("component").toString() == QLatin1String("auth") &&
            object.value("msg").toString().contains(QLatin1String("unauthorized GET /api/version")))
            found = true;
    }
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestApiLogs)
#include "tst_api_logs.moc"
