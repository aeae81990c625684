#pragma once

#include "apiresponse.h"

#include <QHash>
#include <functional>
#include <memory>

class WebSocket;

// Receives the body of a streaming route as it arrives, so it is never held in memory whole.
// Made by the route's factory after the head passed the guards; the connection owns it.
class RequestBodySink
{
public:
    virtual ~RequestBodySink() = default;
    // Some body bytes; an ApiError thrown here ends the request with that answer.
    virtual void write(const char *data, qsizetype size) = 0;
    // The whole body arrived: answer through `reply` (now or later).
    virtual void finish(Reply reply) = 0;
    // The client left or the body was refused: undo whatever write() started. Called at most
    // once, and never after finish().
    virtual void abort() = 0;
};

// Exact-path routes (as the reference's mux), each with its methods and the kind of handler:
// answered at once, answered later, a streamed body, or a WebSocket. Every route of the gateway,
// streaming and WebSocket ones included, lives in this one table (filled in api/routes.cpp).
class Router
{
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;
    using AsyncHandler = std::function<void(const ApiRequest &, Reply)>;
    // Builds the body sink for a request whose head is `request` (no body yet); throws ApiError
    // to refuse it (wrong content type, too large, …).
    using StreamHandler = std::function<std::unique_ptr<RequestBodySink>(const ApiRequest &)>;
    using WebSocketHandler = std::function<void(WebSocket *socket, const ApiRequest &request)>;

    enum class Access
    {
        Token,  // /api/* and the protected extra routes
        Public, // /health
    };

    struct Endpoint
    {
        QByteArray method; // empty: any method
        QString controller;
        Handler handler;
        AsyncHandler asyncHandler;
        StreamHandler streamHandler;
        qint64 maxBodyBytes = 0; // streaming routes: their own body limit
        WebSocketHandler webSocketHandler;
    };
    struct Route
    {
        QString path;
        Access access = Access::Token;
        QList<Endpoint> endpoints;
        bool isWebSocket() const;
        const Endpoint *endpoint(const QByteArray &method) const;
    };

    void add(const QByteArray &method, const QString &path, const QString &controller,
             Handler handler, Access access = Access::Token);
    void addAsync(const QByteArray &method, const QString &path, const QString &controller,
                  AsyncHandler handler);
    void addStream(const QByteArray &method, const QString &path, const QString &controller,
                   qint64 maxBodyBytes, StreamHandler handler);
    void addWebSocket(const QString &path, const QString &controller, WebSocketHandler handler);

    const Route *find(const QString &path) const;
    QList<const Route *> routes() const; // sorted by path
    // /api/* and /v1/ws need the token; unknown paths do not (404 first).
    static bool pathRequiresAuth(const QString &path);

private:
    Endpoint &endpoint(const QByteArray &method, const QString &path, const QString &controller,
                       Access access);
    QHash<QString, Route> m_routes;
};
