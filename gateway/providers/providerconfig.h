#pragma once

#include "llmtypes.h"

#include <QJsonObject>
#include <QList>

// Reading models.providers and agents.defaults.model for a call: which provider a name means,
// its settings, and the chain of provider/model pairs a turn tries in order.
namespace ProviderConfig {

struct ModelRef
{
    QString provider; // the key under models.providers
    QString model;    // as configured, possibly with a `(level)` suffix
    bool operator==(const ModelRef &other) const = default;
    QString text() const { return provider + QLatin1Char('/') + model; }
};

QJsonObject providers(const QJsonObject &config);

// The provider `agents.defaults.model.primary` names (its key), else the first configured one.
QString primaryKey(const QJsonObject &config);
// The key `name` refers to (aliases resolved); empty name → the primary provider.
QString keyFor(const QJsonObject &config, const QString &name);

// Settings for one call to `ref`: the model without its `(level)` suffix, the protocol of the
// provider's kind, the default endpoint of a dedicated kind. False with a message naming the
// setting to fix when the provider cannot be called.
bool settingsFor(const QJsonObject &config, const ModelRef &ref, ProviderSettings *settings,
                 QString *error);

// What a turn tries, in order: `preferred` (a session's pick) or the primary model, then
// agents.defaults.model.fallbacks when present, else every other provider with its first model
// by the reference's priority (spec/agent.md §2.4). No provider appears twice with one model.
QList<ModelRef> chain(const QJsonObject &config, const ModelRef &preferred = {});

// The primary model as a reference (empty provider when nothing is configured).
ModelRef primary(const QJsonObject &config);

// A model list as POST /api/provider/models and the Providers page take it: trimmed, blanks
// and duplicates dropped, `model` appended when new.
QStringList cleanModels(const QStringList &models, const QString &model = QString());
// The config file with provider `key`'s models replaced (for ConfigStore::update).
QJsonObject withModels(const QJsonObject &fileConfig, const QString &key, const QStringList &models);

} // namespace ProviderConfig
