#include "sessionscontroller.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "apiservices.h"

#include <QJsonArray>

namespace SessionsApi {

void list(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const bool includeInternal =
        request.queryValue(QStringLiteral("include_internal")) == QLatin1String("1");
    // The sessions folder is listed on the file pool.
    services.agent->sessions()->listKeys(
        request.connection.data(), [includeInternal, reply](const QStringList &keys) {
            QJsonArray sessions;
            for (const QString &key : keys) {
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
            reply(ApiResponse::json(QJsonObject{{"ok", true}, {"sessions", sessions}}));
        });
}

} // namespace SessionsApi
