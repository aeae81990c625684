#include "fakeilinkserver.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <memory>
#include <utility>

QByteArray ILinkRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers)
        if (h.first.toLower() == lowerName)
            return h.second;
    return QByteArray();
}

FakeILinkServer::FakeILinkServer(QObject *parent) : QAbstractHttpServer(parent)
{
    m_port = listen(QHostAddress::LocalHost, 0);
    m_script = {QJsonObject{{"status", "wait"}}, QJsonObject{{"status", "scaned"}},
                confirmed("bot-a@im.bot", "tok-a")};
}

QString FakeILinkServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QJsonObject FakeILinkServer::confirmed(const QString &botId, const QString &token,
                                       const QString &userId)
{
    return QJsonObject{{"status", "confirmed"},
                       {"bot_token", token},
                       {"ilink_bot_id", botId},
                       {"ilink_user_id", userId}};
}

QList<ILinkRequest> FakeILinkServer::requestsTo(const QString &path) const
{
    QList<ILinkRequest> out;
    for (const ILinkRequest &request : m_requests)
        if (request.path == path)
            out << request;
    return out;
}

void FakeILinkServer::answer(const QHttpServerRequest &request, QTcpSocket *socket, int status,
                             const QByteArray &body)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(body, "application/json",
                    static_cast<QHttpServerResponder::StatusCode>(status));
}

bool FakeILinkServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ILinkRequest recorded;
    recorded.method = request.method() == QHttpServerRequest::Method::Post ? "POST" : "GET";
    recorded.path = request.url().path();
    recorded.query = request.query();
    recorded.headers = request.headers();
    recorded.body = QJsonDocument::fromJson(request.body()).object();
    m_requests << recorded;

    if (recorded.path == QLatin1String("/ilink/bot/get_bot_qrcode")) {
        if (!m_qrFailures.isEmpty()) {
            const auto failure = m_qrFailures.takeFirst();
            answer(request, socket, failure.first, failure.second);
            return true;
        }
        ++m_issued;
        const QString qrcode = QStringLiteral("qr-%1").arg(m_issued);
        m_scriptOf.insert(qrcode,
                          m_queuedScripts.isEmpty() ? m_script : m_queuedScripts.takeFirst());
        answer(request, socket, 200,
               QJsonDocument(
                   QJsonObject{
                       {"qrcode", qrcode},
                       {"qrcode_img_content",
                        QStringLiteral("https://liteapp.weixin.qq.com/q/test?qrcode=%1&bot_type=3")
                            .arg(qrcode)}})
                   .toJson(QJsonDocument::Compact));
        return true;
    }
    if (recorded.path == QLatin1String("/ilink/bot/get_qrcode_status")) {
        const QString qrcode =
            recorded.query.queryItemValue(QStringLiteral("qrcode"), QUrl::FullyDecoded);
        int &step = m_progress[qrcode];
        const QList<QJsonObject> script = m_scriptOf.value(qrcode, m_script);
        const QJsonObject status = script.value(qMin<qsizetype>(step, script.size() - 1));
        ++step;
        answer(request, socket, 200, QJsonDocument(status).toJson(QJsonDocument::Compact));
        return true;
    }
    if (recorded.path == QLatin1String("/ilink/bot/getupdates")) {
        if (!m_updateFailures.isEmpty()) {
            const auto failure = m_updateFailures.takeFirst();
            answer(request, socket, failure.first, failure.second);
            return true;
        }
        auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
        auto reply = [this, responder] {
            QJsonArray msgs;
            for (const QJsonObject &message : std::exchange(m_inbox, {}))
                msgs.append(message);
            if (!msgs.isEmpty())
                ++m_cursor;
            responder->write(QJsonDocument(QJsonObject{{"ret", 0},
                                                       {"msgs", msgs},
                                                       {"get_updates_buf",
                                                        QStringLiteral("cur-%1").arg(m_cursor)},
                                                       {"longpolling_timeout_ms", 1000}})
                                 .toJson(QJsonDocument::Compact),
                             "application/json");
        };
        if (!m_inbox.isEmpty()) {
            reply();
        } else {
            // Hold the poll, answering early if a message is injected meanwhile.
            auto *timer = new QTimer(this);
            auto elapsed = std::make_shared<int>(0);
            QPointer<QTcpSocket> client(socket);
            connect(timer, &QTimer::timeout, this, [this, timer, elapsed, reply, client] {
                *elapsed += 20;
                if (!client) {
                    timer->deleteLater();
                    return;
                }
                if (!m_inbox.isEmpty() || *elapsed >= m_holdMs) {
                    timer->deleteLater();
                    reply();
                }
            });
            timer->start(20);
        }
        return true;
    }
    if (recorded.path == QLatin1String("/ilink/bot/sendmessage")) {
        if (!m_sendFailures.isEmpty()) {
            const auto failure = m_sendFailures.takeFirst();
            answer(request, socket, failure.first, failure.second);
            return true;
        }
        answer(request, socket, 200, R"({"ret":0})");
        return true;
    }
    if (recorded.path == QLatin1String("/ilink/bot/getconfig")) {
        answer(request, socket, 200, R"({"ret":0,"typing_ticket":"ticket-1"})");
        return true;
    }
    if (recorded.path == QLatin1String("/ilink/bot/sendtyping")) {
        answer(request, socket, 200, R"({"ret":0})");
        return true;
    }
    answer(request, socket, 404, "not found");
    return true;
}

QJsonObject FakeILinkServer::textMessage(const QString &from, const QString &contextToken,
                                         const QString &text)
{
    return QJsonObject{
        {"from_user_id", from},
        {"context_token", contextToken},
        {"message_type", 1},
        {"item_list",
         QJsonArray{QJsonObject{{"type", 1}, {"text_item", QJsonObject{{"text", text}}}}}}};
}

void FakeILinkServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    answer(request, socket, 404, "not found");
}
