#include "weixinsender.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "ilinkclient.h"
#include "weixinaccounts.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

namespace {

// clawgo-weixin:<epoch ms>-<8 hex>
QString randomId()
{
    return QStringLiteral("clawgo-weixin:%1-%2")
        .arg(Clock::nowMs())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

} // namespace

WeixinSender::WeixinSender(ILinkClient *client, WeixinAccounts *accounts, QObject *parent)
    : QObject(parent), m_client(client), m_accounts(accounts)
{}

void WeixinSender::rememberChatToken(const QString &chatId, const QString &token)
{
    if (!token.isEmpty())
        m_chatTokens.insert(chatId, token);
}

void WeixinSender::forgetAccount(const QString &botId)
{
    for (auto chat = m_chatTokens.begin(); chat != m_chatTokens.end();)
        chat = chat.key().startsWith(botId + QLatin1Char('|')) ? m_chatTokens.erase(chat)
                                                               : std::next(chat);
    m_typingTickets.remove(botId);
}

void WeixinSender::sendTyping(const QString &botId, const QString &contextToken)
{
    const WeixinAccount *acc = m_accounts->find(botId);
    if (!acc)
        return;
    const QString userId = acc->ilinkUserId;
    const QString token = acc->botToken;
    auto typing = [this, userId, token](const QString &ticket) {
        m_client->post(m_accounts->baseUrl(), QStringLiteral("/ilink/bot/sendtyping"), token,
                       QJsonObject{{"ilink_user_id", userId},
                                   {"typing_ticket", ticket},
                                   {"status", 1},
                                   {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}},
                       QStringLiteral("sendtyping"), this, [](const ILinkClient::Reply &) {});
    };
    if (m_typingTickets.contains(botId))
        return typing(m_typingTickets.value(botId));
    m_client->post(
        m_accounts->baseUrl(), QStringLiteral("/ilink/bot/getconfig"), token,
        QJsonObject{{"ilink_user_id", userId},
                    {"context_token", contextToken},
                    {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}},
        QStringLiteral("getconfig"), this, [this, botId, typing](const ILinkClient::Reply &reply) {
            const QString ticket = reply.body.value("typing_ticket").toString().trimmed();
            if (!reply.ok || ticket.isEmpty())
                return; // typing is a courtesy; the reply goes out regardless
            m_typingTickets.insert(botId, ticket);
            typing(ticket);
        });
}

QStringList WeixinSender::splitText(const QString &text, int limit)
{
    QStringList pieces;
    QString rest = text;
    while (rest.size() > limit) {
        // Cut at the last line break (else space) in the second half of the window, never
        // between the two halves of a surrogate pair.
        qsizetype cut = rest.lastIndexOf(QLatin1Char('\n'), limit - 1);
        if (cut < limit / 2)
            cut = rest.lastIndexOf(QLatin1Char(' '), limit - 1);
        if (cut < limit / 2)
            cut = limit;
        if (rest.at(cut - 1).isHighSurrogate())
            --cut;
        pieces << rest.left(cut);
        rest = rest.mid(cut);
    }
    if (!rest.isEmpty())
        pieces << rest;
    return pieces;
}

void WeixinSender::send(const QString &chatIdIn, const QString &text,
                        std::function<void(const QString &)> done)
{
    const QString chatId = chatIdIn.trimmed();
    if (m_accounts->isPaused())
        return done(m_accounts->pauseError());
    if (chatId.isEmpty())
        return done(QStringLiteral("weixin chat_id is required"));
    QString botId;
    QString user;
    QString token;
    const qsizetype bar = chatId.indexOf(QLatin1Char('|'));
    if (bar > 0 && m_accounts->find(chatId.left(bar).trimmed()) &&
        !chatId.mid(bar + 1).trimmed().isEmpty()) {
        botId = chatId.left(bar).trimmed();
        user = chatId.mid(bar + 1).trimmed();
        token = m_chatTokens.value(chatId, m_accounts->find(botId)->contextToken);
        if (token.isEmpty())
            return done(QStringLiteral("weixin context_token missing for chat %1").arg(chatId));
    } else if (!m_accounts->defaultBotId().isEmpty() &&
               m_accounts->find(m_accounts->defaultBotId())) {
        botId = m_accounts->defaultBotId();
        user = chatId;
        token = m_accounts->find(botId)->contextToken;
        if (token.isEmpty())
            return done(
                QStringLiteral("weixin context_token missing for default bot %1").arg(botId));
    } else {
        return done(QStringLiteral("weixin no account available for chat %1").arg(chatId));
    }
    sendPieces(botId, user, token, splitText(text), done);
}

void WeixinSender::sendPieces(const QString &botId, const QString &user, const QString &token,
                              QStringList pieces, std::function<void(const QString &)> done)
{
    WeixinAccount *acc = m_accounts->find(botId);
    if (!acc)
        return done(QStringLiteral("weixin account %1 was removed").arg(botId));
    if (pieces.isEmpty()) {
        acc->state.connected = true;
        acc->state.lastEvent = QStringLiteral("outbound_sent");
        acc->state.lastError.clear();
        m_accounts->noteRuntimeChange();
        return done(QString());
    }
    const QString piece = pieces.takeFirst();
    const QJsonObject item{{"type", 1}, {"text_item", QJsonObject{{"text", piece}}}};
    const QJsonObject body{{"msg", QJsonObject{{"from_user_id", ""},
                                               {"to_user_id", user},
                                               {"client_id", randomId()},
                                               {"message_type", 2},
                                               {"message_state", 2},
                                               {"context_token", token},
                                               {"item_list", QJsonArray{item}}}},
                           {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}};
    m_client->post(m_accounts->baseUrl(), QStringLiteral("/ilink/bot/sendmessage"), acc->botToken,
                   body, QStringLiteral("sendmessage"), this,
                   [this, botId, user, token, pieces, done](const ILinkClient::Reply &reply) {
                       WeixinAccount *acc = m_accounts->find(botId);
                       if (!reply.ok) {
                           if (reply.sessionExpired)
                               m_accounts->pauseForAnHour();
                           if (acc) {
                               acc->state.connected = false;
                               acc->state.lastEvent = QStringLiteral("error");
                               acc->state.lastError = reply.error;
                               m_accounts->noteRuntimeChange();
                           }
                           return done(reply.error);
                       }
                       sendPieces(botId, user, token, pieces, done);
                   });
}
