#include "ilinkclient.h"

#include "core/networkaccess.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

namespace {

void addAppHeaders(QNetworkRequest &request)
{
    request.setRawHeader("iLink-App-Id", "bot");
    request.setRawHeader("iLink-App-ClientVersion", "131329");
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
}

} // namespace

ILinkClient::ILinkClient(QObject *parent) : QObject(parent) {}

void ILinkClient::cancel(QNetworkReply *reply)
{
    if (!reply)
        return;
    reply->setProperty("clawgoCancelled", true);
    reply->abort();
}

QByteArray ILinkClient::randomUin()
{
    return QByteArray::number(QRandomGenerator::system()->generate()).toBase64();
}

QString ILinkClient::normalizeBaseUrl(const QString &url)
{
    QString base = url.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    return base.isEmpty() ? QStringLiteral("https://ilinkai.weixin.qq.com") : base;
}

void ILinkClient::track(QNetworkReply *reply, int timeoutMs, QObject *context, bool checkStatus,
                        std::function<void(Reply &)> interpret, Callback done)
{
    reply->setParent(this);
    auto *timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply] {
        reply->setProperty("clawgoTimedOut", true);
        reply->abort();
    });
    timer->start(timeoutMs);
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, this, [reply, guard, done, checkStatus, interpret] {
        reply->deleteLater();
        if (reply->property("clawgoCancelled").toBool())
            return;
        Reply result;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray body = reply->readAll();
        if (status == 0) {
            result.error = reply->property("clawgoTimedOut").toBool()
                               ? QStringLiteral("request timed out")
                               : reply->errorString();
        } else if (checkStatus && status != 200) {
            result.error =
                QStringLiteral("http %1: %2").arg(status).arg(QString::fromUtf8(body).trimmed());
        } else {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
            if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
                result.error = QStringLiteral("decode response: %1").arg(parseError.errorString());
            } else {
                result.ok = true;
                result.body = doc.object();
                if (interpret)
                    interpret(result);
            }
        }
        if (guard)
            done(result);
    });
}

void ILinkClient::get(const QString &url, QObject *context, Callback done, bool checkStatus)
{
    QString unused;
    QNetworkRequest request{QUrl(url)};
    addAppHeaders(request);
    track(NetworkAccess::forProxy(QString(), &unused)->get(request), m_timeoutMs, context,
          checkStatus, {}, std::move(done));
}

void ILinkClient::getBotQrcode(const QString &baseUrl, QObject *context, Callback done)
{
    get(
        normalizeBaseUrl(baseUrl) + QStringLiteral("/ilink/bot/get_bot_qrcode?bot_type=3"), context,
        [done](const Reply &reply) {
            if (reply.ok && reply.body.value("qrcode").toString().trimmed().isEmpty()) {
                Reply failed;
                failed.error = QStringLiteral("empty qrcode returned");
                return done(failed);
            }
            done(reply);
        },
        true);
}

void ILinkClient::getQrcodeStatus(const QString &baseUrl, const QString &qrcode, QObject *context,
                                  Callback done)
{
    QUrl url(normalizeBaseUrl(baseUrl) + QStringLiteral("/ilink/bot/get_qrcode_status"));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("qrcode"),
                       QString::fromLatin1(QUrl::toPercentEncoding(qrcode)));
    url.setQuery(query);
    // The HTTP status is not checked here (as in the reference): the body decides.
    get(url.toString(QUrl::FullyEncoded), context, done, false);
}

QPointer<QNetworkReply> ILinkClient::post(const QString &baseUrl, const QString &path,
                                          const QString &botToken, const QJsonObject &body,
                                          const QString &operation, QObject *context, Callback done,
                                          int timeoutMs)
{
    QString unused;
    QNetworkRequest request{QUrl(normalizeBaseUrl(baseUrl) + path)};
    addAppHeaders(request);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    request.setRawHeader("AuthorizationType", "ilink_bot_token");
    request.setRawHeader("X-WECHAT-UIN", randomUin());
    if (!botToken.trimmed().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + botToken.trimmed().toUtf8());
    QNetworkReply *reply = NetworkAccess::forProxy(QString(), &unused)
                               ->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // The API's own status: success only when ret and errcode are both 0 (absent counts as 0).
    auto interpret = [operation](Reply &result) {
        const int ret = result.body.value("ret").toInt();
        const int errcode = result.body.value("errcode").toInt();
        result.sessionExpired = ret == -14 || errcode == -14;
        if (ret == 0 && errcode == 0)
            return;
        result.ok = false;
        const QString message =
            result.body.value("errmsg").toString(result.body.value("err_msg").toString()).trimmed();
        result.error = QStringLiteral("%1 failed: ret=%2 errcode=%3 msg=%4")
                           .arg(operation)
                           .arg(ret)
                           .arg(errcode)
                           .arg(message);
    };
    track(reply, timeoutMs > 0 ? qMin(timeoutMs, m_timeoutMs) : m_timeoutMs, context, true,
          interpret, std::move(done));
    return reply;
}
