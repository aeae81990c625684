#include "configcontroller.h"

#include "apiservices.h"

#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/normalizedconfig.h"
#include "core/secretredactor.h"

#include <QJsonArray>

namespace {

struct HotReloadField
{
    const char *path;
    const char *name;
    const char *description;
};

// Static metadata, in the reference's order (spec/config.md §4.3).
constexpr HotReloadField kHotReloadFields[] = {
    {"logging.*", "Logging", "Log level, persistence, and related settings"},
    {"sentinel.*", "Sentinel", "Health checks and auto-heal behavior"},
    {"agents.*", "Agent", "Models, policies, and default behavior"},
    {"models.providers.*", "Providers", "LLM provider registry and auth settings"},
    {"tools.*", "Tools", "Tool toggles and runtime options"},
    {"channels.*", "Channels", "Weixin, Feishu, and Telegram channel settings"},
    {"cron.*", "Cron", "Global cron runtime settings"},
    {"agents.defaults.heartbeat.*", "Heartbeat", "Heartbeat interval and prompt template"},
    {"gateway.*", "Gateway", "Hot-reloadable; a host/port change rebinds the listener"},
};

void addHotReloadFields(QJsonObject &payload)
{
    QJsonArray paths;
    QJsonArray details;
    for (const HotReloadField &field : kHotReloadFields) {
        paths.append(QLatin1String(field.path));
        details.append(QJsonObject{{"path", QLatin1String(field.path)},
                                   {"name", QLatin1String(field.name)},
                                   {"description", QLatin1String(field.description)}});
    }
    payload.insert("hot_reload_fields", paths);
    payload.insert("hot_reload_field_details", details);
    // Ours: the keys read at start only (from the key table); everything else applies at once.
    QJsonArray restart;
    for (const ConfigKey &key : ConfigKeys::all())
        if (key.apply == ConfigKey::Apply::Restart)
            restart.append(key.path);
    payload.insert("restart_required_fields", restart);
}

QByteArray renderGet(ConfigStore *store, const QString &mode, bool withHotFields)
{
    // Every view is made from the redacted config, so no view can show a secret the table
    // names (the normalized view's OAuth client secret, proxy passwords).
    const QJsonObject redacted = SecretRedactor::redact(store->savedConfig());
    if (mode == QLatin1String("normalized")) {
        QJsonObject payload{{"ok", true},
                            {"config", NormalizedConfig::fromRaw(redacted)},
                            {"raw_config", redacted}};
        if (withHotFields)
            addHotReloadFields(payload);
        return JsonUtil::compact(payload);
    }
    if (mode == QLatin1String("hot") || withHotFields) {
        QJsonObject payload{{"ok", true}, {"config", redacted}};
        addHotReloadFields(payload);
        return JsonUtil::compact(payload);
    }
    // The bare config, pretty-printed, as the reference answers (not wrapped in "ok").
    return JsonUtil::pretty(redacted);
}

} // namespace

namespace ConfigApi {

void post(ApiServices &services, const ApiRequest &request, Reply reply)
{
    ConfigStore *store = services.config;
    if (!request.hasJsonOrNoContentType())
        throw ApiError::text(415, QStringLiteral("expected a JSON body, not a multipart form"));
    const QString mode = request.queryValue(QStringLiteral("mode")).toLower();
    const QJsonObject current = store->savedConfig();
    QJsonObject body;
    QString parseError;
    QJsonObject next;
    if (mode.isEmpty() || mode == QLatin1String("raw")) {
        if (request.body.trimmed().isEmpty())
            throw ApiError::text(400, QStringLiteral("decode config: EOF"));
        if (!JsonUtil::parseObject(request.body, &body, &parseError))
            throw ApiError::text(400, QStringLiteral("decode config: ") + parseError);
        // A raw body is the whole config over the defaults; masked secrets and an omitted
        // token keep their stored values (DESIGN.md, decision 9).
        QStringList moved;
        next = SecretRedactor::acceptFromClient(
            JsonUtil::deepMerge(store->defaults(), body, ConfigKeys::userOwnedMaps()), current,
            &moved);
        if (!moved.isEmpty())
            throw ApiError::json(
                400, QStringLiteral("invalid config: ") + moved.join(QLatin1String("; ")), moved);
        if (!JsonUtil::valueAt(body, QStringLiteral("gateway.token")).isString())
            JsonUtil::setValueAt(next, QStringLiteral("gateway.token"),
                                 JsonUtil::valueAt(current, QStringLiteral("gateway.token")));
    } else if (mode == QLatin1String("normalized")) {
        if (request.body.trimmed().isEmpty())
            throw ApiError::text(400, QStringLiteral("decode normalized config: EOF"));
        if (!JsonUtil::parseObject(request.body, &body, &parseError))
            throw ApiError::text(400, QStringLiteral("decode normalized config: ") + parseError);
        // The view shows secrets masked (an OAuth client secret); posted back, they keep the
        // stored values.
        next = SecretRedactor::restore(NormalizedConfig::applyToRaw(current, body), current);
        // Secrets the view leaves out are kept as they are, so the address they go to must not
        // move under them.
        const QStringList moved =
            SecretRedactor::secretsSentElsewhere(SecretRedactor::redact(next), current);
        if (!moved.isEmpty())
            throw ApiError::json(
                400, QStringLiteral("invalid config: ") + moved.join(QLatin1String("; ")), moved);
    } else {
        throw ApiError::text(400, QStringLiteral("unsupported config mode: ") + mode);
    }

    store->save(
        next, QStringLiteral("webui"), request.header("if-match"), request.connection,
        [store, reply](const ConfigStore::SaveResult &result) {
            switch (result.status) {
            case ConfigStore::SaveResult::Invalid:
                return reply(ApiError::json(400,
                                            QStringLiteral("invalid config: ") +
                                                result.errors.join(QLatin1String("; ")),
                                            result.errors));
            case ConfigStore::SaveResult::Conflict:
                return reply(ApiError::json(409, result.error).withHeader("ETag", store->etag()));
            case ConfigStore::SaveResult::WriteFailed:
                return reply(ApiError::text(
                    500,
                    QStringLiteral("saving the config failed; the previous file is unchanged")));
            case ConfigStore::SaveResult::Ok:
                break;
            }
            reply(ApiResponse::json(QJsonObject{{"ok", true}}).withHeader("ETag", store->etag()));
        });
}

ApiResponse get(ApiServices &services, const ApiRequest &request)
{
    ConfigStore *store = services.config;
    QString mode = request.queryValue(QStringLiteral("mode")).toLower();
    const bool withHotFields =
        request.queryValue(QStringLiteral("include_hot_reload_fields")) == "1";
    if (mode != QLatin1String("normalized") && mode != QLatin1String("hot"))
        mode.clear(); // every other mode reads as the plain one
    const QString key = mode + (withHotFields ? QStringLiteral("+hot") : QString());
    ApiServices::CachedBody &cached = services.configGetCache[key];
    if (cached.body.isEmpty() || cached.revision != store->revision()) {
        cached.body = renderGet(store, mode, withHotFields);
        cached.revision = store->revision();
    }
    return ApiResponse::raw(cached.body, "application/json").withHeader("ETag", store->etag());
}

} // namespace ConfigApi
