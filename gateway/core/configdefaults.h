#pragma once

#include <QJsonObject>
#include <QSet>
#include <QString>

// The default config (spec/config.md §2), in clawgo's raw format, with our safer bind host.
namespace ConfigDefaults {

// `configDir` is the folder of the config file; workspace and logs default beneath it.
QJsonObject defaults(const QString &configDir);
// Maps owned by the user: a file that has them replaces the default map as a whole.
const QSet<QString> &userOwnedMaps();
// `cg_` + 32 lowercase hex characters from the system CSPRNG.
QString generateToken();
// The top-level sections, in the reference's serialization order.
const QStringList &sections();

} // namespace ConfigDefaults
