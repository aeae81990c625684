#include "oauthrefresh.h"

#include "core/clock.h"
#include "core/networkaccess.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUrlQuery>

namespace OAuthRefresh {

namespace {

const QString kGoogleToken = QStringLiteral("https://oauth2.googleapis.com/token");

} // namespace

Endpoint endpointFor(const QString &flavour, const QJsonObject &oauth)
{
    static const QHash<QString, Endpoint> builtIn{
        {"codex",
         {"https://auth.openai.com/oauth/token", "app_EMoamEEZ73f0CkXaXp7hrann", "",
          "openid email profile offline_access", false, 5 * 24 * 3600}},
        {"claude",
         {"https://api.anthropic.com/v1/oauth/token", "9d1c250a-e61b-44d9-88ed-5944d1962f5e", "",
          "org:create_api_key user:profile user:inference", true, 4 * 3600}},
        {"gemini",
         {kGoogleToken, "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
          "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",
          "https://www.googleapis.com/auth/cloud-platform "
          "https://www.googleapis.com/auth/userinfo.email "
          "https://www.googleapis.com/auth/userinfo.profile",
          false, 30 * 60}},
        {"antigravity",
         {kGoogleToken, "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com",
          "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",
          "https://www.googleapis.com/auth/cloud-platform "
          "https://www.googleapis.com/auth/userinfo.email "
          "https://www.googleapis.com/auth/userinfo.profile "
          "https://www.googleapis.com/auth/cclog "
          "https://www.googleapis.com/auth/experimentsandconfigs",
          false, 5 * 60}},
        {"qwen",
         {"https://chat.qwen.ai/api/v1/oauth2/token", "f0304373b74a44d2b584a3fb70ca9e56", "", "",
          false, 3 * 3600}},
        {"kimi",
         {"https://auth.kimi.com/api/oauth/token", "17e5f671-d194-4dfb-9706-5516cb48c098", "", "",
          false, 5 * 60}},
        {"iflow",
         {"https://iflow.cn/oauth/token", "10009311001", "4Z3YjXycVsQvyGF1etiNlIBB4RsqSDtW", "",
          false, 30 * 60}},
    };
    Endpoint endpoint = builtIn.value(flavour);
    const auto override = [&oauth](const char *key, QString *field) {
        const QString value = oauth.value(QLatin1String(key)).toString().trimmed();
        if (!value.isEmpty())
            *field = value;
    };
    override("token_url", &endpoint.tokenUrl);
    override("client_id", &endpoint.clientId);
    override("client_secret", &endpoint.clientSecret);
    QStringList scopes;
    for (const QJsonValue &scope : oauth.value("scopes").toArray())
        if (!scope.toString().trimmed().isEmpty())
            scopes << scope.toString().trimmed();
    if (!scopes.isEmpty())
        endpoint.scope = scopes.join(QLatin1Char(' '));
    // qwen and kimi never send a scope with a refresh (the reference does the same).
    if (flavour == QLatin1String("qwen") || flavour == QLatin1String("kimi"))
        endpoint.scope.clear();
    if (oauth.value("refresh_lead_sec").toInt() > 0)
        endpoint.leadSec = oauth.value("refresh_lead_sec").toInt();
    return endpoint;
}

void start(const Endpoint &endpoint, const OAuthCredential &credential, const QString &proxy,
           QObject *context, Done done)
{
    const auto fail = [context, done, credential](const QString &error) {
        QMetaObject::invokeMethod(
            context, [done, credential, error] { done(false, credential, error); },
            Qt::QueuedConnection);
    };
    if (credential.refreshToken.isEmpty())
        return fail(QStringLiteral("missing refresh_token"));
    if (endpoint.tokenUrl.isEmpty() || endpoint.clientId.isEmpty())
        return fail(QStringLiteral("no token endpoint is known for this provider: set "
                                   "oauth.token_url and oauth.client_id"));
    QString proxyError;
    QNetworkAccessManager *network = NetworkAccess::forProxy(proxy, &proxyError);
    if (!network)
        return fail(proxyError);
    QNetworkRequest request{QUrl(endpoint.tokenUrl)};
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(30000);
    QByteArray body;
    if (endpoint.json) {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        body = QJsonDocument(QJsonObject{{"client_id", endpoint.clientId},
                                         {"grant_type", "refresh_token"},
                                         {"refresh_token", credential.refreshToken}})
                   .toJson(QJsonDocument::Compact);
    } else {
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-www-form-urlencoded");
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("client_id"), endpoint.clientId);
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("refresh_token"), credential.refreshToken);
        if (!endpoint.clientSecret.isEmpty())
            form.addQueryItem(QStringLiteral("client_secret"), endpoint.clientSecret);
        if (!endpoint.scope.isEmpty())
            form.addQueryItem(QStringLiteral("scope"), endpoint.scope);
        body = form.query(QUrl::FullyEncoded).toUtf8();
    }
    QNetworkReply *reply = network->post(request, body);
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, reply, [reply, guard, done, credential] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray answer = reply->readAll().left(1 << 20);
        const QJsonObject json = QJsonDocument::fromJson(answer).object();
        if (status == 0)
            return done(false, credential,
                        QStringLiteral("oauth token refresh failed: %1").arg(reply->errorString()));
        if (status < 200 || status >= 300) {
            // The error code and description only: an answer could echo a token.
            QString why = json.value("error_description").toString(json.value("error").toString());
            if (why.isEmpty() && json.value("error").isObject())
                why = json.value("error").toObject().value("message").toString();
            return done(false, credential,
                        QStringLiteral("oauth token refresh failed: HTTP %1%2")
                            .arg(status)
                            .arg(why.isEmpty() ? QString() : QStringLiteral(": ") + why.left(200)));
        }
        const QString access = json.value("access_token").toString();
        if (access.isEmpty())
            return done(false, credential,
                        QStringLiteral("oauth token payload missing access_token/refresh_token"));
        OAuthCredential updated = credential;
        updated.accessToken = access;
        if (!json.value("refresh_token").toString().isEmpty()) // rotation
            updated.refreshToken = json.value("refresh_token").toString();
        if (!json.value("id_token").toString().isEmpty())
            updated.idToken = json.value("id_token").toString();
        if (!json.value("token_type").toString().isEmpty())
            updated.tokenType = json.value("token_type").toString();
        const QDateTime now = Clock::nowUtc();
        if (json.value("expires_in").toInteger() > 0)
            updated.expire = Clock::rfc3339(now.addSecs(json.value("expires_in").toInteger()));
        if (!json.value("resource_url").toString().isEmpty())
            updated.resourceUrl = json.value("resource_url").toString();
        updated.lastRefresh = Clock::rfc3339(now);
        done(true, updated, QString());
    });
}

} // namespace OAuthRefresh
