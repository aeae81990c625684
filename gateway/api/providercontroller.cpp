#include "providercontroller.h"

#include "agent/agentruntime.h"
#include "apiservices.h"
#include "core/atomicfile.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "http/multipartparser.h"
#include "http/websocket.h"
#include "providers/aistudiorelay.h"
#include "providers/oauthcredential.h"
#include "providers/oauthflows.h"
#include "providers/oauthrefresh.h"
#include "providers/providerconfig.h"
#include "providers/providerruntime.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <optional>

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

// An OAuthFlows answer as an HTTP reply: JSON on success, the plain-text error otherwise.
OAuthFlows::Answer answerWith(Reply reply)
{
    return [reply](int status, const QJsonObject &json, const QString &error) {
        if (status == 200)
            reply(ApiResponse::json(json));
        else
            reply(ApiError::text(status, error));
    };
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

void runtimeAction(ApiServices &services, const ApiRequest &request, Reply reply)
{
    QJsonObject body;
    if (!parseBody(request, &body))
        return reply(ApiError::text(400, QStringLiteral("invalid json")));
    const QString action = body.value("action").toString().trimmed().toLower();
    static const QStringList actions{"clear_api_cooldown", "clear_history", "refresh_now",
                                     "rerank"};
    if (!actions.contains(action))
        return reply(ApiError::text(400, QStringLiteral("unsupported action")));
    const QJsonObject config = services.config->effective();
    const QString asked = body.value("provider").toString().trimmed();
    const QString name = ProviderConfig::keyFor(config, asked);
    if (name.isEmpty() || !ProviderConfig::providers(config).contains(name))
        return reply(notFound(asked.isEmpty() ? name : asked));
    ProviderRuntime *providers = runtime(services);
    if (action == QLatin1String("clear_api_cooldown")) {
        providers->clearApiCooldown(name);
        return reply(ApiResponse::json(QJsonObject{{"ok", true}, {"cleared", true}}));
    }
    if (action == QLatin1String("clear_history")) {
        providers->clearHistory(name);
        return reply(ApiResponse::json(QJsonObject{{"ok", true}, {"cleared", true}}));
    }
    if (action == QLatin1String("refresh_now")) {
        if (!providers->usesOAuth(name))
            return reply(ApiError::text(
                400, QStringLiteral("provider \"%1\" does not use oauth").arg(name)));
        // Every account with a refresh token that expires within a year, or within the
        // provider's refresh lead with only_expiring; then a rerank and a summary.
        const bool onlyExpiring = body.value("only_expiring").toBool();
        QPointer<ProviderRuntime> live(providers);
        return providers->refreshAccounts(
            name, onlyExpiring ? -1 : qint64(365) * 24 * 3600,
            [live, name, reply](const QJsonObject &result) {
                if (!live)
                    return reply(ApiError::text(503, QStringLiteral("the gateway is stopping")));
                reply(ApiResponse::json(QJsonObject{{"ok", true},
                                                    {"provider", name},
                                                    {"refreshed", true},
                                                    {"result", result},
                                                    {"candidate_order", live->rerank(name)},
                                                    {"summary", live->summary(name, 50)}}));
            });
    }
    reply(ApiResponse::json(QJsonObject{{"ok", true},
                                        {"provider", name},
                                        {"reranked", true},
                                        {"candidate_order", providers->rerank(name)}}));
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

// Answers through `reply`; the synchronous answers are returned as a value to send.
std::optional<ApiResponse> oauthAccountsNow(ApiServices &services, const ApiRequest &request,
                                            Reply reply)
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
    if (action == QLatin1String("delete")) {
        if (file.isEmpty())
            return ApiResponse::fromError(
                ApiError::text(400, QStringLiteral("oauth credential file is empty")));
        services.oauth->deleteAccount(name, file, answerWith(reply));
        return std::nullopt; // answered when the file is gone and the config saved
    }
    if (action == QLatin1String("refresh")) {
        if (file.isEmpty())
            return ApiResponse::fromError(
                ApiError::text(400, QStringLiteral("oauth credential file is empty")));
        providers->refreshAccount(
            name, file, [reply](bool ok, const QJsonObject &account, const QString &error) {
                if (!ok)
                    return reply(ApiError::text(400, error));
                reply(ApiResponse::json(QJsonObject{{"ok", true}, {"account", account}}));
            });
        return std::nullopt; // answered when the token endpoint has
    }
    return ApiResponse::fromError(ApiError::text(400, QStringLiteral("unsupported action")));
}

void oauthAccounts(ApiServices &services, const ApiRequest &request, Reply reply)
{
    if (const std::optional<ApiResponse> now = oauthAccountsNow(services, request, reply))
        reply(*now);
}

namespace {

// The fields of an import form in memory: small text fields and one file (the route caps the
// body at 16 MiB).
class ImportSink final : public RequestBodySink
{
public:
    ImportSink(ApiServices &services, const QByteArray &boundary)
        : m_services(services), m_parser(boundary)
    {
        m_parser.onPartBegin = [this](const MultipartParser::PartHeaders &headers) {
            m_field = QString::fromUtf8(headers.name);
            m_isFile = m_field == QLatin1String("file") && headers.hasFilename;
            if (m_isFile)
                m_fileName = QFileInfo(QString::fromUtf8(headers.filename)).fileName();
            m_value.clear();
            return true;
        };
        m_parser.onPartData = [this](const QByteArray &bytes) {
            if (!m_isFile && m_value.size() + bytes.size() > 64 * 1024)
                return false; // a text field is never that long
            m_value += bytes;
            return true;
        };
        m_parser.onPartEnd = [this] {
            if (m_isFile) {
                m_file = m_value;
                m_hasFile = true;
            } else if (!m_fields.contains(m_field)) {
                m_fields.insert(m_field, QString::fromUtf8(m_value).trimmed());
            }
            m_value.clear();
            return true;
        };
    }

    void write(const char *data, qsizetype size) override
    {
        if (!m_parser.feed(QByteArray::fromRawData(data, size)))
            throw ApiError::text(400, QStringLiteral("malformed multipart body"));
    }

    void abort() override {}

    void finish(Reply reply) override
    {
        if (!m_parser.finished())
            return reply(ApiError::text(400, QStringLiteral("malformed multipart body")));
        QJsonObject inlineConfig;
        const QString inline_ = m_fields.value(QStringLiteral("provider_config"));
        if (!inline_.trimmed().isEmpty()) {
            QString error;
            if (!JsonUtil::parseObject(inline_.toUtf8(), &inlineConfig, &error))
                return reply(ApiError::text(400, QStringLiteral("invalid provider_config")));
        }
        if (!m_hasFile) {
            // Which provider comes first, as clawgo answers: a wrong provider before a file.
            OAuthFlows::Target target;
            int status = 0;
            QString problem;
            if (!m_services.oauth->resolve(m_fields.value(QStringLiteral("provider")), inlineConfig,
                                           &target, &status, &problem))
                return reply(ApiError::text(status, problem));
            return reply(ApiError::text(400, QStringLiteral("file required")));
        }
        OAuthFlows::ImportRequest import;
        import.provider = m_fields.value(QStringLiteral("provider"));
        import.inlineConfig = inlineConfig;
        import.file = m_file;
        import.fileName = m_fileName;
        import.accountLabel = m_fields.value(QStringLiteral("account_label"));
        import.networkProxy = m_fields.value(QStringLiteral("network_proxy"));
        m_services.oauth->importCredential(import, answerWith(reply));
    }

private:
    ApiServices &m_services;
    MultipartParser m_parser;
    QHash<QString, QString> m_fields;
    QString m_field;
    QByteArray m_value;
    bool m_isFile = false;
    bool m_hasFile = false;
    QByteArray m_file;
    QString m_fileName;
};

} // namespace

std::unique_ptr<RequestBodySink> oauthImport(ApiServices &services, const ApiRequest &request)
{
    const QByteArray boundary = MultipartParser::boundaryOf(request.header("content-type"));
    if (boundary.isEmpty())
        throw ApiError::text(400, QStringLiteral("request Content-Type isn't multipart/form-data"));
    return std::make_unique<ImportSink>(services, boundary);
}

void oauthStart(ApiServices &services, const ApiRequest &request, Reply reply)
{
    OAuthFlows::StartRequest start;
    if (request.method == "GET") {
        start.provider = request.queryValue(QStringLiteral("provider"));
        start.accountLabel = request.queryValue(QStringLiteral("account_label"));
        start.networkProxy = request.queryValue(QStringLiteral("network_proxy"));
    } else {
        QJsonObject body;
        if (!parseBody(request, &body))
            return reply(ApiError::text(400, QStringLiteral("invalid json")));
        const QJsonValue inline_ = body.value("provider_config");
        if (!inline_.isUndefined() && !inline_.isNull() && !inline_.isObject())
            return reply(ApiError::text(400, QStringLiteral("invalid provider_config")));
        start.inlineConfig = inline_.toObject();
        start.provider = body.value("provider").toString();
        start.accountLabel = body.value("account_label").toString();
        start.networkProxy = body.value("network_proxy").toString();
    }
    services.oauth->start(start, answerWith(reply));
}

void oauthComplete(ApiServices &services, const ApiRequest &request, Reply reply)
{
    QJsonObject body;
    if (!parseBody(request, &body))
        return reply(ApiError::text(400, QStringLiteral("invalid json")));
    // A flow keeps the provider config it started with; an inline one here changes nothing.
    OAuthFlows::CompleteRequest complete;
    complete.flowId = body.value("flow_id").toString();
    complete.callbackUrl = body.value("callback_url").toString();
    complete.accountLabel = body.value("account_label").toString();
    complete.networkProxy = body.value("network_proxy").toString();
    services.oauth->complete(complete, answerWith(reply));
}

} // namespace ProviderApi
