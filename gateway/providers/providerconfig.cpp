#include "providerconfig.h"

#include "core/configkeys.h"

#include <QJsonArray>
#include <QUrl>
#include <algorithm>

namespace ProviderConfig {

QJsonObject providers(const QJsonObject &config)
{
    return ConfigKeys::value(config, QStringLiteral("models.providers")).toObject();
}

QString primaryKey(const QJsonObject &config)
{
    return primary(config).provider;
}

QString keyFor(const QJsonObject &config, const QString &name)
{
    if (name.trimmed().isEmpty())
        return primaryKey(config);
    return ProviderRoute::findKey(providers(config), name);
}

ModelRef primary(const QJsonObject &config)
{
    const QJsonObject all = providers(config);
    if (all.isEmpty())
        return {};
    const auto [name, model] = ProviderRoute::splitModelRef(
        ConfigKeys::string(config, QStringLiteral("agents.defaults.model.primary")));
    if (!name.isEmpty()) {
        const QString key = ProviderRoute::findKey(all, name);
        // A primary naming an unknown provider stays as written: the call reports it.
        return {key.isEmpty() ? name : key, model};
    }
    return {all.begin().key(), model};
}

bool settingsFor(const QJsonObject &config, const ModelRef &ref, ProviderSettings *settings,
                 QString *error)
{
    const QJsonObject all = providers(config);
    if (all.isEmpty()) {
        *error = QStringLiteral("no LLM provider is configured: add one under models.providers "
                                "(api_base, api_key, models) on the Config page or in "
                                "config.json, and set agents.defaults.model.primary to "
                                "\"<provider>/<model>\"");
        return false;
    }
    const QString name = ProviderRoute::findKey(all, ref.provider);
    if (name.isEmpty()) {
        *error = QStringLiteral("model \"%1\" names provider \"%2\", which is not in "
                                "models.providers: fix it on the Config page")
                     .arg(ref.text(), ref.provider);
        return false;
    }
    const QJsonObject entry = all.value(name).toObject();
    const auto field = [&](const char *key) {
        return QStringList{QStringLiteral("models"), QStringLiteral("providers"), name,
                           QString::fromLatin1(key)};
    };
    QString model = ref.model.trimmed();
    if (model.isEmpty())
        model = ConfigKeys::strings(config, field("models")).value(0);
    const ProviderRoute::ModelSpec spec = ProviderRoute::parseModel(model);
    settings->name = name;
    settings->kind = ProviderRoute::kindOf(name, entry);
    settings->wire = ProviderRoute::wireFor(settings->kind, entry);
    settings->model = spec.model;
    settings->thinking = spec.level;
    settings->apiBase = ConfigKeys::string(config, field("api_base"));
    // The dedicated kinds know their endpoint; a stock OpenAI base copied into them is a mistake
    // the reference also corrects.
    if (!ProviderRoute::needsApiBase(settings->kind) &&
        (settings->apiBase.isEmpty() ||
         settings->apiBase.contains(QLatin1String("api.openai.com"))))
        settings->apiBase = ProviderRoute::defaultApiBase(settings->kind);
    settings->apiKey = ConfigKeys::string(config, field("api_key"));
    if (ConfigKeys::string(config, field("auth")) == QLatin1String("none"))
        settings->apiKey.clear();
    settings->timeoutSec = qMax(1, ConfigKeys::integer(config, field("timeout_sec")));
    // Our own proxy setting first, then the one clawgo has for OAuth traffic.
    settings->proxy = ConfigKeys::string(config, field("network_proxy"));
    if (settings->proxy.isEmpty())
        settings->proxy =
            ConfigKeys::string(config, field("oauth") << QStringLiteral("network_proxy"));
    const int providerMaxTokens = ConfigKeys::integer(config, field("max_tokens"));
    settings->maxTokens =
        providerMaxTokens > 0
            ? providerMaxTokens
            : ConfigKeys::integer(config, QStringLiteral("agents.defaults.max_tokens"));
    const double providerTemperature = ConfigKeys::number(config, field("temperature"));
    settings->temperature =
        providerTemperature != 0
            ? providerTemperature
            : ConfigKeys::number(config, QStringLiteral("agents.defaults.temperature"));
    if (settings->apiBase.isEmpty() && settings->wire != WireKind::Relay) {
        *error = QStringLiteral("provider \"%1\" has no api_base: set models.providers.%1.api_base "
                                "on the Config page")
                     .arg(name);
        return false;
    }
    if (settings->model.isEmpty()) {
        *error = QStringLiteral("provider \"%1\" has no model: set agents.defaults.model.primary "
                                "to \"%1/<model>\" on the Config page")
                     .arg(name);
        return false;
    }
    const QString host = QUrl(settings->apiBase).host();
    if (settings->apiKey.isEmpty() && settings->wire != WireKind::Relay &&
        (host.endsWith(QLatin1String("openai.com")) || host == QLatin1String("api.anthropic.com") ||
         host.endsWith(QLatin1String("googleapis.com")))) {
        *error =
            QStringLiteral("provider \"%1\" has no api_key: set models.providers.%1.api_key on "
                           "the Config page, or point api_base at a local server")
                .arg(name);
        return false;
    }
    return true;
}

QList<ModelRef> chain(const QJsonObject &config, const ModelRef &preferred)
{
    QList<ModelRef> refs;
    const auto add = [&refs](const ModelRef &ref) {
        if (!ref.provider.isEmpty() && !refs.contains(ref))
            refs << ref;
    };
    const QJsonObject all = providers(config);
    const auto firstModel = [&all](const QString &key) {
        const QJsonArray models = all.value(key).toObject().value("models").toArray();
        for (const QJsonValue &model : models)
            if (!model.toString().trimmed().isEmpty())
                return model.toString().trimmed();
        return QString();
    };
    const auto normalized = [&](ModelRef ref) {
        const QString key = ProviderRoute::findKey(all, ref.provider);
        if (!key.isEmpty())
            ref.provider = key;
        if (ref.model.isEmpty())
            ref.model = firstModel(ref.provider);
        return ref;
    };
    add(normalized(preferred.provider.isEmpty() ? primary(config) : preferred));
    add(normalized(primary(config))); // after a session's pick, its first fallback
    const QJsonValue fallbacks =
        ConfigKeys::value(config, QStringLiteral("agents.defaults.model.fallbacks"));
    if (!fallbacks.toArray().isEmpty()) { // an empty list: the automatic chain
        for (const QJsonValue &value : fallbacks.toArray()) {
            const auto [name, model] = ProviderRoute::splitModelRef(value.toString());
            add(normalized(name.isEmpty() ? ModelRef{value.toString().trimmed(), QString()}
                                          : ModelRef{name, model}));
        }
        return refs;
    }
    QStringList others = all.keys();
    std::stable_sort(others.begin(), others.end(), [&all](const QString &a, const QString &b) {
        const int pa =
            ProviderRoute::fallbackPriority(ProviderRoute::kindOf(a, all.value(a).toObject()));
        const int pb =
            ProviderRoute::fallbackPriority(ProviderRoute::kindOf(b, all.value(b).toObject()));
        return pa != pb ? pa < pb : a < b;
    });
    for (const QString &key : others) {
        // Once per provider: the automatic chain tries each one with its first model.
        const bool present = std::any_of(
            refs.begin(), refs.end(), [&key](const ModelRef &ref) { return ref.provider == key; });
        if (!present && !firstModel(key).isEmpty())
            add({key, firstModel(key)});
    }
    return refs;
}

QStringList cleanModels(const QStringList &models, const QString &model)
{
    QStringList list;
    const auto add = [&list](const QString &name) {
        const QString trimmed = name.trimmed();
        if (!trimmed.isEmpty() && !list.contains(trimmed))
            list << trimmed;
    };
    for (const QString &name : models)
        add(name);
    add(model);
    return list;
}

QJsonObject withModels(const QJsonObject &fileConfig, const QString &key, const QStringList &models)
{
    QJsonObject updated = fileConfig;
    QJsonObject section = updated.value("models").toObject();
    QJsonObject providers = section.value("providers").toObject();
    QJsonObject entry = providers.value(key).toObject();
    entry.insert("models", QJsonArray::fromStringList(models));
    providers.insert(key, entry);
    section.insert("providers", providers);
    updated.insert("models", section);
    return updated;
}

} // namespace ProviderConfig
