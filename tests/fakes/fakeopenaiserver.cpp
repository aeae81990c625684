#include "fakeopenaiserver.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <chrono>
#include <memory>

namespace {

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray chatChunk(const QJsonObject &delta, const QString &finishReason = QString())
{
    QJsonObject choice{{"index", 0}, {"delta", delta}};
    choice.insert("finish_reason",
                  finishReason.isEmpty() ? QJsonValue() : QJsonValue(finishReason));
    return json(QJsonObject{{"id", "chatcmpl-1"},
                            {"object", "chat.completion.chunk"},
                            {"choices", QJsonArray{choice}}});
}

QByteArray usageChunk()
{
    return json(QJsonObject{
        {"choices", QJsonArray()},
        {"usage",
         QJsonObject{{"prompt_tokens", 11}, {"completion_tokens", 7}, {"total_tokens", 18}}}});
}

} // namespace

FakeLlmReply FakeLlmReply::chatText(const QString &content)
{
    FakeLlmReply reply;
    reply.body = json(QJsonObject{
        {"id", "c1"},
        {"object", "chat.completion"},
        {"choices", QJsonArray{QJsonObject{
                        {"index", 0},
                        {"message", QJsonObject{{"role", "assistant"}, {"content", content}}},
                        {"finish_reason", "stop"}}}},
        {"usage",
         QJsonObject{{"prompt_tokens", 1}, {"completion_tokens", 2}, {"total_tokens", 3}}}});
    return reply;
}

FakeLlmReply FakeLlmReply::chatToolCall(const QString &id, const QString &name,
                                        const QJsonObject &arguments)
{
    FakeLlmReply reply;
    const QJsonObject call{
        {"id", id},
        {"type", "function"},
        {"function",
         QJsonObject{{"name", name}, {"arguments", QString::fromUtf8(json(arguments))}}}};
    reply.body = json(QJsonObject{
        {"choices",
         QJsonArray{QJsonObject{{"index", 0},
                                {"message", QJsonObject{{"role", "assistant"},
                                                        {"content", QJsonValue()},
                                                        {"tool_calls", QJsonArray{call}}}},
                                {"finish_reason", "tool_calls"}}}}});
    return reply;
}

FakeLlmReply FakeLlmReply::chatStream(const QStringList &pieces)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events << chatChunk(QJsonObject{{"role", "assistant"}, {"content", ""}});
    for (const QString &piece : pieces)
        reply.events << chatChunk(QJsonObject{{"content", piece}});
    reply.events << chatChunk(QJsonObject(), QStringLiteral("stop")) << usageChunk() << "[DONE]";
    return reply;
}

FakeLlmReply FakeLlmReply::chatToolCallStream(const QString &id, const QString &name,
                                              const QStringList &argumentPieces)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events << chatChunk(QJsonObject{
        {"role", "assistant"},
        {"tool_calls",
         QJsonArray{QJsonObject{{"index", 0},
                                {"id", id},
                                {"type", "function"},
                                {"function", QJsonObject{{"name", name}, {"arguments", ""}}}}}}});
    for (const QString &piece : argumentPieces)
        reply.events << chatChunk(QJsonObject{
            {"tool_calls", QJsonArray{QJsonObject{
                               {"index", 0}, {"function", QJsonObject{{"arguments", piece}}}}}}});
    reply.events << chatChunk(QJsonObject(), QStringLiteral("tool_calls")) << usageChunk()
                 << "[DONE]";
    return reply;
}

FakeLlmReply FakeLlmReply::responsesText(const QString &content)
{
    FakeLlmReply reply;
    reply.body = json(QJsonObject{
        {"id", "resp_1"},
        {"status", "completed"},
        {"output",
         QJsonArray{QJsonObject{
             {"type", "message"},
             {"role", "assistant"},
             {"content", QJsonArray{QJsonObject{{"type", "output_text"}, {"text", content}}}}}}},
        {"usage", QJsonObject{{"input_tokens", 1}, {"output_tokens", 2}, {"total_tokens", 3}}}});
    return reply;
}

FakeLlmReply FakeLlmReply::responsesStream(const QStringList &pieces)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events << json(
        QJsonObject{{"type", "response.created"}, {"response", QJsonObject{{"id", "resp_1"}}}});
    QString full;
    for (const QString &piece : pieces) {
        full += piece;
        reply.events << json(QJsonObject{{"type", "response.output_text.delta"}, {"delta", piece}});
    }
    reply.events << json(
        QJsonObject{{"type", "response.completed"},
                    {"response", QJsonDocument::fromJson(responsesText(full).body).object()}});
    return reply;
}

FakeLlmReply FakeLlmReply::responsesToolCallStream(const QString &id, const QString &name,
                                                   const QStringList &argumentPieces)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    const QJsonObject item{{"type", "function_call"},
                           {"id", "fc_1"},
                           {"call_id", id},
                           {"name", name},
                           {"arguments", ""}};
    reply.events << json(
        QJsonObject{{"type", "response.output_item.added"}, {"output_index", 0}, {"item", item}});
    for (const QString &piece : argumentPieces)
        reply.events << json(QJsonObject{{"type", "response.function_call_arguments.delta"},
                                         {"output_index", 0},
                                         {"item_id", "fc_1"},
                                         {"delta", piece}});
    // No response.completed: the client must assemble the call from the deltas.
    reply.events << json(QJsonObject{
        {"type", "response.completed"},
        {"response",
         QJsonObject{
             {"status", "completed"},
             {"output", QJsonArray{QJsonObject{{"type", "function_call"},
                                               {"call_id", id},
                                               {"name", name},
                                               {"arguments", argumentPieces.join(QString())}}}}}}});
    return reply;
}

FakeLlmReply FakeLlmReply::anthropicText(const QString &content)
{
    FakeLlmReply reply;
    reply.body =
        json(QJsonObject{{"id", "msg_1"},
                         {"type", "message"},
                         {"role", "assistant"},
                         {"content", QJsonArray{QJsonObject{{"type", "text"}, {"text", content}}}},
                         {"stop_reason", "end_turn"},
                         {"usage", QJsonObject{{"input_tokens", 5}, {"output_tokens", 2}}}});
    return reply;
}

namespace {

void addAnthropic(FakeLlmReply &reply, const QByteArray &name, const QJsonObject &payload)
{
    reply.eventNames << name;
    reply.events << json(payload);
}

void anthropicStart(FakeLlmReply &reply)
{
    reply.contentType = "text/event-stream";
    addAnthropic(
        reply, "message_start",
        QJsonObject{{"type", "message_start"},
                    {"message", QJsonObject{{"id", "msg_1"},
                                            {"role", "assistant"},
                                            {"content", QJsonArray()},
                                            {"usage", QJsonObject{{"input_tokens", 12},
                                                                  {"output_tokens", 1}}}}}});
}

void anthropicText(FakeLlmReply &reply, int index, const QStringList &pieces)
{
    addAnthropic(reply, "content_block_start",
                 QJsonObject{{"type", "content_block_start"},
                             {"index", index},
                             {"content_block", QJsonObject{{"type", "text"}, {"text", ""}}}});
    addAnthropic(reply, "ping", QJsonObject{{"type", "ping"}});
    for (const QString &piece : pieces)
        addAnthropic(reply, "content_block_delta",
                     QJsonObject{{"type", "content_block_delta"},
                                 {"index", index},
                                 {"delta", QJsonObject{{"type", "text_delta"}, {"text", piece}}}});
    addAnthropic(reply, "content_block_stop",
                 QJsonObject{{"type", "content_block_stop"}, {"index", index}});
}

void anthropicStop(FakeLlmReply &reply, const QString &stopReason)
{
    addAnthropic(reply, "message_delta",
                 QJsonObject{{"type", "message_delta"},
                             {"delta", QJsonObject{{"stop_reason", stopReason}}},
                             {"usage", QJsonObject{{"output_tokens", 9}}}});
    addAnthropic(reply, "message_stop", QJsonObject{{"type", "message_stop"}});
}

QJsonObject geminiChunk(const QJsonArray &parts, const QString &finishReason = QString())
{
    QJsonObject candidate{{"content", QJsonObject{{"role", "model"}, {"parts", parts}}},
                          {"index", 0}};
    if (!finishReason.isEmpty())
        candidate.insert("finishReason", finishReason);
    QJsonObject chunk{{"candidates", QJsonArray{candidate}}};
    if (!finishReason.isEmpty())
        chunk.insert("usageMetadata", QJsonObject{{"promptTokenCount", 4},
                                                  {"candidatesTokenCount", 6},
                                                  {"totalTokenCount", 10}});
    return chunk;
}

} // namespace

FakeLlmReply FakeLlmReply::anthropicStream(const QStringList &pieces)
{
    FakeLlmReply reply;
    anthropicStart(reply);
    ::anthropicText(reply, 0, pieces);
    anthropicStop(reply, QStringLiteral("end_turn"));
    return reply;
}

FakeLlmReply FakeLlmReply::anthropicToolCallStream(const QString &id, const QString &name,
                                                   const QStringList &argumentPieces,
                                                   const QString &textBefore)
{
    FakeLlmReply reply;
    anthropicStart(reply);
    int index = 0;
    if (!textBefore.isEmpty())
        ::anthropicText(reply, index++, {textBefore});
    addAnthropic(reply, "content_block_start",
                 QJsonObject{{"type", "content_block_start"},
                             {"index", index},
                             {"content_block", QJsonObject{{"type", "tool_use"},
                                                           {"id", id},
                                                           {"name", name},
                                                           {"input", QJsonObject()}}}});
    for (const QString &piece : argumentPieces)
        addAnthropic(reply, "content_block_delta",
                     QJsonObject{{"type", "content_block_delta"},
                                 {"index", index},
                                 {"delta", QJsonObject{{"type", "input_json_delta"},
                                                       {"partial_json", piece}}}});
    addAnthropic(reply, "content_block_stop",
                 QJsonObject{{"type", "content_block_stop"}, {"index", index}});
    anthropicStop(reply, QStringLiteral("tool_use"));
    return reply;
}

FakeLlmReply FakeLlmReply::geminiText(const QString &content)
{
    FakeLlmReply reply;
    reply.body = json(geminiChunk(QJsonArray{QJsonObject{{"text", content}}}, "STOP"));
    return reply;
}

FakeLlmReply FakeLlmReply::geminiStream(const QStringList &pieces)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    for (qsizetype i = 0; i < pieces.size(); ++i)
        reply.events << json(geminiChunk(QJsonArray{QJsonObject{{"text", pieces.at(i)}}},
                                         i + 1 == pieces.size() ? "STOP" : QString()));
    return reply;
}

FakeLlmReply FakeLlmReply::geminiFunctionCall(const QString &name, const QJsonObject &arguments)
{
    FakeLlmReply reply;
    reply.contentType = "text/event-stream";
    reply.events << json(geminiChunk(
        QJsonArray{QJsonObject{{"functionCall", QJsonObject{{"name", name}, {"args", arguments}}}}},
        "STOP"));
    return reply;
}

QByteArray FakeLlmReply::sseBytes() const
{
    QByteArray bytes;
    for (qsizetype i = 0; i < events.size(); ++i) {
        if (i < eventNames.size())
            bytes += "event: " + eventNames.at(i) + "\n";
        bytes += "data: " + events.at(i) + "\n\n";
    }
    return bytes;
}

FakeLlmReply FakeLlmReply::error(int status, const QByteArray &body,
                                 const QList<QPair<QByteArray, QByteArray>> &headers)
{
    FakeLlmReply reply;
    reply.status = status;
    reply.body = body;
    reply.headers = headers;
    return reply;
}

QByteArray RecordedRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers)
        if (h.first.toLower() == lowerName)
            return h.second;
    return QByteArray();
}

FakeOpenAiServer::FakeOpenAiServer(QObject *parent) : QAbstractHttpServer(parent)
{
    m_port = listen(QHostAddress::LocalHost, 0);
}

QString FakeOpenAiServer::rootUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QString FakeOpenAiServer::apiBase() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port);
}

bool FakeOpenAiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    RecordedRequest recorded;
    recorded.method = request.method() == QHttpServerRequest::Method::Post ? "POST" : "GET";
    recorded.path = request.url().path();
    recorded.query = request.url().query();
    recorded.headers = request.headers();
    recorded.body = QJsonDocument::fromJson(request.body()).object();
    recorded.rawBody = request.body();
    m_requests.append(recorded);
    Q_EMIT requestReceived();
    FakeLlmReply reply =
        m_script.isEmpty()
            ? FakeLlmReply::error(500, R"({"error":{"message":"no scripted reply"}})")
            : m_script.takeFirst();
    play(socket, reply);
    return true;
}

void FakeOpenAiServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    socket->disconnectFromHost();
}

void FakeOpenAiServer::play(QTcpSocket *socket, const FakeLlmReply &reply)
{
    if (reply.hang)
        return;
    QPointer<QTcpSocket> client(socket);
    auto finished = std::make_shared<bool>(false);
    connect(socket, &QTcpSocket::disconnected, this, [this, finished] {
        if (!*finished)
            ++m_abandoned;
    });
    const bool streamed = !reply.events.isEmpty() || !reply.rawChunks.isEmpty();
    QList<QByteArray> parts;
    for (qsizetype i = 0; i < reply.events.size(); ++i)
        parts << (i < reply.eventNames.size() ? "event: " + reply.eventNames.at(i) + "\n"
                                              : QByteArray()) +
                     "data: " + reply.events.at(i) + "\n\n";
    parts << reply.rawChunks;

    QByteArray head = "HTTP/1.1 " + QByteArray::number(reply.status) + " Scripted\r\n";
    head += "Content-Type: " + reply.contentType + "\r\n";
    for (const auto &header : reply.headers)
        head += header.first + ": " + header.second + "\r\n";
    if (streamed)
        head += "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";
    else
        head +=
            "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n\r\n" + reply.body;

    auto send = std::make_shared<std::function<void(int)>>();
    *send = [this, client, parts, reply, finished, send](int index) {
        if (!client)
            return;
        if (reply.cutAfter >= 0 && index >= reply.cutAfter) {
            *finished = true; // the drop is the script, not the client leaving
            // Let what was written reach the client first, then reset the connection.
            client->flush();
            QTimer::singleShot(50, this, [client] {
                if (client)
                    client->abort();
            });
            return;
        }
        if (index >= parts.size()) {
            *finished = true;
            client->disconnectFromHost();
            return;
        }
        if (index == 0)
            m_lastFirstEventNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch())
                                     .count();
        client->write(parts.at(index));
        client->flush();
        if (reply.intervalMs > 0)
            QTimer::singleShot(reply.intervalMs, this, [send, index] { (*send)(index + 1); });
        else
            (*send)(index + 1);
    };
    auto begin = [client, head, streamed, send, finished] {
        if (!client)
            return;
        client->write(head);
        if (streamed) {
            (*send)(0);
        } else {
            *finished = true;
        }
    };
    if (reply.firstByteDelayMs > 0)
        QTimer::singleShot(reply.firstByteDelayMs, this, begin);
    else
        begin();
}
