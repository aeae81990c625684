// Chat latency benchmark, run by hand (bench/run-chat.sh): an in-process gateway and fake
// provider on the main thread, a measuring client on its own thread.
//  1. fake's first SSE byte → client's first chat_chunk (median, p90 of 50 turns)
//  2. /health latency (p50, p99) while 20 chats stream at once
//  3. GET /api/chat/history of a 10 000-message session (cold and warm)

#include "agent/sessionstore.h"
#include "benchsupport.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QWebSocket>
#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace Bench;

namespace {

class Client : public QObject
{
public:
    quint16 port = 0;
    QByteArray token;
    FakeOpenAiServer *fake = nullptr;
    QString sessionsDir;

    void run()
    {
        firstChunkLatency();
        healthUnderLoad();
        history();
        QCoreApplication::instance()->exit(0);
    }

private:
    QUrl liveUrl() const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/api/chat/live?token=%2")
                        .arg(port)
                        .arg(QString::fromLatin1(token)));
    }

    void firstChunkLatency()
    {
        QWebSocket socket;
        qint64 firstChunkNs = 0;
        int done = 0;
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value("type") == QLatin1String("chat_chunk") && firstChunkNs == 0)
                firstChunkNs = nowNs();
            if (message.value("type") == QLatin1String("chat_done"))
                ++done;
        });
        bool connected = false;
        QObject::connect(&socket, &QWebSocket::connected, [&] { connected = true; });
        socket.open(liveUrl());
        spin([&] { return connected; }, 5000);
        QList<double> latencies;
        for (int i = 0; i < 50; ++i) {
            firstChunkNs = 0;
            socket.sendTextMessage(QStringLiteral("{\"session\":\"latency\",\"message\":\"hi\"}"));
            spin([&] { return done > i; }, 10000);
            latencies << (firstChunkNs - fake->lastFirstEventNs()) / 1e6;
        }
        std::printf("first SSE byte -> first chat_chunk: median %.2f ms, p90 %.2f ms, max %.2f ms "
                    "(50 turns)\n",
                    percentile(latencies, 0.5), percentile(latencies, 0.9),
                    percentile(latencies, 1.0));
    }

    void healthUnderLoad()
    {
        QList<QWebSocket *> sockets;
        int done = 0;
        for (int i = 0; i < 20; ++i) {
            auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            QObject::connect(socket, &QWebSocket::textMessageReceived,
                             [&done](const QString &text) {
                                 if (text.contains(QLatin1String("chat_done")) ||
                                     text.contains(QLatin1String("chat_error")))
                                     ++done;
                             });
            QObject::connect(socket, &QWebSocket::connected, [socket, i] {
                socket->sendTextMessage(
                    QStringLiteral("{\"session\":\"load-%1\",\"message\":\"stream\"}").arg(i));
            });
            socket->open(liveUrl());
            sockets << socket;
        }
        QTcpSocket health;
        health.connectToHost(QHostAddress::LocalHost, port);
        spin([&] { return health.state() == QAbstractSocket::ConnectedState; }, 5000);
        QList<double> latencies;
        while (done < 20 && latencies.size() < 100000) {
            const double ms = timedGet(health, "/health", token);
            if (ms >= 0)
                latencies << ms;
        }
        std::printf("/health while 20 chats stream: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%lld "
                    "requests)\n",
                    percentile(latencies, 0.5), percentile(latencies, 0.99),
                    percentile(latencies, 1.0), static_cast<long long>(latencies.size()));
        qDeleteAll(sockets);
    }

    void history()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        spin([&] { return socket.state() == QAbstractSocket::ConnectedState; }, 5000);
        const double cold = timedGet(socket, "/api/chat/history?session=big&limit=2000", token);
        QList<double> warm;
        for (int i = 0; i < 10; ++i)
            warm << timedGet(socket, "/api/chat/history?session=big&limit=2000", token);
        const double small = timedGet(socket, "/api/chat/history?session=big", token);
        std::printf("history of a 10000-message session (preloaded at start), limit=2000: first "
                    "%.2f ms, then median %.2f ms; limit=200: %.2f ms\n",
                    cold, percentile(warm, 0.5), small);
        // A session that appeared after start: its first read parses the file.
        QList<double> unloaded;
        for (int i = 0; i < 5; ++i) {
            const QString copy = QStringLiteral("%1/big%2.active.jsonl").arg(sessionsDir).arg(i);
            QFile::copy(sessionsDir + QStringLiteral("/big.active.jsonl"), copy);
            unloaded << timedGet(
                socket, "/api/chat/history?limit=2000&session=big" + QByteArray::number(i), token);
        }
        std::printf("history of a 10000-message session read from disk on request, limit=2000: "
                    "median %.2f ms, max %.2f ms (5 sessions)\n",
                    percentile(unloaded, 0.5), percentile(unloaded, 1.0));
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    LogHub::install();
    QTemporaryDir dir;
    FakeOpenAiServer fake;
    // 50 short answers for the latency runs, then 20 long, slow streams.
    for (int i = 0; i < 50; ++i)
        fake.enqueue(FakeLlmReply::chatStream({"Hello", " there"}));
    QStringList tokens;
    for (int i = 0; i < 100; ++i)
        tokens << QStringLiteral("token%1 ").arg(i);
    FakeLlmReply slow = FakeLlmReply::chatStream(tokens);
    slow.intervalMs = 20;
    for (int i = 0; i < 20; ++i)
        fake.enqueue(slow);

    QJsonObject config;
    const QByteArray token = "cg_bench_token_0123456789abcdef";
    JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QString::fromLatin1(token));
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.workspace"),
                         dir.filePath(QStringLiteral("workspace")));
    JsonUtil::setValueAt(config, QStringLiteral("logging.enabled"), false);
    JsonUtil::setValueAt(config, QStringLiteral("logging.dir"),
                         dir.filePath(QStringLiteral("logs")));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", fake.apiBase()},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 30},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    QFile file(dir.filePath(QStringLiteral("config.json")));
    file.open(QIODevice::WriteOnly);
    file.write(JsonUtil::pretty(config));
    file.close();

    // A long session written as clawgo writes it (one JSON line per message).
    QDir().mkpath(dir.filePath(QStringLiteral("agents/main/sessions")));
    QFile session(dir.filePath(QStringLiteral("agents/main/sessions/big.active.jsonl")));
    session.open(QIODevice::WriteOnly);
    for (int i = 0; i < 10000; ++i)
        session.write(QStringLiteral("{\"type\":\"message\",\"message\":{\"role\":\"%1\","
                                     "\"content\":[{\"type\":\"text\",\"text\":\"message number %2 "
                                     "with some ordinary text in it\"}]}}\n")
                          .arg(i % 2 ? QStringLiteral("assistant") : QStringLiteral("user"))
                          .arg(i)
                          .toUtf8());
    session.close();

    GatewayOptions options;
    options.configPath = dir.filePath(QStringLiteral("config.json"));
    options.host = QStringLiteral("127.0.0.1");
    options.port = 0;
    Gateway gateway(options);
    QString error;
    if (!gateway.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    LogHub::instance()->setStderrEnabled(false);
    QThread clientThread;
    Client client;
    client.port = gateway.port();
    client.token = token;
    client.fake = &fake;
    client.sessionsDir = dir.filePath(QStringLiteral("agents/main/sessions"));
    client.moveToThread(&clientThread);
    QObject::connect(&clientThread, &QThread::started, &client, [&client, &app] {
        client.run();
        QMetaObject::invokeMethod(&app, [] { QCoreApplication::quit(); });
    });
    clientThread.start();
    const int code = app.exec();
    clientThread.quit();
    clientThread.wait();
    return code;
}
