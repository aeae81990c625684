#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <functional>

class ILinkClient;
class WeixinAccounts;

// Replies to Weixin chats (spec/channels.md §2.8–2.9): the text split under the 4000-character
// limit (at a line break, else a space, never inside a surrogate pair), each piece sent with
// the chat's latest context token; typing shown with the account's typing ticket.
class WeixinSender : public QObject
{
    Q_OBJECT

public:
    WeixinSender(ILinkClient *client, WeixinAccounts *accounts, QObject *parent = nullptr);

    // Sends `text` to a chat ("<bot_id>|<user_id>", or a user of the default account);
    // `done(error)`. The caller checks that the channel runs.
    void send(const QString &chatId, const QString &text,
              std::function<void(const QString &error)> done);
    void sendTyping(const QString &botId, const QString &contextToken);
    // The latest context token of a chat, from its last inbound message.
    void rememberChatToken(const QString &chatId, const QString &token);
    void forgetAccount(const QString &botId);
    static QStringList splitText(const QString &text, int limit = 4000);

private:
    void sendPieces(const QString &botId, const QString &user, const QString &token,
                    QStringList pieces, std::function<void(const QString &)> done);

    ILinkClient *m_client;
    WeixinAccounts *m_accounts;
    QHash<QString, QString> m_chatTokens;    // chat → latest context token
    QHash<QString, QString> m_typingTickets; // bot_id → ticket
};
