#pragma once

#include "apiresponse.h"

#include <QHash>
#include <functional>

class QWebSocket;

// Exact-path routes (as the reference's mux) with their methods; WebSocket routes live in the
// same table so a plain GET to them and the upgrade share one auth rule.
class Router
{
public:
    using Handler = std::function<ApiResponse(const ApiRequest &)>;
    // Answers later: the handler keeps `reply` and calls it once, from the event loop. Calls
    // after the client left are ignored; request.connection tells when it leaves.
    using Reply = std::function<void(const ApiResponse &)>;
    using AsyncHandler = std::function<void(const ApiRequest &, Reply reply)>;
    using WebSocketHandler = std::function<void(QWebSocket *socket, const ApiRequest &request)>;

    struct Route
    {
        QList<QByteArray> methods; // empty: any method
        Handler handler;
        AsyncHandler asyncHandler;
        WebSocketHandler webSocketHandler;
        bool requiresAuth = true;
    };

    void addRoute(const QString &path, const QList<QByteArray> &methods, Handler handler,
                  bool requiresAuth = true);
    void addAsyncRoute(const QString &path, const QList<QByteArray> &methods, AsyncHandler handler);
    void addWebSocketRoute(const QString &path, WebSocketHandler handler);

    const Route *find(const QString &path) const;
    // /api/* and the protected extra routes need the token; unknown paths do not (404 first).
    static bool pathRequiresAuth(const QString &path);

private:
    QHash<QString, Route> m_routes;
};
