#include "logscontroller.h"

#include "apiservices.h"
#include "core/configstore.h"
#include "core/gatewaypaths.h"
#include "core/logfilereader.h"
#include "core/logtail.h"
#include "http/websocket.h"
#include "http/websocketjson.h"

#include <QFileInfo>

namespace LogsApi {

ApiResponse recent(ApiServices &services, const ApiRequest &request)
{
    const QString path = GatewayPaths::logFile(*services.config);
    if (path.isEmpty())
        throw ApiError::text(500, QStringLiteral("log path not configured"));
    const int limit = request.boundedPositiveInt(QStringLiteral("limit"), 10, 200);
    QJsonArray entries;
    QString error;
    if (!LogFileReader::readRecent(path, limit, &entries, &error))
        throw ApiError::text(500, error);
    return ApiResponse::json(QJsonObject{{"ok", true}, {"logs", entries}});
}

void live(ApiServices &services, WebSocket *socket, const ApiRequest &)
{
    const QString path = GatewayPaths::logFile(*services.config);
    auto *tail = new LogTail(path, services.logTailIntervalMs, socket);
    QString error;
    if (path.isEmpty() || !tail->start(&error)) {
        if (path.isEmpty())
            error = QStringLiteral("log path not configured");
        else if (!QFileInfo::exists(path))
            error = QStringLiteral("open %1: no such file or directory").arg(path);
        WebSocketJson::send(socket, QJsonObject{{"ok", false}, {"error", error}});
        socket->close();
        return;
    }
    QObject::connect(tail, &LogTail::entry, socket, [socket](const QJsonObject &entry) {
        WebSocketJson::send(socket,
                            QJsonObject{{"ok", true}, {"type", "log_entry"}, {"entry", entry}});
    });
}

} // namespace LogsApi
