#include "router.h"

#include <algorithm>

bool Router::Route::isWebSocket() const
{
    return std::any_of(endpoints.begin(), endpoints.end(),
                       [](const Endpoint &e) { return bool(e.webSocketHandler); });
}

const Router::Endpoint *Router::Route::endpoint(const QByteArray &method) const
{
    for (const Endpoint &e : endpoints)
        if (e.method.isEmpty() || e.method == method)
            return &e;
    return nullptr;
}

Router::Endpoint &Router::endpoint(const QByteArray &method, const QString &path,
                                   const QString &controller, Access access)
{
    Route &route = m_routes[path];
    route.path = path;
    route.access = access;
    for (Endpoint &e : route.endpoints)
        if (e.method == method) {
            e = Endpoint();
            e.method = method;
            e.controller = controller;
            return e;
        }
    route.endpoints.append(Endpoint());
    route.endpoints.last().method = method;
    route.endpoints.last().controller = controller;
    return route.endpoints.last();
}

void Router::add(const QByteArray &method, const QString &path, const QString &controller,
                 Handler handler, Access access)
{
    endpoint(method, path, controller, access).handler = std::move(handler);
}

void Router::addAsync(const QByteArray &method, const QString &path, const QString &controller,
                      AsyncHandler handler)
{
    endpoint(method, path, controller, Access::Token).asyncHandler = std::move(handler);
}

void Router::addStream(const QByteArray &method, const QString &path, const QString &controller,
                       qint64 maxBodyBytes, StreamHandler handler)
{
    Endpoint &e = endpoint(method, path, controller, Access::Token);
    e.streamHandler = std::move(handler);
    e.maxBodyBytes = maxBodyBytes;
}

void Router::addWebSocket(const QString &path, const QString &controller, WebSocketHandler handler)
{
    endpoint("GET", path, controller, Access::Token).webSocketHandler = std::move(handler);
}

const Router::Route *Router::find(const QString &path) const
{
    auto it = m_routes.constFind(path);
    return it == m_routes.constEnd() ? nullptr : &it.value();
}

QList<const Router::Route *> Router::routes() const
{
    QList<const Route *> out;
    for (const Route &route : m_routes)
        out << &route;
    std::sort(out.begin(), out.end(),
              [](const Route *a, const Route *b) { return a->path < b->path; });
    return out;
}

bool Router::pathRequiresAuth(const QString &path)
{
    return path.startsWith(QLatin1String("/api/")) || path == QLatin1String("/v1/ws");
}
