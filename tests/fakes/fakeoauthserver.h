#pragma once

#include <QAbstractHttpServer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <optional>

// A fake OAuth provider on 127.0.0.1 (spec/providers.md §6.2), one server for every flavour:
//  - GET  /authorize: the browser's stop; remembers the PKCE challenge and redirects (302) to
//    redirect_uri with code=code-1 and the state (or error=<authorizeError>);
//  - POST /device (form): a device code (qwen, kimi); /api/accounts/deviceauth/usercode and
//    /api/accounts/deviceauth/token (JSON): Codex's device login;
//  - POST /oauth/token (form, or JSON for claude): authorization_code (checks the code and that
//    the verifier matches the challenge), the device_code grant (scripted pending answers),
//    refresh_token (rotation);
//  - GET /userinfo, POST /v1internal:loadCodeAssist, GET /v1/models.
class FakeOAuthServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QString path;
        QString query;
        QHash<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
        QJsonObject json() const;
        QString form(const QString &key) const;
    };

    explicit FakeOAuthServer(QObject *parent = nullptr);
    QString rootUrl() const; // http://127.0.0.1:<port>

    // Device grants: answered with these errors in order (authorization_pending, slow_down,
    // access_denied, expired_token, …) before the tokens; Codex polls get 403 this many times.
    QList<QByteArray> deviceErrors;
    int codexPendingPolls = 0;
    // /authorize redirects with ?error=<this> when set.
    QString authorizeError;
    // The next token answer instead of the real one (status, body), once.
    std::optional<QPair<int, QByteArray>> tokenOverride;
    bool hangTokenRequests = false;                  // /oauth/token never answers (a slow endpoint)
    QString email = QStringLiteral("u@example.com"); // in the id_token (empty: none)
    bool emailInTokenAnswer = false;                 // also as a top-level "email"

    const QList<Request> &requests() const { return m_requests; }
    QList<Request> requestsTo(const QString &path) const;
    // The unsigned JWT the token answers carry as id_token.
    QString idToken() const;

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void answer(const QHttpServerRequest &request, QTcpSocket *socket, int status,
                const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    QByteArray tokens(bool claude) const;

    quint16 m_port = 0;
    QList<Request> m_requests;
    QString m_challenge; // from /authorize or /device
    int m_tokenCount = 0;
};
