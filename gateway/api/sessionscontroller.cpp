#include "sessionscontroller.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "http/router.h"

#include <QJsonArray>

SessionsController::SessionsController(Router *router, AgentRuntime *runtime)
{
    router->addRoute(
        QStringLiteral("/api/sessions"), {"GET"}, [runtime](const ApiRequest &request) {
            const bool includeInternal =
                request.queryValue(QStringLiteral("include_internal")) == QLatin1String("1");
            QJsonArray sessions;
            for (const QString &key : runtime->sessions()->keys()) {
                if (!includeInternal && SessionStore::isInternalKey(key))
                    continue;
                QJsonObject entry{{"key", key}};
                const qsizetype colon = key.indexOf(QLatin1Char(':'));
                if (colon > 0)
                    entry.insert("channel", key.left(colon));
                sessions.append(entry);
            }
            if (sessions.isEmpty())
                sessions.append(QJsonObject{{"key", "main"}, {"channel", "main"}});
            return ApiResponse::json(QJsonObject{{"ok", true}, {"sessions", sessions}});
        });
}
