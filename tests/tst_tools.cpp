// The agent's tools run directly: exec (timeout, output cap, shell switch), web_fetch (private
// addresses, size cap), file tools (confinement), memory tools.

#include "fakes/fakeopenaiserver.h"
#include "testsupport.h"
#include "tools/tool.h"
#include "tools/webfetchtool.h"

#include <QDir>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <sys/stat.h>

namespace {} // namespace

class TestTools : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void execRunsInTheWorkspace();
    void execTimeoutKillsTheCommandAndItsChildren();
    void execOutputIsCapped();
    void execAbsentWhenShellDisabled();
    void privateAddresses_data();
    void privateAddresses();
    void webFetchRefusesLoopbackUnlessAllowed();
    void webFetchCapsTheSize();
    void fileToolsStayInTheWorkspace_data();
    void fileToolsStayInTheWorkspace();
    void editFileNeedsAUniqueMatch();
    void memoryWriteSearchGet();
    void specialFilesNeverBlock_data();
    void specialFilesNeverBlock();
    void memoryWritesStayInTheWorkspace();

private:
    QTemporaryDir m_dir;
    ToolContext m_context;
};

void TestTools::init()
{
    m_context = ToolContext();
    // A fresh workspace for every test (and data row).
    static int run = 0;
    m_context.workspace = m_dir.path() + QStringLiteral("/ws%1").arg(run++);
    QDir().mkpath(m_context.workspace);
}

void TestTools::execRunsInTheWorkspace()
{
    const ToolOutcome outcome = runTool(m_context, QStringLiteral("exec"),
                                        QJsonObject{{"command", "pwd; echo out; exit 3"}});
    QVERIFY(!outcome.error);
    QCOMPARE(
        outcome.content,
        QStringLiteral("exit code 3\n%1\nout\n").arg(QDir(m_context.workspace).canonicalPath()));
}

void TestTools::execTimeoutKillsTheCommandAndItsChildren()
{
    m_context.shellTimeoutMs = 300;
    const QString marker = m_dir.path() + QStringLiteral("/child-survived");
    QElapsedTimer timer;
    timer.start();
    const ToolOutcome outcome = runTool(
        m_context, QStringLiteral("exec"),
        QJsonObject{{"command",
                     QStringLiteral("echo started; (sleep 1; touch %1) & sleep 30").arg(marker)}});
    QVERIFY(outcome.error);
    QVERIFY2(outcome.content.startsWith(QLatin1String("command timed out after 0.3 s")),
             qPrintable(outcome.content));
    QVERIFY(outcome.content.contains(QLatin1String("started")));
    QVERIFY(timer.elapsed() < 5000);
    QTest::qWait(1300);
    QVERIFY(!QFile::exists(marker)); // the background child went with its group
}

void TestTools::execOutputIsCapped()
{
    m_context.outputCapBytes = 1000;
    const ToolOutcome outcome =
        runTool(m_context, QStringLiteral("exec"),
                QJsonObject{{"command", "head -c 100000 /dev/zero | tr '\\\\0' x"}});
    QVERIFY(!outcome.error);
    QVERIFY(outcome.content.endsWith(QLatin1String("[output truncated]")));
    QVERIFY(outcome.content.size() < 1100);
}

void TestTools::execAbsentWhenShellDisabled()
{
    m_context.shellEnabled = false;
    auto registry = ToolRegistry::builtIn(m_context);
    QVERIFY(!registry->find(QStringLiteral("exec")));
    QVERIFY(registry->find(QStringLiteral("read_file")));
}

void TestTools::privateAddresses_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("isPrivate");
    QTest::newRow("loopback") << "127.0.0.1" << true;
    QTest::newRow("loopback range") << "127.3.2.1" << true;
    QTest::newRow("10/8") << "10.1.2.3" << true;
    QTest::newRow("172.16/12") << "172.20.0.1" << true;
    QTest::newRow("192.168/16") << "192.168.0.10" << true;
    QTest::newRow("link local") << "169.254.169.254" << true;
    QTest::newRow("cgnat") << "100.64.0.1" << true;
    QTest::newRow("zero") << "0.0.0.0" << true;
    QTest::newRow("ipv6 loopback") << "::1" << true;
    QTest::newRow("ipv6 ula") << "fd00::1" << true;
    QTest::newRow("mapped loopback") << "::ffff:127.0.0.1" << true;
    QTest::newRow("public v4") << "93.184.216.34" << false;
    QTest::newRow("public v6") << "2606:4700::1111" << false;
}

void TestTools::privateAddresses()
{
    QFETCH(QString, address);
    QFETCH(bool, isPrivate);
    QCOMPARE(WebFetchTool::isPrivateAddress(QHostAddress(address)), isPrivate);
}

void TestTools::webFetchRefusesLoopbackUnlessAllowed()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::chatText(QStringLiteral("page")));
    const QString url = QStringLiteral("http://127.0.0.1:%1/page").arg(server.port());
    ToolOutcome outcome =
        runTool(m_context, QStringLiteral("web_fetch"), QJsonObject{{"url", url}});
    QVERIFY(outcome.error);
    QVERIFY(outcome.content.contains(QLatin1String("private or loopback")));
    outcome =
        runTool(m_context, QStringLiteral("web_fetch"),
                QJsonObject{{"url", QStringLiteral("http://localhost:%1/").arg(server.port())}});
    QVERIFY(outcome.error);
    QCOMPARE(server.requests().size(), 0);
    outcome =
        runTool(m_context, QStringLiteral("web_fetch"), QJsonObject{{"url", "file:///etc/passwd"}});
    QCOMPARE(outcome.content, QStringLiteral("only http and https URLs can be fetched"));

    m_context.allowPrivateFetch = true;
    outcome = runTool(m_context, QStringLiteral("web_fetch"), QJsonObject{{"url", url}});
    QVERIFY2(!outcome.error, qPrintable(outcome.content));
    QVERIFY(outcome.content.startsWith(QLatin1String("HTTP 200, application/json")));
    QVERIFY(outcome.content.contains(QLatin1String("page")));
}

void TestTools::webFetchCapsTheSize()
{
    FakeOpenAiServer server;
    server.enqueue(FakeLlmReply::error(200, QByteArray(300 * 1024, 'a')));
    m_context.allowPrivateFetch = true;
    m_context.fetchCapBytes = 100 * 1024;
    const ToolOutcome outcome =
        runTool(m_context, QStringLiteral("web_fetch"),
                QJsonObject{{"url", QStringLiteral("http://127.0.0.1:%1/big").arg(server.port())}});
    QVERIFY2(!outcome.error, qPrintable(outcome.content.left(200)));
    QVERIFY(outcome.content.endsWith(QLatin1String("[truncated at 100 KiB]")));
    QVERIFY(outcome.content.size() < 110 * 1024);
}

void TestTools::fileToolsStayInTheWorkspace_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("path");
    for (const char *tool : {"read_file", "write_file", "list_dir", "edit_file"})
        for (const char *path :
             {"../outside.txt", "/etc/passwd", "a/../../outside.txt", "escape/secret.txt"})
            QTest::addRow("%s %s", tool, path)
                << QString::fromLatin1(tool) << QString::fromLatin1(path);
}

void TestTools::fileToolsStayInTheWorkspace()
{
    QFETCH(QString, tool);
    QFETCH(QString, path);
    QDir().mkpath(m_dir.path() + QStringLiteral("/outside"));
    QFile secret(m_dir.path() + QStringLiteral("/outside/secret.txt"));
    QVERIFY(secret.open(QIODevice::WriteOnly));
    secret.write("secret");
    secret.close();
    QFile::link(m_dir.path() + QStringLiteral("/outside"),
                m_context.workspace + QStringLiteral("/escape"));
    const ToolOutcome outcome = runTool(
        m_context, tool,
        QJsonObject{
            {"path", path}, {"content", "x"}, {"old_text", "secret"}, {"new_text", "pwned"}});
    QVERIFY(outcome.error);
    QVERIFY2(outcome.content.contains(QLatin1String("outside the workspace")),
             qPrintable(outcome.content));
    QVERIFY(secret.open(QIODevice::ReadOnly));
    QCOMPARE(secret.readAll(), QByteArray("secret"));
}

void TestTools::editFileNeedsAUniqueMatch()
{
    QCOMPARE(runTool(m_context, QStringLiteral("write_file"),
                     QJsonObject{{"path", "d/f.txt"}, {"content", "one two two"}})
                 .error,
             false);
    ToolOutcome outcome =
        runTool(m_context, QStringLiteral("edit_file"),
                QJsonObject{{"path", "d/f.txt"}, {"old_text", "two"}, {"new_text", "2"}});
    QVERIFY(outcome.error);
    QVERIFY(outcome.content.contains(QLatin1String("occurs 2 times")));
    outcome = runTool(m_context, QStringLiteral("edit_file"),
                      QJsonObject{{"path", "d/f.txt"}, {"old_text", "one"}, {"new_text", "1"}});
    QVERIFY(!outcome.error);
    QCOMPARE(
        runTool(m_context, QStringLiteral("read_file"), QJsonObject{{"path", "d/f.txt"}}).content,
        QStringLiteral("1 two two"));
    QCOMPARE(runTool(m_context, QStringLiteral("list_dir"), QJsonObject{{"path", "d"}}).content,
             QStringLiteral("f.txt (9 bytes)"));
}

void TestTools::memoryWriteSearchGet()
{
    ToolOutcome outcome = runTool(m_context, QStringLiteral("memory_write"),
                                  QJsonObject{{"content", "User prefers tea over coffee"},
                                              {"kind", "longterm"},
                                              {"tags", QJsonArray{"Preference"}}});
    QVERIFY(outcome.content.startsWith(QLatin1String("Appended memory to")));
    QFile memory(m_context.workspace + QStringLiteral("/MEMORY.md"));
    QVERIFY(memory.open(QIODevice::ReadOnly));
    QVERIFY(memory.readAll().contains(
        "[importance=medium | source=user | tags=preference] User prefers tea over coffee"));
    // Not durable enough for long-term memory: kept as a daily note.
    outcome = runTool(m_context, QStringLiteral("memory_write"),
                      QJsonObject{{"content", "Had lunch at noon"}, {"kind", "longterm"}});
    QVERIFY2(outcome.content.contains(QLatin1String("memory/")), qPrintable(outcome.content));

    outcome =
        runTool(m_context, QStringLiteral("memory_search"), QJsonObject{{"query", "tea coffee"}});
    QVERIFY(outcome.content.startsWith(QLatin1String("Found 1 memories for 'tea coffee'")));
    QVERIFY(outcome.content.contains(QLatin1String("Source: MEMORY.md#L1-L1")));
    QCOMPARE(runTool(m_context, QStringLiteral("memory_search"), QJsonObject{{"query", "zebra"}})
                 .content,
             QStringLiteral("No memory found for query: zebra (namespace=main)"));
    QCOMPARE(
        runTool(m_context, QStringLiteral("memory_get"), QJsonObject{{"path", "../config.json"}})
            .content,
        QStringLiteral("path not allowed: ../config.json"));
    QVERIFY(runTool(m_context, QStringLiteral("memory_get"), QJsonObject{{"path", "MEMORY.md"}})
                .content.startsWith(QLatin1String("Source: MEMORY.md#L1-L80\n1: - [")));
}

void TestTools::specialFilesNeverBlock_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QJsonObject>("arguments");
    QTest::newRow("read_file") << "read_file" << QJsonObject{{"path", "pipe"}};
    QTest::newRow("edit_file") << "edit_file"
                               << QJsonObject{
                                      {"path", "pipe"}, {"old_text", "a"}, {"new_text", "b"}};
    QTest::newRow("memory_get") << "memory_get" << QJsonObject{{"path", "memory/pipe.md"}};
    QTest::newRow("memory_search") << "memory_search" << QJsonObject{{"query", "anything"}};
}

// A FIFO with no writer would block whoever opens it for reading until someone writes: the
// tools answer at once instead.
void TestTools::specialFilesNeverBlock()
{
    QFETCH(QString, tool);
    QFETCH(QJsonObject, arguments);
    QDir().mkpath(m_context.workspace + QStringLiteral("/memory"));
    QCOMPARE(::mkfifo(QFile::encodeName(m_context.workspace + QStringLiteral("/pipe")).constData(),
                      0600),
             0);
    QCOMPARE(
        ::mkfifo(
            QFile::encodeName(m_context.workspace + QStringLiteral("/memory/pipe.md")).constData(),
            0600),
        0);
    QElapsedTimer timer;
    timer.start();
    const ToolOutcome outcome = runTool(m_context, tool, arguments, 3000);
    QVERIFY2(outcome.content != QLatin1String("<no answer>"), "the tool hung on a FIFO");
    QVERIFY(timer.elapsed() < 2000);
    if (tool != QLatin1String("memory_search")) {
        QVERIFY(outcome.error);
        QVERIFY2(outcome.content.contains(QLatin1String("not a regular file")) ||
                     outcome.content.contains(QLatin1String("does not exist")),
                 qPrintable(outcome.content));
    }
}

// memory_write is confined like the other file tools: a memory/ folder that is a symlink out of
// the workspace is not written through.
void TestTools::memoryWritesStayInTheWorkspace()
{
    QTemporaryDir outside;
    QVERIFY(QFile::link(outside.path(), m_context.workspace + QStringLiteral("/memory")));
    const ToolOutcome outcome = runTool(m_context, QStringLiteral("memory_write"),
                                        QJsonObject{{"content", "leak this"}, {"kind", "daily"}});
    QVERIFY(outcome.error);
    QVERIFY2(outcome.content.contains(QLatin1String("not inside the workspace")),
             qPrintable(outcome.content));
    QVERIFY(QDir(outside.path()).entryList(QDir::Files).isEmpty());
}

QTEST_GUILESS_MAIN(TestTools)
#include "tst_tools.moc"
