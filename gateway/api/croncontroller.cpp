#include "croncontroller.h"

#include "apiservices.h"
#include "core/jsonutil.h"
#include "cron/cronservice.h"

namespace CronApi {

void cron(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const QString id = request.queryValue(QStringLiteral("id")).trimmed();
    QJsonObject args;
    QString action;
    if (request.method == "GET") {
        action = id.isEmpty() ? QStringLiteral("list") : QStringLiteral("get");
    } else {
        // As the reference: a body that is not JSON counts as no arguments.
        QString error;
        JsonUtil::parseObject(request.body, &args, &error);
        action = args.value("action").toString().trimmed().toLower();
        if (action.isEmpty())
            action = QStringLiteral("create");
    }
    if (!id.isEmpty())
        args.insert("id", id);
    services.cron->handle(action, args,
                          [reply](int status, const QJsonObject &json, const QString &error) {
                              if (status == 200)
                                  reply(ApiResponse::json(json));
                              else
                                  reply(ApiError::text(status, error));
                          });
}

} // namespace CronApi
