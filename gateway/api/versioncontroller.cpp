#include "versioncontroller.h"

#include "http/router.h"

#include <QJsonArray>

VersionController::VersionController(Router *router, const QStringList &compiledChannels)
{
    QStringList channels = compiledChannels;
    channels.sort();
    router->addRoute(QStringLiteral("/api/version"), {"GET"}, [channels](const ApiRequest &) {
        return ApiResponse::json(
            QJsonObject{{"ok", true},
                        {"gateway_version", QStringLiteral(CLAWGO_VERSION)},
                        {"compiled_channels", QJsonArray::fromStringList(channels)}});
    });
    router->addRoute(
        QStringLiteral("/health"), {},
        [](const ApiRequest &) { return ApiResponse::raw("ok", "text/plain; charset=utf-8"); },
        false);
}
