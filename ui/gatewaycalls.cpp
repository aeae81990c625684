#include "gatewaycalls.h"

#include "core/configkeys.h"
#include "core/secretredactor.h"
#include "providers/providerprobe.h"

namespace GatewayCalls {

void readConfig(GatewayHost *host, QObject *context, std::function<void(const SavedConfig &)> done)
{
    host->call(
        context,
        [](Gateway &gateway) {
            // Masked as the API shows it: the window's JSON tab is on screen, and a save puts
            // the stored secrets back.
            return SavedConfig{SecretRedactor::redact(gateway.configStore()->savedConfig()),
                               gateway.configStore()->etag()};
        },
        std::move(done));
}

void saveConfig(GatewayHost *host, const QJsonObject &config, const QByteArray &etag,
                QObject *context, std::function<void(const ConfigStore::SaveResult &)> done)
{
    host->callLater<ConfigStore::SaveResult>(
        context,
        [config, etag](Gateway &gateway, std::function<void(ConfigStore::SaveResult)> deliver) {
            ConfigStore *store = gateway.configStore();
            QStringList moved;
            const QJsonObject accepted =
                SecretRedactor::acceptFromClient(config, store->savedConfig(), &moved);
            if (!moved.isEmpty())
                return deliver(
                    ConfigStore::SaveResult{ConfigStore::SaveResult::Invalid, moved, {}});
            store->save(accepted, QStringLiteral("gui"), etag, &gateway,
                        [deliver](const ConfigStore::SaveResult &result) { deliver(result); });
        },
        std::move(done));
}

void testProvider(GatewayHost *host, const ProviderSettings &settingsIn, bool useStoredKey,
                  QObject *context, std::function<void(bool, const QString &)> done)
{
    host->callLater<QPair<bool, QString>>(
        context,
        [settingsIn, useStoredKey](Gateway &gateway,
                                   std::function<void(QPair<bool, QString>)> deliver) {
            ProviderSettings settings = settingsIn;
            if (useStoredKey)
                settings.apiKey = ConfigKeys::string(
                    gateway.configStore()->effective(),
                    QStringLiteral("models.providers.%1.api_key").arg(settings.name));
            ProviderProbe::check(settings, &gateway, [deliver](bool ok, const QString &message) {
                deliver(qMakePair(ok, message));
            });
        },
        [done](const QPair<bool, QString> &result) { done(result.first, result.second); });
}

} // namespace GatewayCalls
