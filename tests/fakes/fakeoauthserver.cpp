#include "fakeoauthserver.h"

#include <QCryptographicHash>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

QJsonObject FakeOAuthServer::Request::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString FakeOAuthServer::Request::form(const QString &key) const
{
    return QUrlQuery(QString::fromUtf8(body)).queryItemValue(key, QUrl::FullyDecoded);
}

FakeOAuthServer::FakeOAuthServer(QObject *parent) : QAbstractHttpServer(parent)
{
    m_port = listen(QHostAddress::LocalHost, 0);
}

QString FakeOAuthServer::rootUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

QList<FakeOAuthServer::Request> FakeOAuthServer::requestsTo(const QString &path) const
{
    QList<Request> out;
    for (const Request &request : m_requests)
        if (request.path == path)
            out << request;
    return out;
}

QString FakeOAuthServer::idToken() const
{
    QJsonObject claims{
        {"sub", "user-sub-1"},
        {"https://api.openai.com/auth",
         QJsonObject{{"chatgpt_account_id", "acct-chatgpt-1"}, {"chatgpt_plan_type", "plus"}}}};
    if (!email.isEmpty())
        claims.insert("email", email);
    const auto part = [](const QByteArray &bytes) {
        return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    };
    return QString::fromLatin1(part(R"({"alg":"none","typ":"JWT"})") + '.' +
                               part(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + '.');
}

QByteArray FakeOAuthServer::tokens(bool claude) const
{
    QJsonObject answer{{"access_token", QStringLiteral("at-%1").arg(m_tokenCount)},
                       {"refresh_token", QStringLiteral("rt-%1").arg(m_tokenCount)},
                       {"expires_in", 3600},
                       {"token_type", "Bearer"},
                       {"id_token", idToken()}};
    if (emailInTokenAnswer && !email.isEmpty())
        answer.insert("email", email);
    if (claude) {
        answer.insert("account",
                      QJsonObject{{"uuid", "acc-1"}, {"email_address", "c@example.com"}});
        answer.insert("organization", QJsonObject{{"uuid", "org-1"}});
    }
    return QJsonDocument(answer).toJson(QJsonDocument::Compact);
}

void FakeOAuthServer::answer(const QHttpServerRequest &request, QTcpSocket *socket, int status,
                             const QByteArray &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    responder.writeHeader("Content-Type", "application/json");
    for (const auto &header : headers)
        responder.writeHeader(header.first, header.second);
    responder.writeHeader("Content-Length", QByteArray::number(body.size()));
    responder.writeBody(body);
}

bool FakeOAuthServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Request recorded;
    recorded.method = request.method() == QHttpServerRequest::Method::Post ? "POST" : "GET";
    recorded.path = request.url().path();
    recorded.query = request.url().query();
    for (const auto &[name, value] : request.headers())
        recorded.headers.insert(name.toLower(), value);
    recorded.body = request.body();
    m_requests.append(recorded);
    const QString path = recorded.path;
    const QUrlQuery query(request.url());

    if (path == QLatin1String("/authorize")) {
        m_challenge = query.queryItemValue("code_challenge");
        QUrl back(query.queryItemValue("redirect_uri", QUrl::FullyDecoded));
        QUrlQuery params;
        if (!authorizeError.isEmpty())
            params.addQueryItem("error", authorizeError);
        else
            params.addQueryItem("code", "code-1");
        params.addQueryItem("state", query.queryItemValue("state", QUrl::FullyDecoded));
        back.setQuery(params);
        answer(request, socket, 302, {}, {{"Location", back.toEncoded()}});
        return true;
    }
    if (path == QLatin1String("/device")) {
        m_challenge = recorded.form("code_challenge");
        const QString verify = rootUrl() + QStringLiteral("/verify");
        answer(request, socket, 200,
               QJsonDocument(QJsonObject{{"device_code", "dev-1"},
                                         {"user_code", "ABCD"},
                                         {"verification_uri", verify},
                                         {"verification_uri_complete", verify + "?code=ABCD"},
                                         {"interval", 1},
                                         {"expires_in", 60}})
                   .toJson(QJsonDocument::Compact));
        return true;
    }
    if (path == QLatin1String("/api/accounts/deviceauth/usercode")) {
        answer(
            request, socket, 200,
            R"({"user_code":"U-CODE","device_auth_id":"dev-auth-1","interval":"1","expires_in":60})");
        return true;
    }
    if (path == QLatin1String("/api/accounts/deviceauth/token")) {
        const QJsonObject body = recorded.json();
        if (body.value("device_auth_id") != QLatin1String("dev-auth-1") ||
            body.value("user_code") != QLatin1String("U-CODE"))
            answer(request, socket, 400, R"({"error":"bad device login"})");
        else if (codexPendingPolls-- > 0)
            answer(request, socket, 403, R"({"error":"pending"})");
        else
            answer(request, socket, 200, R"({"authorization_code":"ac-1","code_verifier":"v-1"})");
        return true;
    }
    if (path == QLatin1String("/oauth/token")) {
        const bool json = recorded.headers.value("content-type").startsWith("application/json");
        const auto field = [&](const QString &key) {
            return json ? recorded.json().value(key).toString() : recorded.form(key);
        };
        if (hangTokenRequests)
            return true; // accepted, never answered
        if (tokenOverride) {
            const auto [status, body] = *tokenOverride;
            tokenOverride.reset();
            answer(request, socket, status, body);
            return true;
        }
        const QString grant = field("grant_type");
        if (grant == QLatin1String("authorization_code")) {
            const QString verifier = field("code_verifier");
            const QString challenge = QString::fromLatin1(
                QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
            const bool codexCode =
                field("code") == QLatin1String("ac-1") && verifier == QLatin1String("v-1");
            const bool browserCode = field("code") == QLatin1String("code-1") &&
                                     !m_challenge.isEmpty() && challenge == m_challenge;
            if (field("client_id").isEmpty() || field("redirect_uri").isEmpty() ||
                (!codexCode && !browserCode)) {
                answer(request, socket, 400, R"({"error":"invalid_grant"})");
                return true;
            }
            ++m_tokenCount;
            answer(request, socket, 200, tokens(json));
            return true;
        }
        if (grant == QLatin1String("urn:ietf:params:oauth:grant-type:device_code")) {
            if (field("device_code") != QLatin1String("dev-1")) {
                answer(request, socket, 400, R"({"error":"invalid_grant"})");
                return true;
            }
            if (!deviceErrors.isEmpty()) {
                answer(request, socket, 400, R"({"error":")" + deviceErrors.takeFirst() + R"("})");
                return true;
            }
            if (!m_challenge.isEmpty()) { // qwen: the verifier must match the challenge
                const QString challenge = QString::fromLatin1(
                    QCryptographicHash::hash(field("code_verifier").toLatin1(),
                                             QCryptographicHash::Sha256)
                        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
                if (challenge != m_challenge) {
                    answer(request, socket, 400, R"({"error":"invalid_grant"})");
                    return true;
                }
            }
            ++m_tokenCount;
            answer(request, socket, 200, tokens(false));
            return true;
        }
        if (grant == QLatin1String("refresh_token")) {
            ++m_tokenCount;
            answer(request, socket, 200,
                   QJsonDocument(QJsonObject{{"access_token",
                                              QStringLiteral("at-refreshed-%1").arg(m_tokenCount)},
                                             {"expires_in", 3600},
                                             {"token_type", "Bearer"}})
                       .toJson(QJsonDocument::Compact));
            return true;
        }
        answer(request, socket, 400, R"({"error":"unsupported_grant_type"})");
        return true;
    }
    if (path == QLatin1String("/userinfo")) {
        answer(request, socket, 200, R"({"email":"g@example.com"})");
        return true;
    }
    if (path == QLatin1String("/v1internal:loadCodeAssist")) {
        answer(request, socket, 200, R"({"cloudaicompanionProject":"proj-1"})");
        return true;
    }
    if (path == QLatin1String("/v1/models")) {
        answer(request, socket, 200, R"({"data":[{"id":"m-1"},{"id":"m-2"},{"id":"m-1"}]})");
        return true;
    }
    answer(request, socket, 404, R"({"error":"not found"})");
    return true;
}

void FakeOAuthServer::missingHandler(const QHttpServerRequest &, QTcpSocket *socket)
{
    socket->disconnectFromHost();
}
