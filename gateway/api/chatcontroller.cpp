#include "chatcontroller.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "apiservices.h"
#include "core/configstore.h"
#include "core/gatewaypaths.h"
#include "core/jsonutil.h"
#include "http/websocket.h"
#include "http/websocketjson.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTimer>

namespace {

QString promptOf(const QJsonObject &body)
{
    return ChatApi::promptWithMedia(body.value("message").toString(),
                                    body.value("media").toString());
}

// Media may only name a file that /api/upload stored: the path goes into the prompt, and the
// model must not be pointed at arbitrary files through it.
bool mediaAllowed(const QJsonObject &body, const QString &uploadFolder)
{
    const QString media = body.value("media").toString();
    if (media.isEmpty())
        return true;
    const QString folder = QFileInfo(uploadFolder).canonicalFilePath();
    const QString file = QFileInfo(media).canonicalFilePath();
    return !folder.isEmpty() && !file.isEmpty() && QFileInfo(file).isFile() &&
           file.startsWith(folder + QLatin1Char('/'));
}

QString sessionOf(const QJsonObject &body, const ApiRequest &request)
{
    QString session = body.value("session").toString();
    if (session.isEmpty())
        session = request.queryValue(QStringLiteral("session"));
    if (session.trimmed().isEmpty())
        session = QStringLiteral("main");
    return session;
}

// One streamed request on a live connection: coalesces deltas and writes the frames.
class LiveRequest : public QObject
{
public:
    LiveRequest(WebSocket *socket, ChatJob *job, int coalesceMs)
        : QObject(socket), m_socket(socket), m_job(job), m_session(job->session())
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] { flush(); });
        QObject::connect(job, &ChatJob::delta, this, [this, coalesceMs](const QString &text) {
            m_pending += text;
            // The first delta goes out at once; later ones at most every `coalesceMs`.
            if (m_timer.isActive())
                return;
            const qint64 sinceLast = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : coalesceMs;
            if (sinceLast >= coalesceMs)
                flush();
            else
                m_timer.start(int(coalesceMs - sinceLast));
        });
        QObject::connect(job, &ChatJob::finished, this, [this](const QString &) {
            flush(true);
            WebSocketJson::send(
                m_socket, QJsonObject{{"ok", true}, {"type", "chat_done"}, {"session", m_session}});
            m_job = nullptr;
            deleteLater();
        });
        QObject::connect(job, &ChatJob::failed, this, [this](const QString &error) {
            flush(true);
            WebSocketJson::send(m_socket, QJsonObject{{"ok", false},
                                                      {"type", "chat_error"},
                                                      {"error", error},
                                                      {"session", m_session}});
            m_job = nullptr;
            deleteLater();
        });
    }

    // The connection going away (it owns this object) cancels the turn.
    ~LiveRequest() override
    {
        if (m_job)
            m_job->cancel();
    }

private:
    void flush(bool final = false)
    {
        m_timer.stop();
        m_sinceFlush.start();
        QString text = m_pending;
        m_pending.clear();
        // Never split a surrogate pair between two frames.
        if (!final && !text.isEmpty() && text.back().isHighSurrogate()) {
            m_pending = text.back();
            text.chop(1);
        }
        if (!text.isEmpty())
            WebSocketJson::send(m_socket, QJsonObject{{"ok", true},
                                                      {"type", "chat_chunk"},
                                                      {"session", m_session},
                                                      {"delta", text}});
    }

    WebSocket *m_socket;
    QPointer<ChatJob> m_job;
    QString m_session;
    QString m_pending;
    QTimer m_timer;
    QElapsedTimer m_sinceFlush;
};

} // namespace

namespace ChatApi {

QString promptWithMedia(const QString &message, const QString &media)
{
    QString prompt = message;
    if (!media.isEmpty()) {
        if (!prompt.isEmpty())
            prompt += QLatin1Char('\n');
        prompt += QStringLiteral("[file: %1]").arg(media);
    }
    return prompt;
}

void post(ApiServices &services, const ApiRequest &request, Reply reply)
{
    AgentRuntime *runtime = services.agent;
    QJsonObject body;
    QString error;
    if (!request.hasJsonOrNoContentType() || !JsonUtil::parseObject(request.body, &body, &error))
        return reply(ApiError::text(400, QStringLiteral("invalid json")));
    if (!mediaAllowed(body, GatewayPaths::uploads(*services.config)))
        return reply(
            ApiError::text(400, QStringLiteral("media must be a path returned by /api/upload")));
    const QString session = sessionOf(body, request);
    const QString prompt = promptOf(body);
    if (prompt.trimmed().isEmpty())
        return reply(
            ApiResponse::json(QJsonObject{{"ok", true}, {"reply", ""}, {"session", session}}));
    ChatJob *job = runtime->submit(session.trimmed(), prompt);
    if (request.connection) // the client hanging up cancels the turn
        QObject::connect(request.connection, &QObject::destroyed, job, [job] { job->cancel(); });
    QObject::connect(job, &ChatJob::finished, job, [reply, session](const QString &text) {
        reply(ApiResponse::json(QJsonObject{{"ok", true}, {"reply", text}, {"session", session}}));
    });
    QObject::connect(job, &ChatJob::failed, job,
                     [reply](const QString &message) { reply(ApiError::text(500, message)); });
}

void history(ApiServices &services, const ApiRequest &request, Reply reply)
{
    AgentRuntime *runtime = services.agent;
    QString session = request.queryValue(QStringLiteral("session"));
    if (session.isEmpty())
        session = QStringLiteral("main");
    const int around = request.boundedPositiveInt(QStringLiteral("around"), 0, 1000000);
    const int before = request.boundedPositiveInt(QStringLiteral("before"), 0, 1000000);
    const int after = request.boundedPositiveInt(QStringLiteral("after"), 0, 1000000);
    const int limit = request.boundedPositiveInt(QStringLiteral("limit"), 200, 2000);
    // A long session is read on the thread pool the first time.
    runtime->sessions()->loadAsync(session, runtime, [=] {
        QJsonArray messages;
        for (const ChatMessage &message :
             runtime->sessions()->window(session, around, before, after, limit))
            messages.append(message.toApiJson());
        reply(ApiResponse::json(
            QJsonObject{{"ok", true}, {"session", session}, {"messages", messages}}));
    });
}

void live(ApiServices &services, WebSocket *socket, const ApiRequest &request)
{
    AgentRuntime *runtime = services.agent;
    const int coalesceMs = services.chatCoalesceMs;
    ConfigStore *config = services.config;
    QObject::connect(
        socket, &WebSocket::textMessageReceived, socket,
        [socket, runtime, coalesceMs, request, config](const QString &text) {
            QJsonObject body;
            QString error;
            if (!JsonUtil::parseObject(text.toUtf8(), &body, &error)) {
                WebSocketJson::send(
                    socket,
                    QJsonObject{{"ok", false}, {"type", "chat_error"}, {"error", "invalid json"}});
                return;
            }
            const QString session = sessionOf(body, request);
            if (!mediaAllowed(body, GatewayPaths::uploads(*config))) {
                WebSocketJson::send(
                    socket, QJsonObject{{"ok", false},
                                        {"type", "chat_error"},
                                        {"session", session},
                                        {"error", "media must be a path returned by /api/upload"}});
                return;
            }
            const QString prompt = promptOf(body);
            if (prompt.trimmed().isEmpty()) {
                WebSocketJson::send(
                    socket, QJsonObject{{"ok", true}, {"type", "chat_done"}, {"session", session}});
                return;
            }
            new LiveRequest(socket, runtime->submit(session.trimmed(), prompt), coalesceMs);
        });
    QObject::connect(socket, &WebSocket::binaryMessageReceived, socket,
                     [socket](const QByteArray &) {
                         WebSocketJson::send(socket, QJsonObject{{"ok", false},
                                                                 {"type", "chat_error"},
                                                                 {"error", "invalid json"}});
                     });
}

} // namespace ChatApi
