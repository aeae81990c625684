#include "sessionscontroller.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "apiservices.h"

#include <QJsonArray>

namespace SessionsApi {

ApiResponse list(ApiServices &services, const ApiRequest &request)
{
    AgentRuntime *runtime = services.agent;
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
}

} // namespace SessionsApi
