#include "eventscontroller.h"

#include "apiservices.h"
#include "core/eventbus.h"
#include "http/websocket.h"
#include "http/websocketjson.h"

namespace EventsApi {

void live(ApiServices &services, WebSocket *socket, const ApiRequest &)
{
    // Incoming messages are read and ignored; the subscription ends with the socket.
    QObject::connect(services.events, &EventBus::published, socket,
                     [socket](const QJsonObject &event) { WebSocketJson::send(socket, event); });
    WebSocketJson::send(socket, QJsonObject{{"type", "ready"}});
}

} // namespace EventsApi
