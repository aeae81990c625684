#include "oauthcredential.h"

#include "core/clock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace {

// The first non-empty string among `keys` of `object` (numbers given as text).
QString firstOf(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QJsonValue value = object.value(QLatin1String(key));
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString().trimmed();
        if (value.isDouble())
            return QString::number(value.toInteger());
    }
    return QString();
}

// An expiry as clawgo writes it: RFC 3339. Numbers are epoch seconds or (large) milliseconds.
QString expiryText(const QJsonValue &value)
{
    if (value.isDouble()) {
        const qint64 number = value.toInteger();
        if (number <= 0)
            return QString();
        const qint64 ms = number > 100'000'000'000LL ? number : number * 1000;
        return Clock::rfc3339(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
    }
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return QString();
    bool isNumber = false;
    const qint64 number = text.toLongLong(&isNumber);
    if (isNumber)
        return expiryText(QJsonValue(double(number)));
    return text;
}

QString firstExpiry(const QJsonObject &object, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QString text = expiryText(object.value(QLatin1String(key)));
        if (!text.isEmpty())
            return text;
    }
    return QString();
}

void insertIfSet(QJsonObject &object, const char *key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(QLatin1String(key), value);
}

} // namespace

QJsonObject OAuthCredential::toJson() const
{
    // access_token and refresh_token are always written; the rest only when set.
    QJsonObject object{{"access_token", accessToken}, {"refresh_token", refreshToken}};
    insertIfSet(object, "provider", provider);
    insertIfSet(object, "type", type);
    insertIfSet(object, "id_token", idToken);
    insertIfSet(object, "token_type", tokenType);
    insertIfSet(object, "account_id", accountId);
    insertIfSet(object, "email", email);
    insertIfSet(object, "expire", expire);
    insertIfSet(object, "last_refresh", lastRefresh);
    if (!models.isEmpty())
        object.insert("models", QJsonArray::fromStringList(models));
    insertIfSet(object, "project_id", projectId);
    insertIfSet(object, "device_id", deviceId);
    insertIfSet(object, "resource_url", resourceUrl);
    insertIfSet(object, "network_proxy", networkProxy);
    insertIfSet(object, "scope", scope);
    if (!token.isEmpty())
        object.insert("token", token);
    if (disabled)
        object.insert("disabled", true);
    insertIfSet(object, "disable_reason", disableReason);
    return object;
}

OAuthCredential OAuthCredential::fromJson(const QJsonObject &object)
{
    OAuthCredential c;
    c.provider = object.value("provider").toString();
    c.type = object.value("type").toString();
    c.accessToken = object.value("access_token").toString();
    c.refreshToken = object.value("refresh_token").toString();
    c.idToken = object.value("id_token").toString();
    c.tokenType = object.value("token_type").toString();
    c.accountId = object.value("account_id").toString();
    c.email = object.value("email").toString();
    c.expire = expiryText(object.value("expire"));
    c.lastRefresh = object.value("last_refresh").toString();
    for (const QJsonValue &model : object.value("models").toArray())
        if (!model.toString().isEmpty())
            c.models << model.toString();
    c.projectId = object.value("project_id").toString();
    c.deviceId = object.value("device_id").toString();
    c.resourceUrl = object.value("resource_url").toString();
    c.networkProxy = object.value("network_proxy").toString();
    c.scope = object.value("scope").toString();
    c.token = object.value("token").toObject();
    c.disabled = object.value("disabled").toBool();
    c.disableReason = object.value("disable_reason").toString();
    return c;
}

QString OAuthCredential::label() const
{
    for (const QString &candidate : {email, accountId, projectId})
        if (!candidate.trimmed().isEmpty())
            return candidate.trimmed();
    return QString();
}

QDateTime OAuthCredential::expiry() const
{
    QDateTime when = QDateTime::fromString(expire, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(expire, Qt::ISODate);
    return when;
}

QString OAuthCredential::newFileName(const QDateTime &nowUtc) const
{
    static const QRegularExpression others(QStringLiteral("[^a-z0-9]+"));
    QString name = label().toLower().replace(others, QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    if (name.isEmpty())
        name = QStringLiteral("account");
    return name.left(80) + QLatin1Char('-') +
           nowUtc.toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QStringLiteral(".json");
}

namespace OAuthImport {

QJsonObject jwtClaims(const QString &token)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    if (parts.size() != 3 || parts.at(1).isEmpty())
        return QJsonObject();
    const QByteArray payload = QByteArray::fromBase64(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return QJsonDocument::fromJson(payload).object();
}

bool parse(const QByteArray &bytes, const QString &fileName, const QString &provider,
           const QDateTime &nowUtc, OAuthCredential *credential, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("auth.json is not a JSON object: %1").arg(fileName);
        return false;
    }
    const QJsonObject root = doc.object();
    const QJsonObject token = root.value("token").toObject();
    const QJsonObject auth = root.value("auth").toObject();
    const QJsonObject tokens = root.value("tokens").toObject(); // the Codex CLI's auth.json
    OAuthCredential c;
    // Tokens: token{…}, then auth{…}, then tokens{…}, then the top level.
    const auto pick = [&](std::initializer_list<const char *> keys) {
        for (const QJsonObject *source : {&token, &auth, &tokens, &root}) {
            const QString value = firstOf(*source, keys);
            if (!value.isEmpty())
                return value;
        }
        return QString();
    };
    c.accessToken = pick({"access_token"});
    c.refreshToken = pick({"refresh_token"});
    c.idToken = pick({"id_token"});
    c.tokenType = pick({"token_type"});
    if (c.accessToken.isEmpty() && c.refreshToken.isEmpty()) {
        *error = QStringLiteral("auth.json missing access_token/refresh_token in %1").arg(fileName);
        return false;
    }
    const QJsonObject claims = jwtClaims(c.idToken);
    const QJsonObject openAi = claims.value("https://api.openai.com/auth").toObject();
    c.accountId = firstOf(root, {"account_id", "sub"});
    if (c.accountId.isEmpty())
        c.accountId = firstOf(tokens, {"account_id"});
    if (c.accountId.isEmpty())
        c.accountId = firstOf(openAi, {"chatgpt_account_id"});
    c.email = firstOf(root, {"email", "account_email", "alias", "account_label", "label"});
    if (c.email.isEmpty())
        c.email = firstOf(token, {"email", "account_email", "alias", "account_label", "label"});
    if (c.email.isEmpty())
        c.email = firstOf(claims, {"email"});
    c.expire = firstExpiry(root, {"expire", "expired", "expiry_date", "expiry"});
    if (c.expire.isEmpty())
        c.expire = firstExpiry(token, {"expiry", "expiry_date"});
    if (c.expire.isEmpty())
        c.expire = firstExpiry(auth, {"expiry", "expired"});
    if (c.expire.isEmpty() && claims.value("exp").isDouble())
        c.expire = expiryText(claims.value("exp"));
    c.lastRefresh = firstOf(root, {"last_refresh"});
    if (c.lastRefresh.isEmpty())
        c.lastRefresh = Clock::rfc3339(nowUtc);
    c.projectId = firstOf(root, {"project_id", "projectId"});
    c.deviceId = firstOf(root, {"device_id", "deviceId"});
    c.resourceUrl = firstOf(root, {"resource_url"});
    c.networkProxy = firstOf(root, {"network_proxy", "proxy_url", "http_proxy"});
    c.scope = firstOf(root, {"scope"});
    if (c.scope.isEmpty() && root.value("scopes").isArray()) {
        QStringList scopes;
        for (const QJsonValue &scope : root.value("scopes").toArray())
            scopes << scope.toString();
        c.scope = scopes.join(QLatin1Char(' '));
    } else if (c.scope.isEmpty()) {
        c.scope = firstOf(root, {"scopes"});
    }
    for (const QJsonValue &model : root.value("models").toArray())
        if (!model.toString().trimmed().isEmpty())
            c.models << model.toString().trimmed();
    c.type = firstOf(root, {"type"});
    if (c.type.isEmpty())
        c.type = provider;
    c.provider = provider;
    if (!token.isEmpty())
        c.token = token;
    *credential = c;
    return true;
}

} // namespace OAuthImport
