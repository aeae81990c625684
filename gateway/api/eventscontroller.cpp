#include "eventscontroller.h"

#include "core/eventbus.h"
#include "http/router.h"
#include "http/websocketjson.h"

EventsController::EventsController(Router *router, EventBus *bus)
{
    router->addWebSocketRoute(
        QStringLiteral("/api/events/live"), [bus](QWebSocket *socket, const ApiRequest &) {
            // Incoming messages are read and ignored (QWebSocket discards them unless connected);
            // the subscription ends with the socket.
            QObject::connect(bus, &EventBus::published, socket, [socket](const QJsonObject &event) {
                WebSocketJson::send(socket, event);
            });
            WebSocketJson::send(socket, QJsonObject{{"type", "ready"}});
        });
}
