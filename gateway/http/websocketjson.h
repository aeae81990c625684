#pragma once

#include "core/jsonutil.h"

#include <QWebSocket>

namespace WebSocketJson {

// More unsent bytes than this means the client does not keep up: it is dropped rather than
// letting its queue grow without bound.
inline constexpr qint64 kMaxQueuedBytes = 8 * 1024 * 1024;

// Sends one JSON object as a text frame (compact JSON + "\n", as the reference does).
// Never blocks; returns false when the client was dropped for being too slow.
inline bool send(QWebSocket *socket, const QJsonObject &message)
{
    if (!socket || !socket->isValid())
        return false;
    if (socket->bytesToWrite() > kMaxQueuedBytes) {
        socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("client too slow"));
        return false;
    }
    socket->sendTextMessage(QString::fromUtf8(JsonUtil::compact(message)));
    return true;
}

} // namespace WebSocketJson
