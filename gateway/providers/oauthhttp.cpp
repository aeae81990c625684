#include "oauthhttp.h"

#include "core/networkaccess.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QUrl>

namespace OAuthHttp {

namespace {

constexpr int kAnswerCap = 1 << 20; // an endpoint's answer read at most

} // namespace

void send(int timeoutMs, QObject *context, const QString &proxy, const QByteArray &verb,
          const QUrl &url, const QByteArray &contentType, const QByteArray &body,
          const QList<std::pair<QByteArray, QByteArray>> &headers,
          std::function<void(const Result &result)> done)
{
    QString proxyError;
    QNetworkAccessManager *network = NetworkAccess::forProxy(proxy, &proxyError);
    if (!network) {
        QMetaObject::invokeMethod(
            context,
            [done, proxyError] {
                done(Result{0, {}, proxyError});
            },
            Qt::QueuedConnection);
        return;
    }
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    // A token or code never follows a redirect to another host.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::SameOriginRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    QNetworkReply *reply = verb == "GET" ? network->get(request) : network->post(request, body);
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, guard, done, timeoutMs] {
        reply->deleteLater();
        if (!guard)
            return;
        Result result;
        result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        result.body = reply->read(kAnswerCap);
        if (result.status == 0)
            result.networkError =
                reply->error() == QNetworkReply::OperationCanceledError
                    ? QStringLiteral("no answer within %1 s").arg(timeoutMs / 1000.0)
                    : reply->errorString();
        done(result);
    });
}

} // namespace OAuthHttp
