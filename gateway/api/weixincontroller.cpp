#include "weixincontroller.h"

#include "channels/qrsvg.h"
#include "channels/weixinchannel.h"
#include "core/jsonutil.h"
#include "http/router.h"

namespace {

// The status payload after a refresh of the pending logins (which asks upstream).
void answerStatus(WeixinChannel *channel, const ApiRequest &request, Router::Reply reply)
{
    channel->refreshLogins(request.connection ? request.connection.data() : channel,
                           [channel, reply](const QString &error) {
                               reply(ApiResponse::json(channel->statusPayload(error)));
                           });
}

// {"bot_id"} or {"login_id"} from a JSON body; false (with the answer sent) when unreadable.
bool readField(const ApiRequest &request, const char *field, QString *value, Router::Reply reply)
{
    QJsonObject body;
    QString error;
    if (!request.hasJsonOrNoContentType() || !JsonUtil::parseObject(request.body, &body, &error)) {
        reply(ApiResponse::text(QStringLiteral("invalid json body"), 400));
        return false;
    }
    *value = body.value(QLatin1String(field)).toString();
    return true;
}

// The reference answers 503 when no Weixin runtime exists; ours is inactive while the config
// has the channel off and no login was started.
bool refuseWhenInactive(WeixinChannel *channel, Router::Reply reply)
{
    if (channel->isActive())
        return false;
    reply(ApiResponse::text(WeixinChannel::inactiveError(), 503));
    return true;
}

} // namespace

WeixinController::WeixinController(Router *router, WeixinChannel *channel)
{
    router->addAsyncRoute(QStringLiteral("/api/weixin/status"), {"GET"},
                          [channel](const ApiRequest &request, Router::Reply reply) {
                              answerStatus(channel, request, reply);
                          });
    router->addAsyncRoute(QStringLiteral("/api/weixin/login/start"), {"POST"},
                          [channel](const ApiRequest &request, Router::Reply reply) {
                              channel->startLogin(
                                  channel, [channel, request, reply](const QString &error) {
                                      if (!error.isEmpty())
                                          return reply(ApiResponse::text(error, 502));
                                      reply(ApiResponse::json(channel->statusPayload()));
                                  });
                          });
    router->addAsyncRoute(QStringLiteral("/api/weixin/login/cancel"), {"POST"},
                          [channel](const ApiRequest &request, Router::Reply reply) {
                              if (refuseWhenInactive(channel, reply))
                                  return;
                              QString loginId;
                              if (!readField(request, "login_id", &loginId, reply))
                                  return;
                              if (!channel->cancelLogin(loginId))
                                  return reply(
                                      ApiResponse::text(QStringLiteral("login_id not found"), 404));
                              answerStatus(channel, request, reply);
                          });
    router->addAsyncRoute(
        QStringLiteral("/api/weixin/qr.svg"), {"GET"},
        [channel](const ApiRequest &request, Router::Reply reply) {
            const QString loginId = request.queryValue(QStringLiteral("login_id"));
            channel->refreshLogins(channel, [channel, loginId, reply](const QString &error) {
                // Without login_id: the first pending login, as the API document says (the
                // reference's lookup of it is broken and always answers 404).
                const QString content = error.isEmpty() ? channel->qrContent(loginId) : QString();
                if (content.isEmpty())
                    return reply(ApiResponse::text(QStringLiteral("qr unavailable"), 404));
                QString encodeError;
                const QByteArray svg = QrSvg::render(content, &encodeError);
                if (svg.isEmpty())
                    return reply(ApiResponse::text(encodeError, 502));
                reply(ApiResponse::raw(svg, "image/svg+xml"));
            });
        });
    const auto accountRoute = [channel](QString (WeixinChannel::*action)(const QString &)) {
        return [channel, action](const ApiRequest &request, Router::Reply reply) {
            if (refuseWhenInactive(channel, reply))
                return;
            QString botId;
            if (!readField(request, "bot_id", &botId, reply))
                return;
            const QString error = (channel->*action)(botId);
            if (!error.isEmpty())
                return reply(ApiResponse::text(error, 400));
            answerStatus(channel, request, reply);
        };
    };
    router->addAsyncRoute(QStringLiteral("/api/weixin/accounts/remove"), {"POST"},
                          accountRoute(&WeixinChannel::removeAccount));
    router->addAsyncRoute(QStringLiteral("/api/weixin/accounts/default"), {"POST"},
                          accountRoute(&WeixinChannel::setDefaultAccount));
}
