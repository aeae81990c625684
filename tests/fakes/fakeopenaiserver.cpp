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

QString FakeOpenAiServer::apiBase() const
{
    return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port);
}

bool FakeOpenAiServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    RecordedRequest recorded;
    recorded.method = request.method() == QHttpServerRequest::Method::Post ? "POST" : "GET";
    recorded.path = request.url().path();
    recorded.headers = request.headers();
    recorded.body = QJsonDocument::fromJson(request.body()).object();
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
    for (const QByteArray &event : reply.events)
        parts << "data: " + event + "\n\n";
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
