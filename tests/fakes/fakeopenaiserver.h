#pragma once

#include <QAbstractHttpServer>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>
#include <atomic>

class QTcpSocket;

// One scripted answer of the fake provider.
struct FakeLlmReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;              // a plain answer
    QList<QByteArray> events;     // an SSE answer: each payload sent as "data: <payload>\n\n"
    QList<QByteArray> eventNames; // when set, "event: <name>\n" before each payload (Anthropic)
    QList<QByteArray> rawChunks;  // written as they are (split UTF-8, CRLF, comments, …)
    int firstByteDelayMs = 0;
    int intervalMs = 0; // between events / raw chunks
    int cutAfter = -1;  // drop the connection after this many events or chunks
    bool hang = false;  // accept the request and never answer
    QList<QPair<QByteArray, QByteArray>> headers;

    static FakeLlmReply chatText(const QString &content);
    static FakeLlmReply chatToolCall(const QString &id, const QString &name,
                                     const QJsonObject &arguments);
    // Chat Completions stream: one chunk per piece, then finish_reason, usage and [DONE].
    static FakeLlmReply chatStream(const QStringList &pieces);
    // A tool call whose arguments arrive in pieces (and whose id/name come in the first chunk).
    static FakeLlmReply chatToolCallStream(const QString &id, const QString &name,
                                           const QStringList &argumentPieces);
    static FakeLlmReply responsesText(const QString &content);
    static FakeLlmReply responsesStream(const QStringList &pieces);
    static FakeLlmReply responsesToolCallStream(const QString &id, const QString &name,
                                                const QStringList &argumentPieces);
    // Anthropic Messages: a whole answer, and streams of text and of one tool call whose
    // input_json_delta pieces split the arguments anywhere.
    static FakeLlmReply anthropicText(const QString &content);
    static FakeLlmReply anthropicStream(const QStringList &pieces);
    static FakeLlmReply anthropicToolCallStream(const QString &id, const QString &name,
                                                const QStringList &argumentPieces,
                                                const QString &textBefore = QString());
    // Gemini: a whole answer, a stream of text chunks (the last with finishReason), and a
    // function call without an id (as Gemini sends them).
    static FakeLlmReply geminiText(const QString &content);
    static FakeLlmReply geminiStream(const QStringList &pieces);
    static FakeLlmReply geminiFunctionCall(const QString &name, const QJsonObject &arguments);
    // The SSE bytes of `events` as one body, for replaying in raw chunks.
    QByteArray sseBytes() const;
    static FakeLlmReply error(int status, const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &headers = {});
};

struct RecordedRequest
{
    QByteArray method;
    QString path;
    QString query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QJsonObject body;
    QByteArray rawBody;
    QByteArray header(const QByteArray &lowerName) const;
};

// A fake OpenAI-compatible server on 127.0.0.1 (Chat Completions and Responses): answers each
// request with the next scripted reply, records what it received, and notices clients that hang
// up before their answer is complete.
class FakeOpenAiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit FakeOpenAiServer(QObject *parent = nullptr);
    quint16 port() const { return m_port; }
    QString apiBase() const; // http://127.0.0.1:<port>/v1
    QString rootUrl() const; // http://127.0.0.1:<port>

    void enqueue(const FakeLlmReply &reply) { m_script.append(reply); }
    void clearScript() { m_script.clear(); }
    const QList<RecordedRequest> &requests() const { return m_requests; }
    int abandonedAnswers() const { return m_abandoned; } // clients gone mid-answer
    // steady_clock time (ns) at which the last streamed answer wrote its first event.
    qint64 lastFirstEventNs() const { return m_lastFirstEventNs.load(); }

Q_SIGNALS:
    void requestReceived();

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void play(QTcpSocket *socket, const FakeLlmReply &reply);

    quint16 m_port = 0;
    QList<FakeLlmReply> m_script;
    QList<RecordedRequest> m_requests;
    int m_abandoned = 0;
    std::atomic<qint64> m_lastFirstEventNs{0};
};

// The same scripted server where Anthropic and Gemini clients expect one: at the root
// (the clients add "/v1/messages" or "/v1beta/models/…").
class FakeAnthropicServer : public FakeOpenAiServer
{
    Q_OBJECT

public:
    using FakeOpenAiServer::FakeOpenAiServer;
    QString apiBase() const { return rootUrl(); }
};

class FakeGeminiServer : public FakeOpenAiServer
{
    Q_OBJECT

public:
    using FakeOpenAiServer::FakeOpenAiServer;
    QString apiBase() const { return rootUrl(); }
};
