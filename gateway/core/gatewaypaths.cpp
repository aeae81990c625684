#include "gatewaypaths.h"

#include "configkeys.h"
#include "configstore.h"
#include "paths.h"

#include <QDir>

namespace GatewayPaths {

QString workspace(const ConfigStore &config)
{
    return Paths::expandHome(
        ConfigKeys::string(config.effective(), QStringLiteral("agents.defaults.workspace")));
}

QString logFile(const ConfigStore &config)
{
    const QJsonObject effective = config.effective();
    QString fileName = ConfigKeys::string(effective, QStringLiteral("logging.filename"));
    if (fileName.isEmpty())
        fileName = QStringLiteral("clawgo.log"); // clawgo's fallback for a blank name
    const QString dir =
        Paths::expandHome(ConfigKeys::string(effective, QStringLiteral("logging.dir")));
    if (dir.isEmpty())
        return QString();
    return QDir(dir).filePath(fileName);
}

QString uploads(const ConfigStore &config)
{
    return config.configDir() + QStringLiteral("/uploads");
}

} // namespace GatewayPaths
