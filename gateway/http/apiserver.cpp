#include "apiserver.h"

#include "core/logcategories.h"
#include "requestguard.h"
#include "router.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QMetaEnum>
#include <QTcpSocket>

namespace {

QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QByteArray reasonPhrase(int status)
{
    const QMetaEnum codes = QMetaEnum::fromType<QHttpServerResponder::StatusCode>();
    const char *key = codes.valueToKey(status);
    if (!key)
        return "Status";
    // "PayloadTooLarge" → "Payload Too Large"
    QByteArray phrase;
    for (const char *c = key; *c; ++c) {
        if (c != key && *c >= 'A' && *c <= 'Z')
            phrase.append(' ');
        phrase.append(*c);
    }
    return phrase;
}

} // namespace

void writeRawHttpError(QTcpSocket *socket, int status, const QByteArray &body,
                       const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    writeRawHttpResponse(socket, status, "text/plain; charset=utf-8", body, extraHeaders);
}

void writeRawHttpResponse(QTcpSocket *socket, int status, const QByteArray &contentType,
                          const QByteArray &body,
                          const QList<QPair<QByteArray, QByteArray>> &extraHeaders)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    out += "Content-Type: " + contentType + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
           "Referrer-Policy: no-referrer\r\nCache-Control: no-store\r\nConnection: close\r\n";
    for (const auto &header : extraHeaders)
        out += header.first + ": " + header.second + "\r\n";
    out += "\r\n" + body;
    socket->write(out);
    socket->disconnectFromHost();
}

ApiServer::ApiServer(RequestGuard *guard, Router *router, QObject *parent)
    : QAbstractHttpServer(parent), m_guard(guard), m_router(router)
{}

std::optional<ApiResponse>
ApiServer::dispatch(const ApiRequest &request,
                    const std::function<void(const ApiResponse &)> &reply)
{
    const QString path = request.url.path();
    const Router::Route *route = m_router->find(path);
    GuardInput input{request.method, request.url, request.headers, request.peer, false};

    if (request.method == "OPTIONS") {
        // Preflight: Host is still checked; CORS headers only for allowed origins.
        GuardDecision host = m_guard->check(
            GuardInput{"GET", request.url, request.headers, request.peer, false}, false);
        if (!host.passed())
            return ApiResponse::raw(host.body, "text/plain; charset=utf-8", host.status);
        ApiResponse response = ApiResponse::raw(QByteArray(), QByteArray(), 204);
        response.headers = m_guard->preflightHeaders(input);
        return response;
    }
    const bool needsAuth = route && route->requiresAuth && Router::pathRequiresAuth(path);
    GuardDecision decision = m_guard->check(input, needsAuth);
    if (!decision.passed()) {
        ApiResponse response =
            ApiResponse::raw(decision.body, "text/plain; charset=utf-8", decision.status);
        response.headers = decision.headers;
        return response;
    }
    if (!route)
        return ApiResponse::text(QStringLiteral("404 page not found"), 404);
    if (!route->methods.isEmpty() && !route->methods.contains(request.method))
        return ApiResponse::text(QStringLiteral("method not allowed"), 405);
    if (route->webSocketHandler)
        return ApiResponse::text(QStringLiteral("this endpoint needs a WebSocket upgrade"), 400);
    if (request.body.size() > m_maxBodyBytes)
        return ApiResponse::text(QStringLiteral("request body too large"), 413);
    try {
        if (route->asyncHandler) {
            route->asyncHandler(request, reply);
            return std::nullopt;
        }
        return route->handler(request);
    } catch (const std::exception &error) {
        qCCritical(lcHttp).noquote() << "handler for" << path << "failed:" << error.what();
        return ApiResponse::text(QStringLiteral("internal error"), 500);
    }
}

void ApiServer::finalize(const ApiRequest &request, ApiResponse &response) const
{
    response.headers.append(HeaderPair{"X-Content-Type-Options", "nosniff"});
    response.headers.append(HeaderPair{"X-Frame-Options", "DENY"});
    response.headers.append(HeaderPair{"Referrer-Policy", "no-referrer"});
    if (request.url.path().startsWith(QLatin1String("/api/")))
        response.headers.append(HeaderPair{"Cache-Control", "no-store"});
    if (request.method != "OPTIONS")
        response.headers.append(m_guard->corsHeaders(request.header("origin")));
}

bool ApiServer::handleRequest(const QHttpServerRequest &httpRequest, QTcpSocket *socket)
{
    ApiRequest request;
    request.method = methodName(httpRequest.method());
    request.url = httpRequest.url();
    request.query = httpRequest.query();
    const auto headers = httpRequest.headers();
    request.headers.reserve(headers.size());
    for (const auto &header : headers)
        request.headers.append(HeaderPair{header.first.toLower(), header.second.trimmed()});
    request.body = httpRequest.body();
    request.peer = socket->peerAddress();
    request.connection = socket;
    Q_EMIT requestReceived(socket);

    // The responder outlives this call when the route answers later.
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(httpRequest, socket));
    auto answered = std::make_shared<bool>(false);
    QPointer<QTcpSocket> client(socket);
    const QByteArray method = request.method;
    const ApiRequest finalizeInput{request.method, request.url, {}, request.headers, {}, {}, {}};
    auto reply = [this, responder, answered, client, method,
                  finalizeInput](const ApiResponse &answer) {
        if (*answered || !client || client->state() != QAbstractSocket::ConnectedState)
            return;
        *answered = true;
        ApiResponse response = answer;
        finalize(finalizeInput, response);
        responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(response.status));
        if (!response.contentType.isEmpty())
            responder->writeHeader("Content-Type", response.contentType);
        for (const auto &header : response.headers)
            responder->writeHeader(header.first, header.second);
        responder->writeHeader("Content-Length", QByteArray::number(response.body.size()));
        responder->writeBody(method == "HEAD" ? QByteArray() : response.body);
        Q_EMIT requestHandled(client);
    };
    if (std::optional<ApiResponse> response = dispatch(request, reply))
        reply(*response);
    return true;
}

void ApiServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest answers everything; this is only reached if that ever changes.
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(QByteArray("404 page not found\n"), "text/plain; charset=utf-8",
                    QHttpServerResponder::StatusCode::NotFound);
}
