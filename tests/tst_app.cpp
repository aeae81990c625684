// The clawgo-desktop binary as a user runs it: options, first run, headless start and stop,
// signals, port conflicts, env twins.

#include "testsupport.h"

#include "core/jsonutil.h"
#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>
#include <csignal>
#include <cstdio>

class TestApp : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void helpListsEveryOption();
    void versionPrintsVersion();
    void firstRunCreatesConfigAndPrintsToken();
    void headlessStartServesAndStopsCleanly_data();
    void headlessStartServesAndStopsCleanly();
    void sighupReloadsTheConfig();
    void noDisplayRunsHeadlessAndSaysSo();
    void envTwinsAreHonoured();
    void portInUseExitsNonZeroNamingThePort();
    void openBindWithoutTokenRefuses();
    void invalidPortIsRejected();
    void secondHeadlessInstanceRefuses();

private:
    struct Running
    {
        std::unique_ptr<QProcess> process;
        quint16 port = 0;
        QByteArray stderrText;
    };
    QProcessEnvironment cleanEnvironment(const QString &home) const;
    Running startHeadless(const QStringList &arguments, const QProcessEnvironment &environment);
};

QProcessEnvironment TestApp::cleanEnvironment(const QString &home) const
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "CLAWGO_CONFIG",
                             "CLAWGO_HOST", "CLAWGO_PORT"})
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("HOME"), home);
    return environment;
}

TestApp::Running TestApp::startHeadless(const QStringList &arguments,
                                        const QProcessEnvironment &environment)
{
    Running running;
    running.process = std::make_unique<QProcess>();
    running.process->setProcessEnvironment(environment);
    running.process->start(QStringLiteral(CLAWGO_BINARY), arguments);
    static const QRegularExpression apiAt(QStringLiteral("API at http://127\\.0\\.0\\.1:(\\d+)"));
    waitFor(
        [&] {
            running.stderrText += running.process->readAllStandardError();
            const auto match = apiAt.match(QString::fromUtf8(running.stderrText));
            if (match.hasMatch())
                running.port = quint16(match.captured(1).toUInt());
            return running.port != 0 || running.process->state() == QProcess::NotRunning;
        },
        10000);
    return running;
}

void TestApp::helpListsEveryOption()
{
    QProcess process;
    process.start(QStringLiteral(CLAWGO_BINARY), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray help = process.readAllStandardOutput();
    for (const char *option :
         {"--no-gui", "--config", "--host", "--port", "--print-token", "--version", "--help",
          "CLAWGO_CONFIG", "CLAWGO_HOST", "CLAWGO_PORT"})
        QVERIFY2(help.contains(option), option);
}

void TestApp::versionPrintsVersion()
{
    QProcess process;
    process.start(QStringLiteral(CLAWGO_BINARY), {QStringLiteral("--version")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QVERIFY(process.readAllStandardOutput().contains(CLAWGO_VERSION));
}

void TestApp::firstRunCreatesConfigAndPrintsToken()
{
    QTemporaryDir home;
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment(home.path()));
    process.start(QStringLiteral(CLAWGO_BINARY), {QStringLiteral("--print-token")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QString token = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
    QVERIFY(QRegularExpression(QStringLiteral("^cg_[0-9a-f]{32}$")).match(token).hasMatch());
    const QString configPath = home.filePath(QStringLiteral(".clawgo/config.json"));
    QCOMPARE(fileMode(configPath), 0600);
    QCOMPARE(fileMode(home.filePath(QStringLiteral(".clawgo"))), 0700);
    QFile file(configPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll())
                 .object()
                 .value("gateway")
                 .toObject()
                 .value("token")
                 .toString(),
             token);
}

void TestApp::headlessStartServesAndStopsCleanly_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestApp::headlessStartServesAndStopsCleanly()
{
    QFETCH(int, signalNumber);
    QTemporaryDir home;
    Running running =
        startHeadless({QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("0")},
                      cleanEnvironment(home.path()));
    QVERIFY2(running.port != 0, running.stderrText.constData());
    QVERIFY(running.stderrText.contains("First run: created"));
    QVERIFY(running.stderrText.contains("--print-token"));
    QVERIFY(!running.stderrText.contains("cg_")); // the token itself is not printed
    // The workspace comes from our templates.
    QVERIFY(QFile::exists(home.filePath(QStringLiteral(".clawgo/workspace/AGENTS.md"))));
    QVERIFY(QFile::exists(home.filePath(QStringLiteral(".clawgo/workspace/SOUL.md"))));
    const HttpResult health = http(running.port, "GET", "/health");
    QCOMPARE(health.status, 200);
    QCOMPARE(health.body, QByteArray("ok"));
    QCOMPARE(http(running.port, "GET", "/api/version").status, 401);
    ::kill(pid_t(running.process->processId()), signalNumber);
    QVERIFY(running.process->waitForFinished(10000));
    QCOMPARE(running.process->exitStatus(), QProcess::NormalExit);
    QCOMPARE(running.process->exitCode(), 0);
    running.stderrText += running.process->readAllStandardError();
    QVERIFY(running.stderrText.contains("shutting down"));
    // Logs went to the log file as JSON lines too.
    QFile log(home.filePath(QStringLiteral(".clawgo/logs/clawgo.log")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("\"component\":\"app\""));
}

// What clawgo's `config set` does against a running gateway: rewrite config.json (temp file
// and rename), read gateway.pid, send SIGHUP.
void TestApp::sighupReloadsTheConfig()
{
    QTemporaryDir home;
    Running running =
        startHeadless({QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("0")},
                      cleanEnvironment(home.path()));
    QVERIFY2(running.port != 0, running.stderrText.constData());
    const QString pidPath = home.filePath(QStringLiteral(".clawgo/gateway.pid"));
    QFile pidFile(pidPath);
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const QByteArray pidText = pidFile.readAll();
    pidFile.close();
    QCOMPARE(pidText, QByteArray::number(running.process->processId()) + '\n');
    QCOMPARE(fileMode(pidPath), 0644);

    const QString configPath = home.filePath(QStringLiteral(".clawgo/config.json"));
    QFile config(configPath);
    QVERIFY(config.open(QIODevice::ReadOnly));
    QJsonObject edited = QJsonDocument::fromJson(config.readAll()).object();
    config.close();
    const QByteArray token =
        JsonUtil::valueAt(edited, QStringLiteral("gateway.token")).toString().toUtf8();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 9);
    QFile temp(configPath + QStringLiteral(".tmp"));
    QVERIFY(temp.open(QIODevice::WriteOnly));
    temp.write(QJsonDocument(edited).toJson());
    temp.close();
    QVERIFY(::rename(QFile::encodeName(temp.fileName()).constData(),
                     QFile::encodeName(configPath).constData()) == 0);
    ::kill(pid_t(pidText.trimmed().toLongLong()), SIGHUP);
    QVERIFY(waitFor([&] {
        running.stderrText += running.process->readAllStandardError();
        return running.stderrText.contains("SIGHUP received, reloading the config");
    }));
    QVERIFY(waitFor([&] {
        const QJsonObject served =
            http(running.port, "GET", "/api/config", {}, {{"Authorization", "Bearer " + token}})
                .json();
        return JsonUtil::valueAt(served, QStringLiteral("cron.max_workers")).toInt() == 9;
    }));
    QCOMPARE(running.process->state(), QProcess::Running);
    running.process->terminate();
    QVERIFY(running.process->waitForFinished(10000));
    QCOMPARE(running.process->exitCode(), 0);
    QVERIFY(!QFile::exists(pidPath)); // removed on a clean exit
}

void TestApp::noDisplayRunsHeadlessAndSaysSo()
{
    QTemporaryDir home;
    Running running = startHeadless({QStringLiteral("--port"), QStringLiteral("0")},
                                    cleanEnvironment(home.path()));
    QVERIFY2(running.port != 0, running.stderrText.constData());
    QVERIFY(running.stderrText.contains("No display found"));
    QVERIFY(running.stderrText.contains("running headless"));
    QCOMPARE(http(running.port, "GET", "/health").status, 200);
    running.process->terminate();
    QVERIFY(running.process->waitForFinished(10000));
}

void TestApp::envTwinsAreHonoured()
{
    QTemporaryDir home;
    QTemporaryDir elsewhere;
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QProcessEnvironment environment = cleanEnvironment(home.path());
    const QString configPath = elsewhere.filePath(QStringLiteral("custom/config.json"));
    environment.insert(QStringLiteral("CLAWGO_CONFIG"), configPath);
    environment.insert(QStringLiteral("CLAWGO_PORT"), QString::number(port));
    environment.insert(QStringLiteral("CLAWGO_HOST"), QStringLiteral("127.0.0.1"));
    Running running = startHeadless({QStringLiteral("--no-gui")}, environment);
    QCOMPARE(running.port, port);
    QVERIFY(QFile::exists(configPath));
    QVERIFY(!QFile::exists(home.filePath(QStringLiteral(".clawgo/config.json"))));
    // The overrides are not written into the file.
    QFile file(configPath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll())
                 .object()
                 .value("gateway")
                 .toObject()
                 .value("port")
                 .toInt(),
             18790);
    running.process->terminate();
    QVERIFY(running.process->waitForFinished(10000));
}

void TestApp::portInUseExitsNonZeroNamingThePort()
{
    QTemporaryDir home;
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(occupier.serverPort());
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment(home.path()));
    process.start(QStringLiteral(CLAWGO_BINARY),
                  {QStringLiteral("--no-gui"), QStringLiteral("--port"), port});
    QVERIFY(process.waitForFinished(10000));
    QVERIFY(process.exitCode() != 0);
    const QByteArray errors = process.readAllStandardError();
    QVERIFY2(errors.contains(port.toUtf8()), errors.constData());
}

void TestApp::openBindWithoutTokenRefuses()
{
    QTemporaryDir home;
    QDir().mkpath(home.filePath(QStringLiteral(".clawgo")));
    QFile file(home.filePath(QStringLiteral(".clawgo/config.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"gateway":{"host":"127.0.0.1","token":""}})");
    file.close();
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment(home.path()));
    process.start(QStringLiteral(CLAWGO_BINARY),
                  {QStringLiteral("--no-gui"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                   QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 1);
    QVERIFY(process.readAllStandardError().contains("empty gateway.token"));
}

void TestApp::invalidPortIsRejected()
{
    QTemporaryDir home;
    QProcess process;
    process.setProcessEnvironment(cleanEnvironment(home.path()));
    process.start(QStringLiteral(CLAWGO_BINARY),
                  {QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("99999")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 2);
    QVERIFY(process.readAllStandardError().contains("invalid port"));
}

void TestApp::secondHeadlessInstanceRefuses()
{
    QTemporaryDir home;
    Running first =
        startHeadless({QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("0")},
                      cleanEnvironment(home.path()));
    QVERIFY2(first.port != 0, first.stderrText.constData());
    // The lock file is private like the rest of the folder (QLockFile makes it 0644).
    QCOMPARE(fileMode(home.filePath(QStringLiteral(".clawgo/clawgo-desktop.lock"))), 0600);
    QProcess second;
    second.setProcessEnvironment(cleanEnvironment(home.path()));
    second.start(QStringLiteral(CLAWGO_BINARY),
                 {QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("0")});
    QVERIFY(second.waitForFinished(10000));
    QCOMPARE(second.exitCode(), 3);
    const QByteArray errors = second.readAllStandardError();
    QVERIFY2(errors.contains("already runs"), errors.constData());
    QVERIFY(errors.contains("PID " + QByteArray::number(first.process->processId())));
    QVERIFY(errors.contains("API at http://127.0.0.1:" + QByteArray::number(first.port)));
    first.process->terminate();
    QVERIFY(first.process->waitForFinished(10000));
    // Once it has stopped, the next start goes through.
    Running third =
        startHeadless({QStringLiteral("--no-gui"), QStringLiteral("--port"), QStringLiteral("0")},
                      cleanEnvironment(home.path()));
    QVERIFY2(third.port != 0, third.stderrText.constData());
    third.process->terminate();
    QVERIFY(third.process->waitForFinished(10000));
}

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
