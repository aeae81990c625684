// POST /api/upload: the streaming multipart parser, limits, file names, permissions.

#include "api/uploadcontroller.h"
#include "core/jsonutil.h"
#include "fakes/fakeopenaiserver.h"
#include "http/multipartparser.h"
#include "testsupport.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";
const QByteArray kBoundary = "----clawgoBoundary7MA4YWxk";

QByteArray multipartBody(const QByteArray &filenameField, const QByteArray &content,
                         bool withFile = true)
{
    QByteArray body =
        "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n";
    if (withFile)
        body += "--" + kBoundary +
                "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filenameField +
                "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
    body += "--" + kBoundary + "--\r\n";
    return body;
}

QByteArray uploadRequest(quint16 port, const QByteArray &body, bool authorized = true)
{
    QByteArray request =
        "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (authorized)
        request += "Authorization: Bearer " + kToken + "\r\n";
    request += "Content-Type: multipart/form-data; boundary=" + kBoundary +
               "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return request;
}

struct Collected
{
    QList<QByteArray> names;
    QList<QByteArray> data;
};

Collected parseAll(const QByteArray &body, int chunkSize, bool *finished)
{
    Collected out;
    MultipartParser parser(kBoundary);
    parser.onPartBegin = [&](const MultipartParser::PartHeaders &h) {
        out.names << h.name;
        out.data << QByteArray();
        return true;
    };
    parser.onPartData = [&](const QByteArray &bytes) {
        out.data.last() += bytes;
        return true;
    };
    parser.onPartEnd = [] { return true; };
    for (qsizetype i = 0; i < body.size(); i += chunkSize)
        parser.feed(body.mid(i, chunkSize));
    *finished = parser.finished();
    return out;
}

// Points the gateway's agent at `fake` (model fake/m) through POST /api/config.
bool useFakeProvider(const QString &dir, quint16 port, const FakeOpenAiServer &fake)
{
    QJsonObject config = baseConfig(dir, QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", fake.apiBase()},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 5},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    return http(port, "POST", "/api/config", QJsonDocument(config).toJson(),
                {{"Authorization", "Bearer " + kToken}})
               .status == 200;
}

} // namespace

class TestApiUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void parserIsIndependentOfChunking_data();
    void parserIsIndependentOfChunking();
    void parserNeedsTheClosingBoundary();
    void sanitizeFileName_data();
    void sanitizeFileName();
    void uploadStoresAPrivateFile();
    void largeUploadStreamsToDisk();
    void uploadOnAReusedConnection();
    void overTheLimitIs413BeforeTheBody();
    void refusals_data();
    void refusals();
    void uploadedFileGoesToChatAsMedia();
    void agentReadsTheUploadedFile();
    void oldUploadsAreRemovedAtStart_data();
    void oldUploadsAreRemovedAtStart();
    void uploadAnswersLikeEveryOtherRoute();

private:
    std::unique_ptr<TestGateway> m_gateway;
};

void TestApiUpload::init()
{
    m_gateway = std::make_unique<TestGateway>();
    GatewayOptions options;
    options.uploadMaxBytes = 24 * 1024 * 1024;
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.allowed_origins"),
                         QJsonArray{"https://dash.example"});
    QVERIFY2(m_gateway->start(config, options), qPrintable(m_gateway->error()));
}

// Uploads once had their own writer: "200 Ok", Cache-Control twice, no CORS. They now answer
// through the one writer every route uses, keeping the connection.
void TestApiUpload::uploadAnswersLikeEveryOtherRoute()
{
    QByteArray request = uploadRequest(m_gateway->port(), multipartBody("a.txt", "x"));
    request.insert(request.indexOf("\r\n") + 2, "Origin: https://dash.example\r\n");
    QByteArray received;
    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.write(request);
    QVERIFY(waitFor([&] { return received.contains("\"ok\":true"); }));
    QVERIFY2(received.startsWith("HTTP/1.1 200 OK\r\n"), received.constData());
    QCOMPARE(received.count("Cache-Control: no-store"), 1);
    QVERIFY(received.contains("Access-Control-Allow-Origin: https://dash.example"));
    QVERIFY(received.contains("X-Content-Type-Options: nosniff"));
    QVERIFY(!received.contains("Connection: close"));
    // The same connection serves the next request.
    received.clear();
    socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(waitFor([&] { return received.endsWith("ok"); }));
    disconnect(&socket, nullptr, this, nullptr);
}

void TestApiUpload::parserIsIndependentOfChunking_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("text") << QByteArray("plain text\r\nwith lines\r\n");
    QTest::newRow("boundary look-alike")
        << QByteArray("--" + kBoundary + "--\r\n\r\n-" + kBoundary.left(10) + "\r\n");
    QTest::newRow("binary") << QByteArray("\x00\x01\r\n\r\n--\xff", 9);
    QTest::newRow("empty") << QByteArray();
}

void TestApiUpload::parserIsIndependentOfChunking()
{
    QFETCH(QByteArray, content);
    const QByteArray body = multipartBody("f.bin", content);
    for (int chunk : {1, 3, 7, 64, 100000}) {
        bool finished = false;
        const Collected parts = parseAll(body, chunk, &finished);
        QVERIFY(finished);
        QCOMPARE(parts.names, (QList<QByteArray>{"note", "file"}));
        QCOMPARE(parts.data.at(0), QByteArray("hello"));
        QCOMPARE(parts.data.at(1), content);
    }
}

void TestApiUpload::parserNeedsTheClosingBoundary()
{
    QByteArray body = multipartBody("f.txt", "data");
    body.chop(QByteArray("--" + kBoundary + "--\r\n").size());
    bool finished = true;
    parseAll(body, 5, &finished);
    QVERIFY(!finished);
}

void TestApiUpload::sanitizeFileName_data()
{
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("stored");
    QTest::newRow("plain") << "notes.txt"
                           << "notes.txt";
    QTest::newRow("traversal") << "../../etc/evil.sh"
                               << "evil.sh";
    QTest::newRow("windows path") << "C:\\Users\\me\\report.pdf"
                                  << "report.pdf";
    QTest::newRow("nul") << QStringLiteral("a\u0000b.txt") << "a_b.txt";
    QTest::newRow("hidden") << "..bashrc"
                            << "bashrc";
    QTest::newRow("spaces and quotes") << "my \"file\"; rm.txt"
                                       << "my__file___rm.txt";
    QTest::newRow("unicode") << QStringLiteral("报告.pdf") << QStringLiteral("报告.pdf");
    QTest::newRow("empty") << ""
                           << "upload";
    QTest::newRow("only dots") << ".."
                               << "upload";
}

void TestApiUpload::sanitizeFileName()
{
    QFETCH(QString, client);
    QFETCH(QString, stored);
    QCOMPARE(UploadApi::sanitizeFileName(client), stored);
}

void TestApiUpload::uploadStoresAPrivateFile()
{
    const HttpResult result = rawHttp(
        m_gateway->port(),
        uploadRequest(m_gateway->port(), multipartBody("../../in put.txt", "file body\r\n")));
    QCOMPARE(result.status, 200);
    const QJsonObject payload = result.json();
    QCOMPARE(payload.value("ok").toBool(), true);
    // The client's own file name (its last component) comes back; the stored name is sanitised.
    QCOMPARE(payload.value("name").toString(), QStringLiteral("in put.txt"));
    const QString path = payload.value("path").toString();
    QVERIFY(path.startsWith(m_gateway->dir() + QStringLiteral("/uploads/")));
    QVERIFY(path.endsWith(QLatin1String("_in_put.txt")));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("file body\r\n"));
    QCOMPARE(fileMode(path), 0600);
    QCOMPARE(fileMode(m_gateway->dir() + QStringLiteral("/uploads")), 0700);
}

void TestApiUpload::largeUploadStreamsToDisk()
{
    // Far past the 4 MiB JSON body limit: only a streamed upload gets through.
    QByteArray content(20 * 1024 * 1024, 'z');
    for (int i = 0; i < content.size(); i += 4099)
        content[i] = char('a' + i % 26);
    const HttpResult result =
        rawHttp(m_gateway->port(),
                uploadRequest(m_gateway->port(), multipartBody("big.bin", content)), 30000);
    QCOMPARE(result.status, 200);
    QFile file(result.json().value("path").toString());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.size(), content.size());
    QVERIFY(file.readAll() == content);
}

void TestApiUpload::uploadOnAReusedConnection()
{
    QByteArray received;
    QTcpSocket socket;
    connect(&socket, &QTcpSocket::readyRead, this, [&] { received += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, m_gateway->port());
    QVERIFY(waitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }));
    socket.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QVERIFY(waitFor([&] { return received.endsWith("ok"); }));
    received.clear();
    socket.write(uploadRequest(m_gateway->port(),
                               multipartBody("second.txt", QByteArray(6 * 1024 * 1024, 's'))));
    QVERIFY(waitFor([&] { return received.contains("\"ok\":true"); }, 20000));
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    QObject::disconnect(&socket, nullptr, this, nullptr);
}

void TestApiUpload::overTheLimitIs413BeforeTheBody()
{
    // Only the head is sent: the answer must not wait for 30 MiB that never come.
    QByteArray head = "POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      kToken + "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                      "\r\nContent-Length: " + QByteArray::number(30 * 1024 * 1024) + "\r\n\r\n";
    const HttpResult result = rawHttp(m_gateway->port(), head, 3000);
    QCOMPARE(result.status, 413);
    QCOMPARE(result.body, QByteArray("upload too large (limit 24 MiB)\n"));
    QVERIFY(!QDir(m_gateway->dir() + QStringLiteral("/uploads")).exists() ||
            QDir(m_gateway->dir() + QStringLiteral("/uploads")).isEmpty());
}

void TestApiUpload::refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no token") << uploadRequest(0, multipartBody("a.txt", "x"), false) << 401
                              << QByteArray("unauthorized\n");
    QTest::newRow("no file part") << uploadRequest(0, multipartBody("a.txt", "x", false)) << 400
                                  << QByteArray("file required\n");
    QTest::newRow("file field without filename")
        << uploadRequest(0, "--" + kBoundary +
                                "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--" +
                                kBoundary + "--\r\n")
        << 400 << QByteArray("file required\n");
    QTest::newRow("truncated body") << uploadRequest(0, multipartBody("a.txt", "x").chopped(20))
                                    << 400 << QByteArray("malformed multipart body\n");
    QTest::newRow("not multipart")
        << QByteArray("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      kToken + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        << 400 << QByteArray("request Content-Type isn't multipart/form-data\n");
    QTest::newRow("no length")
        << QByteArray("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      kToken + "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                      "\r\n\r\n")
        << 411 << QByteArray("an upload needs a Content-Length\n");
    QTest::newRow("empty chunked body")
        << QByteArray("POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      kToken + "\r\nContent-Type: multipart/form-data; boundary=" + kBoundary +
                      "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << 400 << QByteArray("malformed multipart body\n");
}

void TestApiUpload::refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const HttpResult result = rawHttp(m_gateway->port(), request);
    QCOMPARE(result.status, status);
    QCOMPARE(result.body, body);
    const QDir uploads(m_gateway->dir() + QStringLiteral("/uploads"));
    QVERIFY(!uploads.exists() ||
            uploads.entryList(QDir::Files | QDir::Hidden).isEmpty()); // no partial files left
}

void TestApiUpload::uploadedFileGoesToChatAsMedia()
{
    const HttpResult upload = rawHttp(
        m_gateway->port(), uploadRequest(m_gateway->port(), multipartBody("doc.md", "# doc")));
    QVERIFY2(upload.status == 200, upload.body.constData());
    const QString path = upload.json().value("path").toString();
    FakeOpenAiServer fake;
    fake.enqueue(FakeLlmReply::chatText(QStringLiteral("read it")));
    QVERIFY(useFakeProvider(m_gateway->dir(), m_gateway->port(), fake));
    const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + kToken}};
    QCOMPARE(http(m_gateway->port(), "POST", "/api/chat",
                  QJsonDocument(
                      QJsonObject{{"session", "media"}, {"message", "read this"}, {"media", path}})
                      .toJson(),
                  auth)
                 .status,
             200);
    QCOMPARE(fake.requests()
                 .first()
                 .body.value("messages")
                 .toArray()
                 .last()
                 .toObject()
                 .value("content")
                 .toString(),
             QStringLiteral("read this\n[file: %1]").arg(path));
}

// The seed's flow: upload a file, reference it in chat, and the agent reads it with read_file.
// The uploads folder is readable by the read-only tools, nothing else outside the workspace is,
// and nothing may write into it.
void TestApiUpload::agentReadsTheUploadedFile()
{
    const HttpResult upload =
        rawHttp(m_gateway->port(),
                uploadRequest(m_gateway->port(),
                              multipartBody("notes.md", "the secret ingredient is basil")));
    QVERIFY2(upload.status == 200, upload.body.constData());
    const QString path = upload.json().value("path").toString();
    QVERIFY(QDir::isAbsolutePath(path));
    QCOMPARE(upload.json().value("name").toString(), QStringLiteral("notes.md"));

    FakeOpenAiServer fake;
    fake.enqueue(FakeLlmReply::chatToolCall(QStringLiteral("c1"), QStringLiteral("read_file"),
                                            QJsonObject{{"path", path}}));
    fake.enqueue(FakeLlmReply::chatToolCall(
        QStringLiteral("c2"), QStringLiteral("read_file"),
        QJsonObject{{"path", m_gateway->dir() + QStringLiteral("/config.json")}}));
    fake.enqueue(
        FakeLlmReply::chatToolCall(QStringLiteral("c3"), QStringLiteral("write_file"),
                                   QJsonObject{{"path", path}, {"content", "overwritten"}}));
    fake.enqueue(FakeLlmReply::chatText(QStringLiteral("It says basil.")));
    QVERIFY(useFakeProvider(m_gateway->dir(), m_gateway->port(), fake));
    const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer " + kToken}};
    const HttpResult chat = http(m_gateway->port(), "POST", "/api/chat",
                                 QJsonDocument(QJsonObject{{"session", "upload-read"},
                                                           {"message", "what does it say?"},
                                                           {"media", path}})
                                     .toJson(),
                                 auth);
    QCOMPARE(chat.status, 200);
    QCOMPARE(chat.json().value("reply").toString(), QStringLiteral("It says basil."));
    QCOMPARE(fake.requests().size(), 4);
    const auto toolResult = [&](int request) {
        return fake.requests().at(request).body.value("messages").toArray().last().toObject();
    };
    QVERIFY2(toolResult(1).value("content").toString().contains(QLatin1String("basil")),
             qPrintable(toolResult(1).value("content").toString()));
    QVERIFY(toolResult(2).value("content").toString().contains(QLatin1String("not allowed")));
    QVERIFY(!toolResult(2).value("content").toString().contains(QLatin1String("cg_")));
    QVERIFY(toolResult(3).value("content").toString().contains(QLatin1String("not allowed")));
    QFile uploaded(path);
    QVERIFY(uploaded.open(QIODevice::ReadOnly));
    QCOMPARE(uploaded.readAll(), QByteArray("the secret ingredient is basil"));
}

void TestApiUpload::oldUploadsAreRemovedAtStart_data()
{
    QTest::addColumn<int>("retentionDays"); // 0: the setting is not there
    QTest::addColumn<QStringList>("kept");
    QTest::newRow("default: a week") << 0 << QStringList{"recent.txt", "three-days.txt"};
    QTest::newRow("uploads.retention_days = 2") << 2 << QStringList{"recent.txt"};
    QTest::newRow("uploads.retention_days = 30")
        << 30 << QStringList{"recent.txt", "ten-days.txt", "three-days.txt"};
}

void TestApiUpload::oldUploadsAreRemovedAtStart()
{
    QFETCH(int, retentionDays);
    QFETCH(QStringList, kept);
    TestGateway gateway;
    const QString folder = gateway.dir() + QStringLiteral("/uploads");
    QVERIFY(QDir().mkpath(folder));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<QPair<QString, QDateTime>> files{{"recent.txt", now.addSecs(-3600)},
                                                 {"three-days.txt", now.addDays(-3)},
                                                 {"ten-days.txt", now.addDays(-10)},
                                                 {"crashed.bin.part", now.addSecs(-60)}};
    for (const auto &[name, time] : files) {
        QFile file(folder + QLatin1Char('/') + name);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("x");
        file.flush(); // a write flushed later would set the time to now again
        QVERIFY(file.setFileTime(time, QFileDevice::FileModificationTime));
    }
    QJsonObject config = baseConfig(gateway.dir(), QString::fromLatin1(kToken));
    if (retentionDays > 0)
        JsonUtil::setValueAt(config, QStringLiteral("uploads.retention_days"), retentionDays);
    QVERIFY2(gateway.start(config), qPrintable(gateway.error()));
    QStringList left;
    waitFor([&] {
        left = QDir(folder).entryList(QDir::Files, QDir::Name);
        return left == kept;
    });
    QCOMPARE(left, kept);
}

QTEST_GUILESS_MAIN(TestApiUpload)
#include "tst_api_upload.moc"
