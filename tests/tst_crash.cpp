// Crash consistency: the real binary is killed with SIGKILL, many times, in the middle of config
// saves, chat turns (session appends), uploads and Weixin account saves. After every kill,
// everything the gateway acknowledged is on disk whole (a 200 answer, or an account save's
// maximum wait gone by), nothing is half-written under a final name, and the program starts
// again on the same home.

#include "core/jsonutil.h"
#include "fakes/fakeilinkserver.h"
#include "fakes/fakeopenaiserver.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <csignal>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

// One request after the other on fresh connections, asynchronously: `next(i)` builds the i-th
// request, `acked(i, answer)` hears of each 200.
class Workload : public QObject
{
public:
    using Next = std::function<QByteArray(int)>;
    using Acked = std::function<void(int, const QByteArray &body)>;
    Workload(quint16 port, Next next, Acked acked) : m_port(port), m_next(next), m_acked(acked) {}
    void start() { send(); }
    void stop()
    {
        m_stopped = true;
        if (m_socket)
            m_socket->abort();
    }

private:
    void send()
    {
        if (m_stopped)
            return;
        ++m_index;
        m_received.clear();
        delete m_socket;
        m_socket = new QTcpSocket(this);
        const int index = m_index;
        connect(m_socket, &QTcpSocket::connected, this,
                [this, index] { m_socket->write(m_next(index)); });
        connect(m_socket, &QTcpSocket::readyRead, this, [this, index] {
            m_received += m_socket->readAll();
            const qsizetype headEnd = m_received.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            const QRegularExpression length(QStringLiteral("Content-Length: (\\d+)"),
                                            QRegularExpression::CaseInsensitiveOption);
            const auto match = length.match(QString::fromLatin1(m_received.left(headEnd)));
            const qsizetype size = match.hasMatch() ? match.captured(1).toLongLong() : 0;
            if (m_received.size() < headEnd + 4 + size)
                return;
            if (m_received.startsWith("HTTP/1.1 200"))
                m_acked(index, m_received.left(headEnd + 4 + size));
            QMetaObject::invokeMethod(
                this, [this] { send(); }, Qt::QueuedConnection);
        });
        connect(m_socket, &QTcpSocket::errorOccurred, this, [this] {
            if (!m_stopped)
                QTimer::singleShot(20, this, [this] { send(); });
        });
        m_socket->connectToHost(QHostAddress::LocalHost, m_port);
    }

    quint16 m_port;
    Next m_next;
    Acked m_acked;
    QTcpSocket *m_socket = nullptr;
    QByteArray m_received;
    int m_index = 0;
    bool m_stopped = false;
};

QByteArray post(quint16 port, const QByteArray &path, const QByteArray &contentType,
                const QByteArray &body)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) +
           "\r\nAuthorization: Bearer " + kToken + "\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

class TestCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void acknowledgedWritesSurviveSigkill();

private:
    struct Running
    {
        std::unique_ptr<QProcess> process;
        quint16 port = 0;
    };
    Running start(const QString &home);
};

TestCrash::Running TestCrash::start(const QString &home)
{
    Running running;
    running.process = std::make_unique<QProcess>();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"DISPLAY", "WAYLAND_DISPLAY", "CLAWGO_CONFIG", "CLAWGO_HOST", "CLAWGO_PORT"})
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("HOME"), home);
    running.process->setProcessEnvironment(environment);
    running.process->start(QStringLiteral(CLAWGO_BINARY),
                           {QStringLiteral("--no-gui"), QStringLiteral("--port"),
                            QStringLiteral("0"), QStringLiteral("--no-keychain")});
    static const QRegularExpression apiAt(QStringLiteral("API at http://127\\.0\\.0\\.1:(\\d+)"));
    QByteArray stderrText;
    waitFor(
        [&] {
            stderrText += running.process->readAllStandardError();
            const auto match = apiAt.match(QString::fromUtf8(stderrText));
            if (match.hasMatch())
                running.port = quint16(match.captured(1).toUInt());
            return running.port != 0 || running.process->state() == QProcess::NotRunning;
        },
        10000);
    if (running.port == 0)
        qWarning().noquote() << "did not start:" << stderrText;
    return running;
}

void TestCrash::acknowledgedWritesSurviveSigkill()
{
    FakeOpenAiServer llm;
    FakeILinkServer ilink;
    QTemporaryDir home;
    const QString dir = home.filePath(QStringLiteral(".clawgo"));
    QDir().mkpath(dir);
    QJsonObject config = baseConfig(dir, QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), 18790);
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.base_url"), ilink.baseUrl());
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", llm.apiBase()},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.context_compaction.enabled"),
                         false);
    QFile file(dir + QStringLiteral("/config.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(config));
    file.close();
    for (int i = 0; i < 2000; ++i)
        llm.enqueue(FakeLlmReply::chatText(QStringLiteral("r")));

    int ackedWorkers = 0;
    QStringList ackedMessages;
    QHash<QString, QByteArray> ackedUploads;
    const int rounds = qMax(6, qEnvironmentVariableIntValue("CLAWGO_CRASH_ROUNDS"));
    for (int round = 0; round < rounds; ++round) {
        Running running = start(home.path());
        QVERIFY2(running.port != 0, "the gateway did not start after a kill");
        const quint16 port = running.port;
        if (round == 0) {
            // A Weixin login whose account save is pending while the kills begin.
            http(port, "POST", "/api/weixin/login/start", "{}",
                 {{"Authorization", "Bearer " + kToken}});
            QVERIFY(waitFor(
                [&] {
                    const QJsonObject status = http(port, "GET", "/api/weixin/status", {},
                                                    {{"Authorization", "Bearer " + kToken}})
                                                   .json();
                    return !status.value("accounts").toArray().isEmpty();
                },
                10000));
        }
        // Config saves as a careful client makes them: read, change one key, write with the
        // ETag it read (a blind whole-file write would undo the channel's own saves).
        auto read = std::make_shared<QPair<QJsonObject, QByteArray>>();
        Workload configWriter(
            port,
            [port, round, read](int i) {
                if (i % 2 == 1 || read->first.isEmpty())
                    return QByteArray("GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Authorization: Bearer " +
                                      kToken + "\r\nConnection: close\r\n\r\n");
                QJsonObject next = read->first;
                JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), round * 1000 + i);
                QByteArray request =
                    post(port, "/api/config", "application/json", QJsonDocument(next).toJson());
                request.replace("Connection: close",
                                "If-Match: " + read->second + "\r\nConnection: close");
                read->first = QJsonObject(); // read again before the next write
                return request;
            },
            [&ackedWorkers, round, read](int i, const QByteArray &answer) {
                const qsizetype headEnd = answer.indexOf("\r\n\r\n");
                if (i % 2 == 1) {
                    read->first = QJsonDocument::fromJson(answer.mid(headEnd + 4)).object();
                    const QRegularExpression etag(QStringLiteral("ETag: (\"[^\"]*\")"),
                                                  QRegularExpression::CaseInsensitiveOption);
                    read->second = etag.match(QString::fromLatin1(answer.left(headEnd)))
                                       .captured(1)
                                       .toLatin1();
                } else {
                    ackedWorkers = round * 1000 + i;
                }
            });
        Workload chatter(
            port,
            [port, round](int i) {
                return post(port, "/api/chat", "application/json",
                            QJsonDocument(QJsonObject{{"session", "crash"},
                                                      {"message",
                                                       QStringLiteral("m%1-%2").arg(round).arg(i)}})
                                .toJson());
            },
            [&ackedMessages, round](int i, const QByteArray &) {
                ackedMessages << QStringLiteral("m%1-%2").arg(round).arg(i);
            });
        Workload uploader(
            port,
            [port, round](int i) {
                const QByteArray content = QByteArray(64 * 1024 + i, char('a' + (round + i) % 26));
                const QByteArray body = "--b\r\nContent-Disposition: form-data; name=\"file\"; "
                                        "filename=\"u.bin\"\r\n\r\n" +
                                        content + "\r\n--b--\r\n";
                return post(port, "/api/upload", "multipart/form-data; boundary=b", body);
            },
            [&ackedUploads, round](int i, const QByteArray &answer) {
                const QString path =
                    QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4))
                        .object()
                        .value("path")
                        .toString();
                ackedUploads.insert(path, QByteArray(64 * 1024 + i, char('a' + (round + i) % 26)));
            });
        configWriter.start();
        chatter.start();
        uploader.start();
        // The first round outlives the account save's maximum wait (2 s); the others are cut
        // short at random.
        QTest::qWait((round == 0 ? 2600 : 0) + 150 + int(QRandomGenerator::global()->bounded(450)));
        ::kill(pid_t(running.process->processId()), SIGKILL);
        QVERIFY(running.process->waitForFinished(5000));
        configWriter.stop();
        chatter.stop();
        uploader.stop();

        // The config: whole, and at least as new as the last acknowledged save.
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonDocument saved = QJsonDocument::fromJson(file.readAll());
        file.close();
        QVERIFY2(saved.isObject(), "config.json is not whole after a kill");
        const int workers =
            JsonUtil::valueAt(saved.object(), QStringLiteral("cron.max_workers")).toInt();
        QVERIFY2(workers >= ackedWorkers,
                 qPrintable(
                     QStringLiteral("acknowledged %1, on disk %2").arg(ackedWorkers).arg(workers)));
        // The Weixin account: its save's maximum wait passed before the first kill.
        QVERIFY2(JsonUtil::valueAt(saved.object(), QStringLiteral("channels.weixin.accounts"))
                         .toArray()
                         .size() == 1,
                 "a confirmed Weixin login was not saved within its maximum wait");
        // Sessions: every acknowledged turn is there (a torn last line may follow it).
        QFile session(dir + QStringLiteral("/agents/main/sessions/crash.active.jsonl"));
        if (!ackedMessages.isEmpty()) {
            QVERIFY(session.open(QIODevice::ReadOnly));
            const QByteArray lines = session.readAll();
            session.close();
            for (const QString &message : ackedMessages)
                QVERIFY2(lines.contains("\"text\":\"" + message.toUtf8() + "\""),
                         qPrintable(message));
        }
        // Uploads: every acknowledged one whole under its name.
        for (auto it = ackedUploads.begin(); it != ackedUploads.end(); ++it) {
            QFile upload(it.key());
            QVERIFY2(upload.open(QIODevice::ReadOnly), qPrintable(it.key()));
            QCOMPARE(upload.readAll(), it.value());
        }
    }
    // A last start: the home is usable, and no half-written upload is left under any name.
    Running last = start(home.path());
    QVERIFY(last.port != 0);
    QCOMPARE(http(last.port, "GET", "/health").status, 200);
    // (Cleaned on the file pool right after the start.)
    QVERIFY2(waitFor([&] {
                 return QDir(dir + QStringLiteral("/uploads"))
                     .entryList({QStringLiteral("*.part")}, QDir::Files)
                     .isEmpty();
             }),
             "half-written uploads are left after a restart");
    ::kill(pid_t(last.process->processId()), SIGTERM);
    QVERIFY(last.process->waitForFinished(5000));
    QVERIFY2(ackedWorkers > 0 && !ackedMessages.isEmpty() && !ackedUploads.isEmpty(),
             "a workload never got an answer: the test would prove nothing");
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
