#include "weixincontroller.h"

#include "apiservices.h"

#include "channels/qrsvg.h"
#include "channels/weixinchannel.h"
#include "core/configkeys.h"
#include "core/jsonutil.h"
#include <QDateTime>
#include <QJsonArray>

namespace {

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

} // namespace

namespace WeixinApi {

// GET /api/weixin/status's payload, from the channel's typed status (spec/api.md §12, with
// expires_in_sec, qr_refreshes and token_storage of ours). Bot tokens are never in it, and the
// chats' context tokens are masked.
QJsonObject statusJson(const WeixinStatus &status)
{
    QJsonObject payload{{"ok", status.ok()},
                        {"enabled", status.active},
                        {"config_enabled", status.configEnabled},
                        {"runtime_enabled", status.running},
                        {"draft_dirty", false},
                        {"base_url", status.baseUrl}};
    if (!status.ok()) {
        payload.insert("error", status.error);
        return payload;
    }
    const qint64 now = status.nowMs;
    if (now < status.pausedUntilMs)
        payload.insert("paused_until", isoTime(status.pausedUntilMs));
    auto loginJson = [now](const WeixinPendingLogin &login) {
        return QJsonObject{
            {"login_id", login.loginId},
            {"qr_code", login.qrCode},
            {"qr_code_img_content", login.qrContent},
            {"status", login.status},
            {"last_error", login.lastError},
            {"updated_at", isoTime(login.updatedAtMs)},
            {"qr_available", !login.qrContent.isEmpty() || !login.qrCode.isEmpty()},
            {"expires_in_sec", qMax<qint64>(0, (login.expiresAtMs - now + 999) / 1000)},
            {"qr_refreshes", login.qrRefreshes}};
    };
    QJsonArray logins;
    for (const WeixinPendingLogin &login : status.logins)
        logins.append(loginJson(login));
    payload.insert("pending_logins", logins);
    payload.insert("pending_login", status.logins.isEmpty()
                                        ? QJsonObject{{"login_id", ""},
                                                      {"qr_code", ""},
                                                      {"qr_code_img_content", ""},
                                                      {"status", ""},
                                                      {"last_error", ""},
                                                      {"updated_at", ""},
                                                      {"qr_available", false}}
                                        : loginJson(status.logins.first()));
    QJsonArray accounts;
    for (const WeixinStatus::Account &account : status.accounts) {
        QJsonObject entry{{"bot_id", account.botId},
                          {"connected", account.state.connected},
                          {"default", account.isDefault}};
        const auto put = [&entry](const char *key, const QString &value) {
            if (!value.isEmpty())
                entry.insert(QLatin1String(key), value);
        };
        // The account's own fields are shown as the config shows them: what the key table
        // calls secret is masked.
        const auto putField = [&entry](const char *key, const QString &value) {
            const ConfigKey *row = ConfigKeys::find(QStringLiteral("channels.weixin.accounts.0.") +
                                                    QLatin1String(key));
            if (!value.isEmpty())
                entry.insert(QLatin1String(key),
                             row && row->secret ? QStringLiteral("********") : value);
        };
        putField("ilink_user_id", account.ilinkUserId);
        putField("context_token", account.hasContextToken ? QStringLiteral("set") : QString());
        putField("get_updates_buf", account.getUpdatesBuf);
        put("last_event", account.state.lastEvent);
        put("last_error", account.state.lastError);
        put("updated_at", isoTime(account.state.updatedAtMs));
        put("last_inbound_at", isoTime(account.state.lastInboundAtMs));
        put("last_inbound_chat", account.state.lastInboundChat);
        put("last_inbound_text", account.state.lastInboundText);
        entry.insert("token_storage", account.tokenInKeychain ? "keychain" : "config");
        accounts.append(entry);
    }
    payload.insert("accounts", accounts);
    return payload;
}

} // namespace WeixinApi

namespace {

// The status payload after a refresh of the pending logins (which asks upstream).
void answerStatus(WeixinChannel *channel, const ApiRequest &request, const Reply &reply)
{
    channel->refreshLogins(
        request.connection ? request.connection.data() : channel,
        [channel, reply](const QString &error) {
            reply(ApiResponse::json(WeixinApi::statusJson(channel->status(error))));
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
        reply(ApiResponse::json(WeixinApi::statusJson(channel->status())));
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
