#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <functional>
#include <utility>

class QObject;
class QUrl;

// One request to a provider's OAuth endpoints (token, device code, userinfo, models), for
// sign-in and refresh alike: JSON accepted, never redirected to another host (a code or token
// must not follow), a transfer timeout, the proxy given; the answer capped at 1 MiB.
namespace OAuthHttp {

struct Result
{
    int status = 0; // 0: no HTTP answer (networkError says why)
    QByteArray body;
    QString networkError;
};

// `done` runs on `context`'s thread, never when `context` is gone.
void send(int timeoutMs, QObject *context, const QString &proxy, const QByteArray &verb,
          const QUrl &url, const QByteArray &contentType, const QByteArray &body,
          const QList<std::pair<QByteArray, QByteArray>> &headers,
          std::function<void(const Result &result)> done);

} // namespace OAuthHttp
