#include "weixincontroller.h"

#include "apiservices.h"
#include "channels/qrsvg.h"
#include "channels/weixinchannel.h"
#include "core/jsonutil.h"

namespace {

// The status payload after a refresh of the pending logins (which asks upstream).
void answerStatus(WeixinChannel *channel, const ApiRequest &request, const Reply &reply)
{
    channel->refreshLogins(request.connection ? request.connection.data() : channel,
                           [channel, reply](const QString &error) {
                               reply(ApiResponse::json(channel->statusPayload(error)));
                           });
}

// {"bot_id"} or {"login_id"} from a JSON body.
QString readField(const ApiRequest &request, const char *field)
{
    QJsonObject body;
    QString error;
    if (!request.hasJsonOrNoContentType() || !JsonUtil::parseObject(request.body, &body, &error))
        throw ApiError::text(400, QStringLiteral("invalid json body"));
    return body.value(QLatin1String(field)).toString();
}

// The reference answers 503 when no Weixin runtime exists; ours is inactive while the config
// has the channel off and no login was started.
void refuseWhenInactive(WeixinChannel *channel)
{
    if (!channel->isActive())
        throw ApiError::text(503, WeixinChannel::inactiveError());
}

void accountAction(ApiServices &services, const ApiRequest &request, const Reply &reply,
                   QString (WeixinChannel::*action)(const QString &))
{
    WeixinChannel *channel = services.weixin;
    refuseWhenInactive(channel);
    const QString error = (channel->*action)(readField(request, "bot_id"));
    if (!error.isEmpty())
        throw ApiError::text(400, error);
    answerStatus(channel, request, reply);
}

} // namespace

namespace WeixinApi {

void status(ApiServices &services, const ApiRequest &request, Reply reply)
{
    answerStatus(services.weixin, request, reply);
}

void startLogin(ApiServices &services, const ApiRequest &, Reply reply)
{
    WeixinChannel *channel = services.weixin;
    channel->startLogin(channel, [channel, reply](const QString &error) {
        if (!error.isEmpty())
            return reply(ApiError::text(502, error));
        reply(ApiResponse::json(channel->statusPayload()));
    });
}

void cancelLogin(ApiServices &services, const ApiRequest &request, Reply reply)
{
    WeixinChannel *channel = services.weixin;
    refuseWhenInactive(channel);
    if (!channel->cancelLogin(readField(request, "login_id")))
        throw ApiError::text(404, QStringLiteral("login_id not found"));
    answerStatus(channel, request, reply);
}

void qrSvg(ApiServices &services, const ApiRequest &request, Reply reply)
{
    WeixinChannel *channel = services.weixin;
    const QString loginId = request.queryValue(QStringLiteral("login_id"));
    channel->refreshLogins(channel, [channel, loginId, reply](const QString &error) {
        // Without login_id: the first pending login, as the API document says (the reference's
        // lookup of it is broken and always answers 404).
        const QString content = error.isEmpty() ? channel->qrContent(loginId) : QString();
        if (content.isEmpty())
            return reply(ApiError::text(404, QStringLiteral("qr unavailable")));
        QString encodeError;
        const QByteArray svg = QrSvg::render(content, &encodeError);
        if (svg.isEmpty())
            return reply(ApiError::text(502, encodeError));
        reply(ApiResponse::raw(svg, "image/svg+xml"));
    });
}

void removeAccount(ApiServices &services, const ApiRequest &request, Reply reply)
{
    accountAction(services, request, reply, &WeixinChannel::removeAccount);
}

void setDefaultAccount(ApiServices &services, const ApiRequest &request, Reply reply)
{
    accountAction(services, request, reply, &WeixinChannel::setDefaultAccount);
}

} // namespace WeixinApi
