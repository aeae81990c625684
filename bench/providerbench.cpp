// Provider benchmarks, run by hand (bench/run-providers.sh):
//  1. the fake's first SSE byte → the client's first chat_chunk, on the Anthropic and Gemini
//     paths (median, p90 of 50 turns each)
//  2. what choosing the providers and the candidate adds to a turn (chain, settings, runtime)
//  3. GET /api/provider/runtime over 10 000 history events, with filters

#include "agent/agentruntime.h"
#include "benchsupport.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"
#include "providers/providerconfig.h"
#include "providers/providerruntime.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
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
    FakeOpenAiServer *claude = nullptr;
    FakeOpenAiServer *gemini = nullptr;

    void run()
    {
        firstChunk("claude", claude);
        firstChunk("gemini", gemini);
        runtimeView();
        QCoreApplication::instance()->exit(0);
    }

private:
    void firstChunk(const char *session, FakeOpenAiServer *fake)
    {
        QWebSocket socket;
        qint64 firstChunkNs = 0;
        int done = 0;
        QObject::connect(&socket, &QWebSocket::textMessageReceived, [&](const QString &text) {
            const QJsonObject message = QJsonDocument::fromJson(text.toUtf8()).object();
            if (message.value("type") == QLatin1String("chat_chunk") && firstChunkNs == 0)
                firstChunkNs = nowNs();
            if (message.value("type") == QLatin1String("chat_done") ||
                message.value("type") == QLatin1String("chat_error"))
                ++done;
        });
        bool connected = false;
        QObject::connect(&socket, &QWebSocket::connected, [&] { connected = true; });
        socket.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/chat/live?token=%2")
                             .arg(port)
                             .arg(QString::fromLatin1(token))));
        spin([&] { return connected; }, 5000);
        QList<double> latencies;
        for (int i = 0; i < 50; ++i) {
            firstChunkNs = 0;
            socket.sendTextMessage(QStringLiteral("{\"session\":\"%1\",\"message\":\"hi\"}")
                                       .arg(QLatin1String(session)));
            spin([&] { return done > i; }, 10000);
            latencies << (firstChunkNs - fake->lastFirstEventNs()) / 1e6;
        }
        std::printf("%s: first SSE byte -> first chat_chunk: median %.2f ms, p90 %.2f ms, "
                    "max %.2f ms (50 turns)\n",
                    session, percentile(latencies, 0.5), percentile(latencies, 0.9),
                    percentile(latencies, 1.0));
    }

    void runtimeView()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        socket.waitForConnected(5000);
        const QList<QByteArray> queries{
            "/api/provider/runtime",
            "/api/provider/runtime?provider=claude&limit=50",
            "/api/provider/runtime?provider=claude&reason=rate&target=sk-b&limit=50&cursor=100",
            "/api/provider/runtime?kind=api_key&window_sec=600&sort=asc",
            "/api/provider/runtime?changes_only=true&health_below=50",
        };
        for (const QByteArray &query : queries) {
            QList<double> times;
            qsizetype bytes = 0;
            for (int i = 0; i < 30; ++i)
                times << timedGet(socket, query, token, &bytes);
            std::printf("GET %s: median %.2f ms, max %.2f ms (%lld bytes)\n", query.constData(),
                        percentile(times, 0.5), percentile(times, 1.0), qlonglong(bytes));
        }
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    LogHub::install();
    QTemporaryDir dir;
    FakeAnthropicServer claude;
    FakeGeminiServer gemini;
    for (int i = 0; i < 50; ++i) {
        claude.enqueue(FakeLlmReply::anthropicStream({"Hello", " there"}));
        gemini.enqueue(FakeLlmReply::geminiStream({"Hello", " there"}));
    }
    QJsonObject config;
    const QByteArray token = "cg_bench_token_0123456789abcdef";
    JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QString::fromLatin1(token));
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.workspace"),
                         dir.filePath(QStringLiteral("workspace")));
    JsonUtil::setValueAt(config, QStringLiteral("logging.enabled"), false);
    JsonUtil::setValueAt(config, QStringLiteral("logging.dir"),
                         dir.filePath(QStringLiteral("logs")));
    QJsonObject providers{{"claude", QJsonObject{{"api_base", claude.apiBase()},
                                                 {"api_key", "sk-bench-claude-0001"},
                                                 {"models", QJsonArray{"m"}},
                                                 {"timeout_sec", 30},
                                                 {"runtime_history_max", 10000}}},
                          {"gemini", QJsonObject{{"api_base", gemini.apiBase()},
                                                 {"api_key", "AIza-bench-0002"},
                                                 {"models", QJsonArray{"m"}},
                                                 {"timeout_sec", 30}}}};
    for (int i = 0; i < 8; ++i) // more providers for the chain and the view
        providers.insert(QStringLiteral("extra%1").arg(i),
                         QJsonObject{{"api_base", "http://127.0.0.1:9/v1"},
                                     {"api_key", QStringLiteral("sk-extra-%1-000000").arg(i)},
                                     {"models", QJsonArray{"x"}},
                                     {"timeout_sec", 30}});
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"), providers);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("claude/m"));
    QFile file(dir.filePath(QStringLiteral("config.json")));
    file.open(QIODevice::WriteOnly);
    file.write(JsonUtil::pretty(config));
    file.close();

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
    gateway.agent()->setSessionModel(QStringLiteral("gemini"), QStringLiteral("gemini/m"));

    // 2. Choosing: what a turn does before its first request.
    {
        const QJsonObject effective = gateway.configStore()->effective();
        ProviderRuntime *runtime = gateway.agent()->providerRuntime();
        const int rounds = 20000;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < rounds; ++i) {
            const QList<ProviderConfig::ModelRef> refs = ProviderConfig::chain(effective);
            QList<ProviderSettings> chain;
            for (const ProviderConfig::ModelRef &ref : refs) {
                ProviderSettings settings;
                QString ignored;
                if (ProviderConfig::settingsFor(effective, ref, &settings, &ignored))
                    chain << settings;
            }
            runtime->candidates(chain.first());
        }
        std::printf("resolving the chain (10 providers) from the config and the first candidate: "
                    "%.2f us (once per config change)\n",
                    timer.nsecsElapsed() / 1000.0 / rounds);
        timer.restart();
        for (int i = 0; i < rounds; ++i) {
            QStringList problems;
            const QList<ProviderSettings> chain =
                gateway.agent()->providerChain(QStringLiteral("bench"), &problems);
            runtime->candidates(chain.first());
        }
        std::printf("a turn's chain and first candidate: %.2f us per turn\n",
                    timer.nsecsElapsed() / 1000.0 / rounds);
        ProviderSettings settings;
        settings.name = QStringLiteral("claude");
        settings.apiKey = QStringLiteral("sk-bench-claude-0001");
        timer.restart();
        for (int i = 0; i < rounds * 10; ++i)
            runtime->candidates(settings);
        std::printf("choosing a candidate alone: %.3f us\n",
                    timer.nsecsElapsed() / 1000.0 / (rounds * 10));
    }

    // 3. 10 000 history events for the view: hits, errors and changes.
    {
        ProviderRuntime *runtime = gateway.agent()->providerRuntime();
        ProviderRuntime::Candidate a;
        a.provider = QStringLiteral("claude");
        a.kind = QStringLiteral("api_key");
        a.target = QStringLiteral("sk-b***0001");
        LlmFailure failure;
        failure.reason = LlmFailure::Reason::RateLimit;
        failure.message = QStringLiteral("provider \"claude\" is rate limiting requests");
        for (int i = 0; i < 5000; ++i) {
            runtime->recordSuccess(a);
            runtime->recordFailure(a, failure);
        }
        runtime->clearApiCooldown(QStringLiteral("claude"));
    }

    QThread clientThread;
    Client client;
    client.port = gateway.port();
    client.token = token;
    client.claude = &claude;
    client.gemini = &gemini;
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
