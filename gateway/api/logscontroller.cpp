#include "logscontroller.h"

#include "apiservices.h"
#include "core/background.h"
#include "core/configstore.h"
#include "core/gatewaypaths.h"
#include "core/logcategories.h"
#include "core/logfilereader.h"
#include "core/loghub.h"
#include "core/logtail.h"
#include "http/websocket.h"
#include "http/websocketjson.h"

#include <QFileInfo>

namespace LogsApi {

void recent(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const QString path = GatewayPaths::logFile(*services.config);
    if (path.isEmpty())
        throw ApiError::text(500, QStringLiteral("log path not configured"));
    const int limit = request.boundedPositiveInt(QStringLiteral("limit"), 10, 200);
    LogHub::instance()->flush(); // what was logged so far is in the file
    // Read backwards from the end of the file, on the file pool.
    Background::run(
        request.connection.data(),
        [path, limit] {
            QJsonArray entries;
            QString error;
            if (!LogFileReader::readRecent(path, limit, &entries, &error))
                return ApiResponse::fromError(ApiError::text(500, error));
            return ApiResponse::json(QJsonObject{{"ok", true}, {"logs", entries}});
        },
        [reply](const ApiResponse &response) { reply(response); });
}

void live(ApiServices &services, WebSocket *socket, const ApiRequest &)
{
    const QString path = GatewayPaths::logFile(*services.config);
    auto *tail = new LogTail(path, services.logTailIntervalMs, socket);
    QString error;
    if (path.isEmpty() || !tail->start(&error)) {
        // The client gets the setting to look at; the path and the system's reason go to the
        // log (DESIGN.md: errors never leak internals).
        QString answer;
        if (path.isEmpty()) {
            answer = QStringLiteral("log path not configured: set logging.dir on the Config page");
        } else if (!QFileInfo::exists(path)) {
            answer = QStringLiteral("the log file does not exist yet (is logging.enabled on?)");
        } else {
            answer = QStringLiteral("the log file cannot be read");
            qCWarning(lcLogs).noquote() << "live logs:" << error;
        }
        WebSocketJson::send(socket, QJsonObject{{"ok", false}, {"error", answer}});
        socket->close();
        return;
    }
    QObject::connect(tail, &LogTail::entry, socket, [socket](const QJsonObject &entry) {
        WebSocketJson::send(socket,
                            QJsonObject{{"ok", true}, {"type", "log_entry"}, {"entry", entry}});
    });
}

} // namespace LogsApi
