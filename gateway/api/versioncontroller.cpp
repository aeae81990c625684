#include "versioncontroller.h"

#include "apiservices.h"

#include <QJsonArray>

namespace VersionApi {

ApiResponse health(const ApiRequest &)
{
    return ApiResponse::raw(QByteArrayLiteral("ok"),
                            QByteArrayLiteral("text/plain; charset=utf-8"));
}

ApiResponse version(ApiServices &services, const ApiRequest &)
{
    QStringList channels = services.compiledChannels;
    channels.sort();
    return ApiResponse::json(
        QJsonObject{{"ok", true},
                    {"gateway_version", QStringLiteral(CLAWGO_VERSION)},
                    {"compiled_channels", QJsonArray::fromStringList(channels)}});
}

} // namespace VersionApi
