#include "logscontroller.h"

#include "core/logfilereader.h"
#include "core/logtail.h"
#include "http/router.h"
#include "http/websocketjson.h"

#include <QFileInfo>

LogsController::LogsController(Router *router, PathSource logPath, int tailIntervalMs)
{
    router->addRoute(
        QStringLiteral("/api/logs/recent"), {"GET"}, [logPath](const ApiRequest &request) {
            const QString path = logPath();
            if (path.isEmpty())
                return ApiResponse::text(QStringLiteral("log path not configured"), 500);
            const int limit = request.boundedPositiveInt(QStringLiteral("limit"), 10, 200);
            QJsonArray entries;
            QString error;
            if (!LogFileReader::readRecent(path, limit, &entries, &error))
                return ApiResponse::text(error, 500);
            return ApiResponse::json(QJsonObject{{"ok", true}, {"logs", entries}});
        });

    router->addWebSocketRoute(
        QStringLiteral("/api/logs/live"),
        [logPath, tailIntervalMs](QWebSocket *socket, const ApiRequest &) {
            const QString path = logPath();
            auto *tail = new LogTail(path, tailIntervalMs, socket);
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
                WebSocketJson::send(
                    socket, QJsonObject{{"ok", true}, {"type", "log_entry"}, {"entry", entry}});
            });
        });
}
