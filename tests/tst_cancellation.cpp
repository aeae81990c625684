// Clients that hang up while the gateway works for them (DESIGN.md, decision 14): during each
// kind of tool, during a provider call and during an upload. The work is cancelled, not
// deleted from under its callbacks: the process survives, a cancelled command's whole process
// group is gone (a background child never gets to write its file), the session is free for the
// next turn and nothing is left half-written. CLAWGO_CANCEL_REPEAT repeats each case (the
// bench/run-cancel-asan.sh script runs it 50 times under AddressSanitizer).

#include "core/jsonutil.h"
#include "core/loghub.h"
#include "fakes/fakeopenaiserver.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

int repeats()
{
    const int n = qEnvironmentVariableIntValue("CLAWGO_CANCEL_REPEAT");
    return n > 0 ? n : 2;
}

// True while any process has `needle` in its command line.
bool processRunning(const QByteArray &needle)
{
    QDirIterator it(QStringLiteral("/proc"), QDir::Dirs | QDir::NoDotAndDotDot);
    while (it.hasNext()) {
        QFile cmdline(it.next() + QStringLiteral("/cmdline"));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(needle))
            return true;
    }
    return false;
}

// Sends a request and keeps the connection open until abort().
class HangingClient
{
public:
    bool send(quint16 port, const QByteArray &request)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!waitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }))
            return false;
        m_socket.write(request);
        return true;
    }
    void abort() { m_socket.abort(); }

private:
    QTcpSocket m_socket;
};

QByteArray chatRequest(quint16 port, const QString &session, const QString &message)
{
    const QByteArray body =
        QJsonDocument(QJsonObject{{"session", session}, {"message", message}}).toJson();
    return "POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nAuthorization: Bearer " + kToken +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestCancellation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void clientLeavesDuringATool_data();
    void clientLeavesDuringATool();
    void clientLeavesDuringTheProviderCall();
    void clientLeavesDuringAnUpload();

private:
    // The session answers a new turn at once: the cancelled one released it.
    void expectSessionFree(const QString &session);

    std::unique_ptr<FakeOpenAiServer> m_fake;
    std::unique_ptr<TestGateway> m_gateway;
    QTcpServer m_silentServer; // accepts and never answers (a web_fetch that hangs)
};

void TestCancellation::init()
{
    if (qEnvironmentVariableIsSet("CLAWGO_TEST_DEBUG")) {
        LogHub::install();
        LogHub::instance()->setStderrEnabled(true);
    }
    m_fake = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", m_fake->apiBase()},
                                 {"models", QJsonArray{"fake-model"}},
                                 {"timeout_sec", 30},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/fake-model"));
    JsonUtil::setValueAt(config, QStringLiteral("tools.web.fetch.allow_private"), true);
    // Summarising a long session would take the fake's scripted replies meant for the turns.
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.context_compaction.enabled"),
                         false);
    QVERIFY2(m_gateway->start(config), qPrintable(m_gateway->error()));
    if (!m_silentServer.isListening())
        QVERIFY(m_silentServer.listen(QHostAddress::LocalHost));
}

void TestCancellation::cleanup()
{
    m_gateway.reset();
    m_fake.reset();
}

void TestCancellation::expectSessionFree(const QString &session)
{
    m_fake->clearScript(); // what the cancelled turn never asked for
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("fresh")));
    const HttpResult next =
        http(m_gateway->port(), "POST", "/api/chat",
             QJsonDocument(QJsonObject{{"session", session}, {"message", "again"}}).toJson(),
             {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}});
    QCOMPARE(next.status, 200);
    QCOMPARE(next.json().value("reply").toString(), QStringLiteral("fresh"));
}

void TestCancellation::clientLeavesDuringATool_data()
{
    QTest::addColumn<QString>("tool");
    QTest::newRow("exec") << "exec";
    QTest::newRow("web_fetch") << "web_fetch";
    QTest::newRow("read_file") << "read_file";
    QTest::newRow("write_file") << "write_file";
}

void TestCancellation::clientLeavesDuringATool()
{
    QFETCH(QString, tool);
    const QString workspace = m_gateway->dir() + QStringLiteral("/workspace");
    for (int round = 0; round < repeats(); ++round) {
        const QString session = QStringLiteral("%1-%2").arg(tool).arg(round);
        const QString started = workspace + QStringLiteral("/started-%1").arg(round);
        const QString late = workspace + QStringLiteral("/late-%1").arg(round);
        // A distinctive duration marks the command's processes in /proc.
        const QByteArray sleeper = "29." + QByteArray::number(4200 + round);
        QJsonObject arguments;
        if (tool == QLatin1String("exec"))
            arguments = {{"command", QStringLiteral("touch %1; (sleep 0.3; touch %2) & sleep %3")
                                         .arg(started, late, QString::fromLatin1(sleeper))}};
        else if (tool == QLatin1String("web_fetch"))
            arguments = {
                {"url",
                 QStringLiteral("http://127.0.0.1:%1/slow").arg(m_silentServer.serverPort())}};
        else if (tool == QLatin1String("read_file"))
            arguments = {{"path", "AGENTS.md"}};
        else
            arguments = {{"path", QStringLiteral("out-%1.txt").arg(round)},
                         {"content", QString(200000, QLatin1Char('w'))}};
        m_fake->enqueue(
            FakeLlmReply::chatToolCall(QStringLiteral("call_%1").arg(round), tool, arguments));
        // The model's answer after the tool: slow, so the client is gone before it completes.
        FakeLlmReply after = FakeLlmReply::chatStream({"never ", "seen"});
        after.firstByteDelayMs = 2000;
        m_fake->enqueue(after);
        const qsizetype before = m_fake->requests().size();

        HangingClient client;
        QVERIFY(client.send(m_gateway->port(), chatRequest(m_gateway->port(), session,
                                                           QStringLiteral("use the tool"))));
        if (tool == QLatin1String("exec")) {
            QVERIFY(waitFor([&] { return QFile::exists(started); }, 5000));
            QVERIFY(processRunning(sleeper));
        } else if (tool == QLatin1String("web_fetch")) {
            QVERIFY(waitFor([&] { return m_silentServer.hasPendingConnections(); }, 5000));
            delete m_silentServer.nextPendingConnection();
        } else {
            // The pool tools finish quickly: leave while the tool or the next model call runs.
            QVERIFY(waitFor([&] { return m_fake->requests().size() >= before + 2; }, 5000));
        }
        client.abort();

        if (tool == QLatin1String("exec")) {
            // The whole group dies: the background child never writes its file.
            QVERIFY(waitFor([&] { return !processRunning(sleeper); }, 3000));
            QTest::qWait(500);
            QVERIFY2(!QFile::exists(late), "a child of the cancelled command survived");
        }
        expectSessionFree(session);
        QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
    }
}

void TestCancellation::clientLeavesDuringTheProviderCall()
{
    for (int round = 0; round < repeats(); ++round) {
        FakeLlmReply hang;
        hang.hang = true;
        m_fake->enqueue(hang);
        const int before = int(m_fake->requests().size());
        HangingClient client;
        QVERIFY(client.send(
            m_gateway->port(),
            chatRequest(m_gateway->port(), QStringLiteral("provider"), QStringLiteral("hello"))));
        QVERIFY2(waitFor([&] { return m_fake->requests().size() > before; }, 5000),
                 qPrintable(QStringLiteral("round %1").arg(round)));
        client.abort();
        expectSessionFree(QStringLiteral("provider"));
    }
}

void TestCancellation::clientLeavesDuringAnUpload()
{
    const QString uploads = m_gateway->dir() + QStringLiteral("/uploads");
    for (int round = 0; round < repeats(); ++round) {
        const QByteArray part = "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                                "filename=\"big.bin\"\r\n\r\n" +
                                QByteArray(300 * 1024, 'u');
        HangingClient client;
        QVERIFY(client.send(m_gateway->port(),
                            "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                            "Bearer " +
                                kToken +
                                "\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                                "Content-Length: 10000000\r\n\r\n" +
                                part));
        // The part file exists while the body streams in…
        QVERIFY(waitFor([&] { return !QDir(uploads).entryList(QDir::Files).isEmpty(); }, 5000));
        client.abort();
        // …and is gone once the client is.
        QVERIFY(waitFor([&] { return QDir(uploads).entryList(QDir::Files).isEmpty(); }, 5000));
        QCOMPARE(http(m_gateway->port(), "GET", "/health").status, 200);
    }
}

QTEST_GUILESS_MAIN(TestCancellation)
#include "tst_cancellation.moc"
