#include "gatewaypaths.h"

#include "configstore.h"
#include "jsonutil.h"
#include "paths.h"

#include <QDir>

namespace GatewayPaths {

QString workspace(const ConfigStore &config)
{
    return Paths::expandHome(
        JsonUtil::valueAt(config.effective(), QStringLiteral("agents.defaults.workspace"))
            .toString()
            .trimmed());
}

QString logFile(const ConfigStore &config)
{
    const QJsonObject logging = config.effective().value("logging").toObject();
    QString fileName = logging.value("filename").toString().trimmed();
    if (fileName.isEmpty())
        fileName = QStringLiteral("clawgo.log");
    const QString dir = Paths::expandHome(logging.value("dir").toString().trimmed());
    if (dir.isEmpty())
        return QString();
    return QDir(dir).filePath(fileName);
}

QString uploads(const ConfigStore &config)
{
    return config.configDir() + QStringLiteral("/uploads");
}

} // namespace GatewayPaths
