#pragma once

#include "core/configstore.h"
#include "gatewayhost.h"
#include "providers/llmtypes.h"

#include <QJsonObject>

// The calls into the gateway that several pages make, written once over GatewayHost::call.
namespace GatewayCalls {

struct SavedConfig
{
    QJsonObject config; // defaults merged with the file
    QByteArray etag;
};

void readConfig(GatewayHost *host, QObject *context, std::function<void(const SavedConfig &)> done);
// The same save as POST /api/config (validation, atomic write, events), with source "gui".
void saveConfig(GatewayHost *host, const QJsonObject &config, const QByteArray &etag,
                QObject *context, std::function<void(const ConfigStore::SaveResult &)> done);
// A real one-token call to a provider. With `useStoredKey`, the key stored for the provider of
// that name (never shown to the window) is used.
void testProvider(GatewayHost *host, const ProviderSettings &settings, bool useStoredKey,
                  QObject *context, std::function<void(bool ok, const QString &message)> done);

} // namespace GatewayCalls
