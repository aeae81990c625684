#pragma once

#include <QAbstractHttpServer>
#include <QJsonObject>
#include <QList>
#include <QUrlQuery>

class QTcpSocket;

struct ILinkRequest
{
    QByteArray method;
    QString path;
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QJsonObject body;
    QByteArray header(const QByteArray &lowerName) const;
};

// A fake Weixin iLink server on 127.0.0.1 (spec/channels.md §5.1), login endpoints: hands out
// QR codes, walks each QR through a scripted list of statuses, and records every request.
class FakeILinkServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    explicit FakeILinkServer(QObject *parent = nullptr);
    QString baseUrl() const;
    quint16 port() const { return m_port; }

    // The statuses get_qrcode_status answers for each newly issued QR, in order (the last one
    // repeats). Defaults to wait, scaned, confirmed (bot "bot-a@im.bot", token "tok-a").
    void setStatusScript(const QList<QJsonObject> &script) { m_script = script; }
    // A script for the next QR issued only (then the default script again).
    void enqueueStatusScript(const QList<QJsonObject> &script) { m_queuedScripts << script; }
    // Raw bodies for the next get_bot_qrcode answers (status 200 unless `status` given).
    void failNextQrcode(int status, const QByteArray &body)
    {
        m_qrFailures << qMakePair(status, body);
    }
    const QList<ILinkRequest> &requests() const { return m_requests; }
    QList<ILinkRequest> requestsTo(const QString &path) const;
    int issuedQrCodes() const { return m_issued; }

    // getupdates: messages handed to the next poll (answered at once when some are waiting,
    // else after the hold time with none).
    void injectMessage(const QJsonObject &message) { m_inbox << message; }
    void setHoldMs(int ms) { m_holdMs = ms; }
    // Raw answers for the next getupdates calls, before normal service resumes.
    void failNextUpdates(int status, const QByteArray &body)
    {
        m_updateFailures << qMakePair(status, body);
    }
    void failNextSend(int status, const QByteArray &body)
    {
        m_sendFailures << qMakePair(status, body);
    }
    static QJsonObject textMessage(const QString &from, const QString &contextToken,
                                   const QString &text);

    static QJsonObject confirmed(const QString &botId, const QString &token,
                                 const QString &userId = QStringLiteral("owner@im.wechat"));

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void answer(const QHttpServerRequest &request, QTcpSocket *socket, int status,
                const QByteArray &body);

    quint16 m_port = 0;
    QList<QJsonObject> m_script;
    QList<QPair<int, QByteArray>> m_qrFailures;
    QList<ILinkRequest> m_requests;
    QHash<QString, int> m_progress; // qrcode → statuses answered
    QList<QList<QJsonObject>> m_queuedScripts;
    QHash<QString, QList<QJsonObject>> m_scriptOf; // qrcode → its script
    int m_issued = 0;
    QList<QJsonObject> m_inbox;
    int m_holdMs = 200;
    int m_cursor = 0;
    QList<QPair<int, QByteArray>> m_updateFailures;
    QList<QPair<int, QByteArray>> m_sendFailures;
};
