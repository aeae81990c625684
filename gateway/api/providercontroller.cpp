#include "providercontroller.h"

#include "agent/agentruntime.h"
#include "apiservices.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "http/websocket.h"
#include "providers/aistudiorelay.h"
#include "providers/providerconfig.h"
#include "providers/providerruntime.h"

#include <QJsonArray>

namespace ProviderApi {

namespace {

ProviderRuntime *runtime(ApiServices &services)
{
    return services.agent->providerRuntime();
}

ApiError notFound(const QString &name)
{
    return ApiError::text(404, QStringLiteral("provider \"%1\" not found").arg(name));
}

// A positive integer query value; anything else is "absent" (0).
qint64 positive(const ApiRequest &request, const QString &key)
{
    bool ok = false;
    const qint64 value = request.queryValue(key).toLongLong(&ok);
    return ok && value > 0 ? value : 0;
}

bool parseBody(const ApiRequest &request, QJsonObject *body)
{
    QString error;
    return request.hasJsonOrNoContentType() && JsonUtil::parseObject(request.body, body, &error);
}

} // namespace

ApiResponse runtimeView(ApiServices &services, const ApiRequest &request)
{
    const QJsonObject config = services.config->effective();
    ProviderRuntime::Query query;
    const QString provider = request.queryValue(QStringLiteral("provider"));
    if (!provider.isEmpty()) {
        query.provider = ProviderConfig::keyFor(config, provider);
        if (query.provider.isEmpty())
            return ApiResponse::fromError(notFound(provider));
    }
    query.kind = request.queryValue(QStringLiteral("kind"));
    query.reason = request.queryValue(QStringLiteral("reason"));
    query.target = request.queryValue(QStringLiteral("target"));
    query.sort = request.queryValue(QStringLiteral("sort"));
    query.changesOnly = request.queryValue(QStringLiteral("changes_only"))
                            .compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    query.windowSec = positive(request, QStringLiteral("window_sec"));
    query.limit = int(qMin<qint64>(positive(request, QStringLiteral("limit")), 100000));
    query.cursor = int(qMin<qint64>(positive(request, QStringLiteral("cursor")), 1 << 30));
    query.healthBelow = int(qMin<qint64>(positive(request, QStringLiteral("health_below")), 1000));
    query.cooldownBeforeSec =
        qMin<qint64>(positive(request, QStringLiteral("cooldown_until_before_sec")), 10LL << 30);
    return ApiResponse::json(QJsonObject{{"ok", true}, {"view", runtime(services)->view(query)}});
}

ApiResponse runtimeAction(ApiServices &services, const ApiRequest &request)
{
    QJsonObject body;
    if (!parseBody(request, &body))
        return ApiResponse::fromError(ApiError::text(400, QStringLiteral("invalid json")));
    const QString action = body.value("action").toString().trimmed().toLower();
    static const QStringList actions{"clear_api_cooldown", "clear_history", "refresh_now",
                                     "rerank"};
    if (!actions.contains(action))
        return ApiResponse::fromError(ApiError::text(400, QStringLiteral("unsupported action")));
    const QJsonObject config = services.config->effective();
    const QString asked = body.value("provider").toString().trimmed();
    const QString name = ProviderConfig::keyFor(config, asked);
    if (name.isEmpty() || !ProviderConfig::providers(config).contains(name))
        return ApiResponse::fromError(notFound(asked.isEmpty() ? name : asked));
    ProviderRuntime *providers = runtime(services);
    if (action == QLatin1String("clear_api_cooldown")) {
        providers->clearApiCooldown(name);
        return ApiResponse::json(QJsonObject{{"ok", true}, {"cleared", true}});
    }
    if (action == QLatin1String("clear_history")) {
        providers->clearHistory(name);
        return ApiResponse::json(QJsonObject{{"ok", true}, {"cleared", true}});
    }
    if (action == QLatin1String("refresh_now")) {
        const QString auth =
            ConfigKeys::string(config, QStringList{"models", "providers", name, "auth"});
        if (auth != QLatin1String("oauth") && auth != QLatin1String("hybrid"))
            return ApiResponse::fromError(ApiError::text(
                400, QStringLiteral("provider \"%1\" does not use oauth").arg(name)));
        return ApiResponse::fromError(ApiError::text(
            501, QStringLiteral("refreshing OAuth accounts is not available in this version of "
                                "ClawGo Desktop yet")));
    }
    return ApiResponse::json(QJsonObject{{"ok", true},
                                         {"provider", name},
                                         {"reranked", true},
                                         {"candidate_order", providers->rerank(name)}});
}

void models(ApiServices &services, const ApiRequest &request, Reply reply)
{
    QJsonObject body;
    if (!parseBody(request, &body))
        return reply(ApiError::text(400, QStringLiteral("invalid json")));
    const QJsonObject config = services.config->effective();
    const QString asked = body.value("provider").toString().trimmed();
    // Saved under the provider's own key, never under an alias or an empty name.
    const QString name = ProviderConfig::keyFor(config, asked);
    if (name.isEmpty() || !ProviderConfig::providers(config).contains(name))
        return reply(notFound(asked.isEmpty() ? name : asked));
    QStringList models;
    for (const QJsonValue &model : body.value("models").toArray())
        if (model.toString().size() <= 512)
            models << model.toString();
    const QStringList list = ProviderConfig::cleanModels(models, body.value("model").toString());
    if (list.isEmpty())
        return reply(ApiError::text(400, QStringLiteral("model required")));
    if (list.size() > 1000)
        return reply(ApiError::text(400, QStringLiteral("too many models (at most 1000)")));
    services.config->update(
        QStringLiteral("api"),
        [name, list](const QJsonObject &fileConfig) {
            return ProviderConfig::withModels(fileConfig, name, list);
        },
        request.connection.data(),
        [reply, list](const ConfigStore::SaveResult &result) {
            switch (result.status) {
            case ConfigStore::SaveResult::Ok:
                return reply(ApiResponse::json(
                    QJsonObject{{"ok", true}, {"models", QJsonArray::fromStringList(list)}}));
            case ConfigStore::SaveResult::Invalid:
                return reply(ApiError::json(400, QStringLiteral("invalid config"), result.errors));
            case ConfigStore::SaveResult::Conflict:
            case ConfigStore::SaveResult::WriteFailed:
                break;
            }
            reply(ApiError::text(500,
                                 QStringLiteral("saving the config failed: %1").arg(result.error)));
        });
}

void relay(ApiServices &services, WebSocket *socket, const ApiRequest &request)
{
    QString provider = request.queryValue(QStringLiteral("provider"));
    if (provider.isEmpty())
        provider = QString::fromUtf8(request.header("x-clawgo-provider")).trimmed();
    if (provider.isEmpty())
        provider = QStringLiteral("aistudio");
    provider = provider.toLower().left(128);
    services.agent->relay()->attach(provider, socket);
}

ApiResponse oauthAccounts(ApiServices &services, const ApiRequest &request)
{
    const QJsonObject config = services.config->effective();
    const QString asked = request.queryValue(QStringLiteral("provider"));
    const QString name = ProviderConfig::keyFor(config, asked);
    if (name.isEmpty() || !ProviderConfig::providers(config).contains(name))
        return ApiResponse::fromError(notFound(asked.isEmpty() ? name : asked));
    ProviderRuntime *providers = runtime(services);
    if (!providers->usesOAuth(name))
        return ApiResponse::fromError(
            ApiError::text(400, QStringLiteral("oauth provider is required")));
    if (request.method == "GET")
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"accounts", providers->accounts(name)}});
    if (request.method != "POST")
        return ApiResponse::fromError(ApiError::text(405, QStringLiteral("method not allowed")));
    QJsonObject body;
    if (!parseBody(request, &body))
        return ApiResponse::fromError(ApiError::text(400, QStringLiteral("invalid json")));
    const QString action = body.value("action").toString().trimmed().toLower();
    const QString file = body.value("credential_file").toString().trimmed();
    if (action == QLatin1String("clear_cooldown")) {
        if (file.isEmpty())
            return ApiResponse::fromError(
                ApiError::text(400, QStringLiteral("oauth credential file is empty")));
        if (!providers->clearAccountCooldown(name, file))
            return ApiResponse::fromError(
                ApiError::text(400, QStringLiteral("oauth credential not found")));
        return ApiResponse::json(QJsonObject{{"ok", true}, {"cleared", true}});
    }
    if (action == QLatin1String("refresh") || action == QLatin1String("delete"))
        return ApiResponse::fromError(ApiError::text(
            501, QStringLiteral("%1 of OAuth accounts is not available in this version of "
                                "ClawGo Desktop yet")
                     .arg(action == QLatin1String("refresh") ? QStringLiteral("refreshing")
                                                             : QStringLiteral("deleting"))));
    return ApiResponse::fromError(ApiError::text(400, QStringLiteral("unsupported action")));
}

ApiResponse oauthNotAvailable(const ApiRequest &)
{
    return ApiResponse::fromError(ApiError::text(
        501, QStringLiteral("provider OAuth sign-in is not available in this version of ClawGo "
                            "Desktop yet; use an API key (models.providers.<name>.api_key)")));
}

} // namespace ProviderApi
