#pragma once

#include <QJsonObject>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>

// The Weixin iLink bot API over QNetworkAccessManager (spec/channels.md §2.3–2.4): the exact
// headers (a fresh random X-WECHAT-UIN per request), JSON bodies, and errors in the reference's
// words. Every call is asynchronous; `context` bounds the callback.
class ILinkClient : public QObject
{
    Q_OBJECT

public:
    struct Reply
    {
        bool ok = false;
        QJsonObject body;
        QString error;               // "http 500: boom", "getupdates failed: ret=…", …
        bool sessionExpired = false; // ret or errcode -14
    };
    using Callback = std::function<void(const Reply &)>;

    explicit ILinkClient(QObject *parent = nullptr);
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // GET <base>/ilink/bot/get_bot_qrcode?bot_type=3 → {qrcode, qrcode_img_content}
    void getBotQrcode(const QString &baseUrl, QObject *context, Callback done);
    // GET <base>/ilink/bot/get_qrcode_status?qrcode=… → {status, bot_token, ilink_bot_id, …}
    void getQrcodeStatus(const QString &baseUrl, const QString &qrcode, QObject *context,
                         Callback done);
    // POST <base><path> with the bot token; success means ret == 0 and errcode == 0.
    // Returns the request, so a caller can abort it (a long poll of a removed account).
    QPointer<QNetworkReply> post(const QString &baseUrl, const QString &path,
                                 const QString &botToken, const QJsonObject &body,
                                 const QString &operation, QObject *context, Callback done,
                                 int timeoutMs = 0);

    // Ends a request: its callback is never called (unlike a plain abort(), which would report
    // the request as failed into whoever started it).
    static void cancel(QNetworkReply *reply);

    static QByteArray randomUin(); // base64 of the decimal digits of 4 random bytes
    static QString normalizeBaseUrl(const QString &url);

private:
    void get(const QString &url, QObject *context, Callback done, bool checkStatus);
    // Times out, decodes and reports one request; `interpret` judges a decoded JSON answer.
    void track(QNetworkReply *reply, int timeoutMs, QObject *context, bool checkStatus,
               std::function<void(Reply &)> interpret, Callback done);
    int m_timeoutMs = 45000;
};
