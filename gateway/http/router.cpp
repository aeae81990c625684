#include "router.h"

void Router::addRoute(const QString &path, const QList<QByteArray> &methods, Handler handler,
                      bool requiresAuth)
{
    Route &route = m_routes[path];
    route.methods = methods;
    route.handler = std::move(handler);
    route.requiresAuth = requiresAuth;
}

void Router::addAsyncRoute(const QString &path, const QList<QByteArray> &methods,
                           AsyncHandler handler)
{
    Route &route = m_routes[path];
    route.methods = methods;
    route.asyncHandler = std::move(handler);
    route.requiresAuth = true;
}

void Router::addWebSocketRoute(const QString &path, WebSocketHandler handler)
{
    Route &route = m_routes[path];
    route.methods = {"GET"};
    route.webSocketHandler = std::move(handler);
    route.requiresAuth = true;
}

const Router::Route *Router::find(const QString &path) const
{
    auto it = m_routes.constFind(path);
    return it == m_routes.constEnd() ? nullptr : &it.value();
}

bool Router::pathRequiresAuth(const QString &path)
{
    return path.startsWith(QLatin1String("/api/")) || path == QLatin1String("/v1/ws");
}
