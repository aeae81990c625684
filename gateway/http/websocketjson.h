#pragma once

#include "core/jsonutil.h"
#include "websocket.h"

namespace WebSocketJson {

// Sends one JSON object as a text frame (compact JSON + "\n", as the reference does). Never
// blocks; false when the client is gone or was dropped for not keeping up.
inline bool send(WebSocket *socket, const QJsonObject &message)
{
    return socket && socket->sendText(JsonUtil::compact(message));
}

} // namespace WebSocketJson
