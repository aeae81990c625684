#include "oauthrefresh.h"

#include "core/clock.h"
#include "oauthflavour.h"
#include "oauthhttp.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace OAuthRefresh {

Endpoint endpointFor(const QString &flavour, const QJsonObject &oauth)
{
    const OAuthFlavour known = OAuthFlavour::forProvider(flavour, oauth);
    Endpoint endpoint;
    endpoint.tokenUrl = known.tokenUrl;
    endpoint.clientId = known.clientId;
    endpoint.clientSecret = known.clientSecret;
    // qwen and kimi never send a scope with a refresh (the reference does the same).
    if (flavour != QLatin1String("qwen") && flavour != QLatin1String("kimi"))
        endpoint.scope = known.scopes.join(QLatin1Char(' '));
    endpoint.json = known.jsonTokenRequests;
    endpoint.leadSec = known.isKnown() ? known.refreshLeadSec : endpoint.leadSec;
    if (oauth.value("refresh_lead_sec").toInt() > 0)
        endpoint.leadSec = oauth.value("refresh_lead_sec").toInt();
    endpoint.flavour = flavour;
    return endpoint;
}

bool applyTokenAnswer(const QJsonObject &json, const QString &flavour, const QDateTime &nowUtc,
                      OAuthCredential *credential, QString *error)
{
    const QString access = json.value("access_token").toString();
    const QString refresh = json.value("refresh_token").toString();
    if (access.isEmpty() && refresh.isEmpty()) {
        *error = QStringLiteral("oauth token payload missing access_token/refresh_token");
        return false;
    }
    if (!access.isEmpty())
        credential->accessToken = access;
    if (!refresh.isEmpty()) // rotation; an answer without one keeps the old
        credential->refreshToken = refresh;
    const auto set = [&json](const char *key, QString *field) {
        const QString value = json.value(QLatin1String(key)).toString();
        if (!value.isEmpty())
            *field = value;
    };
    set("id_token", &credential->idToken);
    set("token_type", &credential->tokenType);
    set("resource_url", &credential->resourceUrl);
    set("scope", &credential->scope);
    if (json.value("expires_in").toInteger() > 0) {
        credential->expire = Clock::rfc3339(nowUtc.addSecs(json.value("expires_in").toInteger()));
    } else if (const qint64 exp = qint64(OAuthImport::jwtClaims(json.value("id_token").toString())
                                             .value("exp")
                                             .toDouble());
               exp > 0) {
        // No lifetime given: the id_token's expiry is the best guess.
        credential->expire = Clock::rfc3339(QDateTime::fromSecsSinceEpoch(exp, Qt::UTC));
    }
    credential->lastRefresh = Clock::rfc3339(nowUtc);
    // Who signed in, as each provider says it (§3.5).
    if (flavour == QLatin1String("claude")) {
        set("email", &credential->email);
        const QJsonObject account = json.value("account").toObject();
        const QJsonObject organization = json.value("organization").toObject();
        if (!account.value("email_address").toString().isEmpty())
            credential->email = account.value("email_address").toString();
        const QString id = account.value("uuid").toString(organization.value("uuid").toString());
        if (!id.isEmpty())
            credential->accountId = id;
    } else if (flavour == QLatin1String("codex") || flavour == QLatin1String("iflow")) {
        const QJsonObject claims = OAuthImport::jwtClaims(credential->idToken);
        if (!claims.value("email").toString().isEmpty())
            credential->email = claims.value("email").toString();
        // The ChatGPT account id sits in the auth claim object (the reference printed the
        // whole object as text instead).
        const QString id =
            claims.value("https://api.openai.com/auth")
                .toObject()
                .value("chatgpt_account_id")
                .toString(claims.value("account_id").toString(claims.value("sub").toString()));
        if (!id.isEmpty())
            credential->accountId = id;
        set("email", &credential->email);
    } else {
        set("email", &credential->email);
        set("account_id", &credential->accountId);
        set("project_id", &credential->projectId);
        set("device_id", &credential->deviceId);
    }
    return true;
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
    QByteArray contentType;
    QByteArray body;
    if (endpoint.json) {
        contentType = "application/json";
        body = QJsonDocument(QJsonObject{{"client_id", endpoint.clientId},
                                         {"grant_type", "refresh_token"},
                                         {"refresh_token", credential.refreshToken}})
                   .toJson(QJsonDocument::Compact);
    } else {
        contentType = "application/x-www-form-urlencoded";
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
    OAuthHttp::send(
        30000, context, proxy, "POST", QUrl(endpoint.tokenUrl), contentType, body, {},
        [done, credential, flavour = endpoint.flavour](const OAuthHttp::Result &result) {
            const QJsonObject json = QJsonDocument::fromJson(result.body).object();
            if (result.status == 0)
                return done(
                    false, credential,
                    QStringLiteral("oauth token refresh failed: %1").arg(result.networkError));
            if (result.status < 200 || result.status >= 300) {
                // The error code and description only: an answer could echo a token.
                QString why =
                    json.value("error_description").toString(json.value("error").toString());
                if (why.isEmpty() && json.value("error").isObject())
                    why = json.value("error").toObject().value("message").toString();
                return done(
                    false, credential,
                    QStringLiteral("oauth token refresh failed: HTTP %1%2")
                        .arg(result.status)
                        .arg(why.isEmpty() ? QString() : QStringLiteral(": ") + why.left(200)));
            }
            OAuthCredential updated = credential;
            QString error;
            if (json.value("access_token").toString().isEmpty())
                return done(
                    false, credential,
                    QStringLiteral("oauth token payload missing access_token/refresh_token"));
            if (!applyTokenAnswer(json, flavour, Clock::nowUtc(), &updated, &error))
                return done(false, credential, error);
            done(true, updated, QString());
        });
}

} // namespace OAuthRefresh
