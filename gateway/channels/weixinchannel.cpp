#include "weixinchannel.h"

#include "core/clock.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/secretstore.h"
#include "messagebus.h"

#include <QDateTime>
#include <QJsonArray>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <utility>

namespace {

constexpr int kMaxQrRefreshes = 3;

QString isoTime(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate) : QString();
}

// clawgo-weixin:<epoch ms>-<8 hex>
QString randomId()
{
    return QStringLiteral("clawgo-weixin:%1-%2")
        .arg(Clock::nowMs())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

QString hostToUrl(const QString &host)
{
    QString url = host.trimmed();
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
        url = QStringLiteral("https://") + url;
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}

} // namespace

WeixinChannel::WeixinChannel(ConfigStore *config, QObject *parent)
    : QObject(parent), m_config(config), m_client(new ILinkClient(this)),
      m_persistTimer(new QTimer(this))
{
    m_persistTimer->setSingleShot(true);
    m_persistTimer->setInterval(1200);
    connect(m_persistTimer, &QTimer::timeout, this, &WeixinChannel::persist);
    reconfigure();
}

void WeixinChannel::setPersistDelayMs(int ms)
{
    m_persistTimer->setInterval(ms);
}

bool WeixinChannel::enabled() const
{
    return JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin.enabled"))
        .toBool();
}

void WeixinChannel::reconfigure()
{
    const bool wasEnabled = m_configEnabled;
    m_configEnabled = enabled();
    if (wasEnabled && !m_configEnabled)
        m_activatedByLogin = false; // switched off on purpose: inactive again
    if (m_persistTimer->isActive() || m_persistDeferred) {
        // Unsaved changes (a fresh login, a cursor, a token on its way into the keychain) win
        // over the file: the pending save writes the channel's memory back, as the reference's
        // persist does. Rebuilding from the file now would drop them.
        // An edit of base_url in the file is still taken.
        const QString fileBase = ILinkClient::normalizeBaseUrl(
            JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin.base_url"))
                .toString());
        if (fileBase != m_fileBaseUrl)
            m_baseUrl = m_fileBaseUrl = fileBase;
        if (m_running && !isActive())
            stop();
        else if (m_running)
            ensurePollers();
        Q_EMIT changed();
        return;
    }
    const QJsonObject weixin =
        JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin")).toObject();
    m_baseUrl = m_fileBaseUrl = ILinkClient::normalizeBaseUrl(weixin.value("base_url").toString());
    m_defaultBotId = weixin.value("default_bot_id").toString().trimmed();
    QList<Account> accounts;
    QJsonArray entries = weixin.value("accounts").toArray();
    // The legacy single account joins the list (spec/channels.md §2.2).
    entries.append(QJsonObject{{"bot_id", weixin.value("bot_id")},
                               {"bot_token", weixin.value("bot_token")},
                               {"ilink_user_id", weixin.value("ilink_user_id")},
                               {"context_token", weixin.value("context_token")},
                               {"get_updates_buf", weixin.value("get_updates_buf")}});
    for (const QJsonValue &value : entries) {
        const QJsonObject entry = value.toObject();
        Account account;
        account.botId = entry.value("bot_id").toString().trimmed();
        account.botToken = entry.value("bot_token").toString().trimmed();
        account.tokenInKeychain =
            account.botToken.isEmpty() && entry.value("bot_token_in_keychain").toBool();
        if (account.tokenInKeychain) {
            // The token in memory (read before, or newer and on its way into the keychain).
            const Account *known = this->account(account.botId);
            account.botToken = known && !known->botToken.isEmpty()
                                   ? known->botToken
                                   : m_keychainTokens.value(account.botId);
        }
        if (account.botId.isEmpty() || (account.botToken.isEmpty() && !account.tokenInKeychain))
            continue;
        if (std::any_of(accounts.begin(), accounts.end(),
                        [&](const Account &a) { return a.botId == account.botId; }))
            continue;
        account.ilinkUserId = entry.value("ilink_user_id").toString().trimmed();
        account.contextToken = entry.value("context_token").toString().trimmed();
        account.getUpdatesBuf = entry.value("get_updates_buf").toString().trimmed();
        // Keep what the runtime knows about an account it already had.
        for (const Account &known : m_accounts) {
            if (known.botId == account.botId) {
                account.connected = known.connected;
                account.lastEvent = known.lastEvent;
                account.lastError = known.lastError;
                account.updatedAtMs = known.updatedAtMs;
            }
        }
        accounts << account;
    }
    std::sort(accounts.begin(), accounts.end(),
              [](const Account &a, const Account &b) { return a.botId < b.botId; });
    for (Account &account : accounts)
        if (const Account *known = this->account(account.botId)) {
            account.lastInboundAtMs = known->lastInboundAtMs;
            account.lastInboundChat = known->lastInboundChat;
            account.lastInboundText = known->lastInboundText;
        }
    m_accounts = accounts;
    if (m_running && !isActive())
        stop();
    else if (m_running)
        ensurePollers();
    syncTokens();
    Q_EMIT changed();
}

void WeixinChannel::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
    connect(secrets, &SecretStore::stateChanged, this, [this] {
        syncTokens();
        if (m_persistDeferred)
            schedulePersist();
        Q_EMIT changed();
    });
    syncTokens();
}

void WeixinChannel::syncTokens()
{
    if (!m_secrets || !m_secrets->settled())
        return; // again when the probe has answered
    for (Account &acc : m_accounts) {
        const QString botId = acc.botId;
        if (acc.botToken.isEmpty() && acc.tokenInKeychain) {
            if (!m_secrets->available()) {
                acc.lastError =
                    QStringLiteral("the bot token is in the system keychain, which is not "
                                   "available here (%1)")
                        .arg(m_secrets->unavailableReason());
                continue;
            }
            if (m_tokenReads.contains(botId))
                continue;
            m_tokenReads.insert(botId);
            m_secrets->read(keychainKey(botId), this,
                            [this, botId](const QString &token, const QString &error) {
                                m_tokenReads.remove(botId);
                                Account *acc = account(botId);
                                // Gone, or a newer token arrived meanwhile (a login).
                                if (!acc || !acc->tokenInKeychain || !acc->botToken.isEmpty())
                                    return;
                                if (!error.isEmpty()) {
                                    acc->lastError = QStringLiteral("could not read the bot token "
                                                                    "from the system keychain: ") +
                                                     error;
                                } else if (token.isEmpty()) {
                                    acc->lastError = QStringLiteral(
                                        "the bot token is missing from the system keychain; "
                                        "log in again");
                                } else {
                                    m_keychainTokens.insert(botId, token);
                                    publishKeychainTokens();
                                    acc->botToken = token;
                                    acc->lastError.clear();
                                    if (m_running)
                                        ensurePollers();
                                }
                                Q_EMIT changed();
                            });
            continue;
        }
        const QString token = acc.botToken;
        if (token.isEmpty() || !m_secrets->available() || m_tokenWrites.contains(botId) ||
            m_keychainTokens.value(botId) == token || m_keychainFailures.value(botId) == token)
            continue;
        m_tokenWrites.insert(botId);
        m_secrets->write(
            keychainKey(botId), token, this, [this, botId, token](const QString &error) {
                m_tokenWrites.remove(botId);
                if (!account(botId)) { // removed while the write ran: take the entry back out
                    if (error.isEmpty())
                        m_secrets->remove(keychainKey(botId), this, [](const QString &) {});
                    return schedulePersist();
                }
                if (error.isEmpty()) {
                    m_keychainTokens.insert(botId, token);
                    publishKeychainTokens();
                    qCInfo(lcChannels).noquote()
                        << "the bot token of" << botId << "is stored in the system keychain";
                } else {
                    m_keychainFailures.insert(botId, token);
                    qCWarning(lcChannels).noquote()
                        << "could not store the bot token of" << botId << "in the system keychain ("
                        << error << "); it stays in the config file (0600)";
                }
                syncTokens(); // the token may have changed meanwhile
                schedulePersist();
            });
    }
}

bool WeixinChannel::tokenKeptInKeychain(const Account &account) const
{
    return account.botToken.isEmpty() ? account.tokenInKeychain
                                      : m_keychainTokens.value(account.botId) == account.botToken;
}

// Tokens that live only in the keychain never show up in the config, so the log redactor
// learns them here.
void WeixinChannel::publishKeychainTokens()
{
    QStringList tokens;
    for (const QString &token : std::as_const(m_keychainTokens))
        if (token.size() >= 6) // as for config secrets: shorter values would mangle every line
            tokens << token;
    LogHub::instance()->redactor().setKnownSecrets(tokens, QStringLiteral("keychain"));
}

void WeixinChannel::setPollTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs)
{
    m_pollTimeoutMs = pollTimeoutMs;
    m_retryMs = retryMs;
    m_backoffMs = backoffMs;
    m_pauseCheckMs = pauseCheckMs;
}

WeixinChannel::Account *WeixinChannel::account(const QString &botId)
{
    for (Account &account : m_accounts)
        if (account.botId == botId)
            return &account;
    return nullptr;
}

void WeixinChannel::start()
{
    if (m_running || !isActive())
        return;
    m_running = true;
    qCInfo(lcChannels) << "weixin channel started with" << m_accounts.size() << "account(s)";
    ensurePollers();
    Q_EMIT changed();
}

void WeixinChannel::stop()
{
    m_running = false;
    for (Poller &poller : m_pollers) {
        if (poller.reply)
            poller.reply->abort();
        delete poller.timer;
    }
    m_pollers.clear();
    Q_EMIT changed();
}

void WeixinChannel::ensurePollers()
{
    // One long poll per account; accounts that went away lose theirs.
    for (auto it = m_pollers.begin(); it != m_pollers.end();) {
        if (!account(it.key())) {
            if (it->reply)
                it->reply->abort();
            delete it->timer;
            it = m_pollers.erase(it);
        } else {
            ++it;
        }
    }
    for (const Account &account : m_accounts) {
        if (m_pollers.contains(account.botId) || account.botToken.isEmpty())
            continue; // a token still in the keychain gets its poller once read
        Poller &poller = m_pollers[account.botId];
        poller.timeoutMs = m_pollTimeoutMs;
        poller.timer = new QTimer(this);
        poller.timer->setSingleShot(true);
        const QString botId = account.botId;
        connect(poller.timer, &QTimer::timeout, this, [this, botId] { poll(botId); });
        poller.timer->start(0);
    }
}

void WeixinChannel::schedulePoll(const QString &botId, int delayMs)
{
    auto it = m_pollers.find(botId);
    if (it != m_pollers.end() && m_running)
        it->timer->start(qMax(0, delayMs));
}

QString WeixinChannel::pauseError() const
{
    const qint64 remaining = m_pausedUntilMs - Clock::nowMs();
    return QStringLiteral("weixin session paused (%1 min remaining)")
        .arg((remaining + 59999) / 60000);
}

void WeixinChannel::poll(const QString &botId)
{
    Account *acc = account(botId);
    if (!m_running || !acc || !m_pollers.contains(botId))
        return;
    const qint64 now = Clock::nowMs();
    if (now < m_pausedUntilMs) {
        // Paused after a session-expired answer: look at the clock again later.
        schedulePoll(botId, int(qMin<qint64>(m_pausedUntilMs - now, m_pauseCheckMs)));
        return;
    }
    const QJsonObject body{{"get_updates_buf", acc->getUpdatesBuf},
                           {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}};
    Poller &poller = m_pollers[botId];
    poller.reply = m_client->post(
        m_baseUrl, QStringLiteral("/ilink/bot/getupdates"), acc->botToken, body,
        QStringLiteral("getupdates"), this,
        [this, botId](const ILinkClient::Reply &reply) {
            Account *acc = account(botId);
            if (!m_running || !acc || !m_pollers.contains(botId))
                return;
            Poller &poller = m_pollers[botId];
            acc->updatedAtMs = Clock::nowMs();
            if (!reply.ok && reply.error == QLatin1String("request timed out")) {
                // An idle long poll that ran out: not a failure (the reference counted it as one).
                return schedulePoll(botId, 0);
            }
            if (!reply.ok) {
                acc->connected = false;
                acc->lastEvent = QStringLiteral("error");
                acc->lastError = reply.error;
                ++poller.failures;
                Q_EMIT changed();
                if (reply.sessionExpired) {
                    m_pausedUntilMs = qMax(m_pausedUntilMs, Clock::nowMs() + 3600 * 1000);
                    qCWarning(lcChannels).noquote()
                        << "weixin session expired for" << botId << "- pausing for an hour";
                    return schedulePoll(botId, 0);
                }
                qCWarning(lcChannels).noquote()
                    << "weixin poll failed for" << botId << ":" << reply.error;
                return schedulePoll(botId, poller.failures < 3 ? m_retryMs : m_backoffMs);
            }
            poller.failures = 0;
            const int serverTimeout = reply.body.value("longpolling_timeout_ms").toInt();
            if (serverTimeout > 0)
                poller.timeoutMs = serverTimeout + 5000;
            const QString cursor = reply.body.value("get_updates_buf").toString().trimmed();
            if (!cursor.isEmpty() && cursor != acc->getUpdatesBuf) {
                acc->getUpdatesBuf = cursor;
                schedulePersist(); // a restart resumes from here
            }
            handleUpdates(botId, reply.body.value("msgs").toArray());
            if (Account *after = account(botId)) {
                after->connected = true;
                after->lastEvent = QStringLiteral("poll_ok");
                after->lastError.clear();
            }
            Q_EMIT changed();
            schedulePoll(botId, 0);
        },
        poller.timeoutMs);
}

void WeixinChannel::handleUpdates(const QString &botId, const QJsonArray &messages)
{
    for (const QJsonValue &value : messages) {
        Account *acc = account(botId);
        if (!acc)
            return;
        const QJsonObject message = value.toObject();
        const QString raw = message.value("from_user_id").toString().trimmed();
        if (raw.isEmpty())
            continue;
        const QString chat = botId + QLatin1Char('|') + raw;
        const QString token = message.value("context_token").toString().trimmed();
        if (!token.isEmpty()) {
            m_chatTokens.insert(chat, token);
            if (token != acc->contextToken) {
                acc->contextToken = token;
                schedulePersist();
            }
        }
        QStringList parts;
        QStringList types;
        for (const QJsonValue &itemValue : message.value("item_list").toArray()) {
            const QJsonObject item = itemValue.toObject();
            const int type = item.value("type").toInt();
            types << QString::number(type);
            QString part;
            switch (type) {
            case 1:
                part = item.value("text_item").toObject().value("text").toString();
                break;
            case 2:
                part = QStringLiteral("[image]");
                break;
            case 3: {
                const QString text =
                    item.value("voice_item").toObject().value("text").toString().trimmed();
                part = text.isEmpty() ? QStringLiteral("[audio]") : text;
                break;
            }
            case 4: {
                const QString name =
                    item.value("file_item").toObject().value("file_name").toString().trimmed();
                part = name.isEmpty() ? QStringLiteral("[file]")
                                      : QStringLiteral("[file: %1]").arg(name);
                break;
            }
            case 5:
                part = QStringLiteral("[video]");
                break;
            default:
                break;
            }
            if (!part.trimmed().isEmpty())
                parts << part.trimmed();
        }
        const QString content = parts.join(QLatin1Char('\n'));
        if (content.isEmpty())
            continue;
        acc->lastInboundAtMs = Clock::nowMs();
        acc->lastInboundChat = raw;
        acc->lastInboundText = QString::fromUtf8(content.toUtf8().left(120));
        acc->lastEvent = QStringLiteral("inbound_message");
        InboundMessage inbound;
        inbound.channel = QStringLiteral("weixin");
        inbound.senderId = raw;
        inbound.chatId = chat;
        inbound.content = content;
        inbound.messageId = message.value("message_id").toVariant().toString();
        inbound.metadata = QJsonObject{{"bot_id", botId},
                                       {"context_token", token},
                                       {"item_types", types.join(QLatin1Char(','))},
                                       {"raw_chat_id", raw}};
        if (!acc->ilinkUserId.isEmpty() && !token.isEmpty())
            sendTyping(botId, token);
        QString reason;
        if (m_bus && !m_bus->publishInbound(inbound, &reason))
            qCInfo(lcChannels).noquote() << "weixin message from" << raw << "not taken:" << reason;
    }
}

void WeixinChannel::sendTyping(const QString &botId, const QString &contextToken)
{
    Account *acc = account(botId);
    if (!acc)
        return;
    const QString userId = acc->ilinkUserId;
    const QString token = acc->botToken;
    auto typing = [this, userId, token](const QString &ticket) {
        m_client->post(m_baseUrl, QStringLiteral("/ilink/bot/sendtyping"), token,
                       QJsonObject{{"ilink_user_id", userId},
                                   {"typing_ticket", ticket},
                                   {"status", 1},
                                   {"base_info", QJsonObject{{"channel_version", "2.1.1"}}}},
                       QStringLiteral("sendtyping"), this, [](const ILinkClient::Reply &) {});
    };
    if (m_typingTickets.contains(botId))
        return typing(m_typingTickets.value(botId));
    m_client->post(
        m_baseUrl, QStringLiteral("/ilink/bot/getconfig"), token,
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

QStringList WeixinChannel::splitText(const QString &text, int limit)
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

void WeixinChannel::send(const QString &chatIdIn, const QString &text,
                         std::function<void(const QString &)> doneIn)
{
    const auto done = [doneIn](const QString &error) {
        if (!error.isEmpty())
            qCWarning(lcChannels).noquote() << "weixin send failed:" << error;
        if (doneIn)
            doneIn(error);
    };
    const QString chatId = chatIdIn.trimmed();
    if (!m_running)
        return done(QStringLiteral("weixin channel not running"));
    if (Clock::nowMs() < m_pausedUntilMs)
        return done(pauseError());
    if (chatId.isEmpty())
        return done(QStringLiteral("weixin chat_id is required"));
    QString botId;
    QString user;
    QString token;
    const qsizetype bar = chatId.indexOf(QLatin1Char('|'));
    if (bar > 0 && account(chatId.left(bar).trimmed()) &&
        !chatId.mid(bar + 1).trimmed().isEmpty()) {
        botId = chatId.left(bar).trimmed();
        user = chatId.mid(bar + 1).trimmed();
        token = m_chatTokens.value(chatId, account(botId)->contextToken);
        if (token.isEmpty())
            return done(QStringLiteral("weixin context_token missing for chat %1").arg(chatId));
    } else if (!defaultBotId().isEmpty() && account(defaultBotId())) {
        botId = defaultBotId();
        user = chatId;
        token = account(botId)->contextToken;
        if (token.isEmpty())
            return done(
                QStringLiteral("weixin context_token missing for default bot %1").arg(botId));
    } else {
        return done(QStringLiteral("weixin no account available for chat %1").arg(chatId));
    }
    sendPieces(botId, user, token, splitText(text), done);
}

void WeixinChannel::sendPieces(const QString &botId, const QString &user, const QString &token,
                               QStringList pieces, std::function<void(const QString &)> done)
{
    Account *acc = account(botId);
    if (!acc)
        return done(QStringLiteral("weixin account %1 was removed").arg(botId));
    if (pieces.isEmpty()) {
        acc->connected = true;
        acc->lastEvent = QStringLiteral("outbound_sent");
        acc->lastError.clear();
        Q_EMIT changed();
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
    m_client->post(m_baseUrl, QStringLiteral("/ilink/bot/sendmessage"), acc->botToken, body,
                   QStringLiteral("sendmessage"), this,
                   [this, botId, user, token, pieces, done](const ILinkClient::Reply &reply) {
                       Account *acc = account(botId);
                       if (!reply.ok) {
                           if (reply.sessionExpired)
                               m_pausedUntilMs =
                                   qMax(m_pausedUntilMs, Clock::nowMs() + 3600 * 1000);
                           if (acc) {
                               acc->connected = false;
                               acc->lastEvent = QStringLiteral("error");
                               acc->lastError = reply.error;
                               Q_EMIT changed();
                           }
                           return done(reply.error);
                       }
                       sendPieces(botId, user, token, pieces, done);
                   });
}

QString WeixinChannel::defaultBotId() const
{
    if (!m_defaultBotId.isEmpty())
        return m_defaultBotId;
    return m_accounts.size() == 1 ? m_accounts.first().botId : QString();
}

int WeixinChannel::indexOfLogin(const QString &loginId) const
{
    for (int i = 0; i < m_logins.size(); ++i)
        if (m_logins.at(i).loginId == loginId)
            return i;
    return -1;
}

void WeixinChannel::startLogin(QObject *context, std::function<void(const QString &)> done)
{
    // Like the reference's draft runtime: a login switches on a channel that the config has
    // off, for this run (and for good once a login is confirmed).
    if (!m_activatedByLogin && !enabled())
        qCInfo(lcChannels) << "weixin channel activated by a login";
    m_activatedByLogin = true;
    start(); // the known accounts are polled from now on, as by the reference's bootstrap
    const QString base = m_baseUrl;
    m_client->getBotQrcode(base, context, [this, base, done](const ILinkClient::Reply &reply) {
        if (!reply.ok)
            return done(reply.error);
        PendingLogin login;
        login.loginId = randomId();
        login.qrCode = reply.body.value("qrcode").toString().trimmed();
        login.qrContent = reply.body.value("qrcode_img_content").toString().trimmed();
        if (login.qrContent.isEmpty())
            login.qrContent = login.qrCode;
        login.baseUrl = base;
        login.updatedAtMs = Clock::nowMs();
        login.expiresAtMs = login.updatedAtMs + m_qrLifetimeMs;
        m_logins << login;
        qCInfo(lcChannels).noquote() << "weixin login started" << login.loginId;
        Q_EMIT changed();
        done(QString());
    });
}

bool WeixinChannel::cancelLogin(const QString &loginId)
{
    const int index = indexOfLogin(loginId.trimmed());
    if (loginId.trimmed().isEmpty() || index < 0)
        return false;
    m_logins.removeAt(index);
    Q_EMIT changed();
    return true;
}

void WeixinChannel::refreshLogins(QObject *context, std::function<void(const QString &)> done)
{
    QPointer<QObject> guard(context);
    auto deliver = [guard, done](const QString &error) {
        if (guard)
            done(error);
    };
    if (m_refreshing) {
        m_waiting << deliver; // single flight: share the running refresh
        return;
    }
    if (m_lastRefreshMs >= 0 && Clock::nowMs() - m_lastRefreshMs < m_refreshGapMs)
        return deliver(QString());
    m_refreshing = true;
    m_waiting << deliver;
    refreshNext(0, [this](const QString &error) {
        m_refreshing = false;
        m_lastRefreshMs = Clock::nowMs();
        const auto waiting = std::exchange(m_waiting, {});
        Q_EMIT changed();
        for (const auto &callback : waiting)
            callback(error);
    });
}

void WeixinChannel::renewQr(int index, std::function<void(const QString &)> next)
{
    const QString loginId = m_logins.at(index).loginId;
    m_client->getBotQrcode(
        m_logins.at(index).baseUrl, this, [this, loginId, next](const ILinkClient::Reply &reply) {
            const int i = indexOfLogin(loginId);
            if (i < 0)
                return next(QString());
            PendingLogin &login = m_logins[i];
            login.updatedAtMs = Clock::nowMs();
            if (!reply.ok) {
                login.lastError = reply.error;
                return next(QString());
            }
            login.qrCode = reply.body.value("qrcode").toString().trimmed();
            login.qrContent = reply.body.value("qrcode_img_content").toString().trimmed();
            if (login.qrContent.isEmpty())
                login.qrContent = login.qrCode;
            login.status = QStringLiteral("wait");
            login.lastError.clear();
            login.expiresAtMs = login.updatedAtMs + m_qrLifetimeMs;
            ++login.qrRefreshes;
            qCInfo(lcChannels).noquote() << "weixin QR renewed for" << loginId << "("
                                         << login.qrRefreshes << "of" << kMaxQrRefreshes << ")";
            next(QString());
        });
}

void WeixinChannel::refreshNext(int index, std::function<void(const QString &)> finish)
{
    if (index >= m_logins.size())
        return finish(QString());
    PendingLogin &login = m_logins[index];
    const auto next = [this, index, finish](const QString &hardError) {
        if (!hardError.isEmpty())
            return finish(hardError);
        refreshNext(index + 1, finish);
    };
    if (login.qrCode.isEmpty() || login.status == QLatin1String("expired"))
        return next(QString());
    // The QR's countdown is over: replace it while renewals are left.
    if (Clock::nowMs() >= login.expiresAtMs) {
        if (login.qrRefreshes < kMaxQrRefreshes)
            return renewQr(index, next);
        login.status = QStringLiteral("expired");
        login.updatedAtMs = Clock::nowMs();
        return next(QString());
    }
    const QString loginId = login.loginId;
    m_client->getQrcodeStatus(
        login.baseUrl, login.qrCode, this,
        [this, loginId, index, next](const ILinkClient::Reply &reply) {
            const int i = indexOfLogin(loginId);
            if (i < 0)
                return next(QString()); // cancelled meanwhile
            PendingLogin &login = m_logins[i];
            login.updatedAtMs = Clock::nowMs();
            if (!reply.ok) {
                if (reply.error.startsWith(QLatin1String("decode response")))
                    return next(reply.error);
                login.lastError = reply.error; // transport trouble: try again next time
                return next(QString());
            }
            const QJsonObject body = reply.body;
            const QString raw = body.value("status").toString().trimmed();
            const QString status = raw.toLower();
            if (status.isEmpty() || status == QLatin1String("wait") ||
                status == QLatin1String("scaned")) {
                login.status = raw.isEmpty() ? QStringLiteral("wait") : raw;
                login.lastError.clear();
            } else if (status == QLatin1String("scaned_but_redirect")) {
                login.status = raw;
                const QString host = body.value("redirect_host").toString().trimmed();
                if (host.isEmpty()) {
                    login.lastError = QStringLiteral("missing redirect_host");
                } else {
                    login.baseUrl = hostToUrl(host);
                    login.lastError.clear();
                }
            } else if (status == QLatin1String("expired")) {
                // Upstream says so before our countdown: renew now while renewals are left.
                if (login.qrRefreshes < kMaxQrRefreshes)
                    return renewQr(i, next);
                login.status = QStringLiteral("expired");
            } else if (status == QLatin1String("confirmed")) {
                Account account;
                account.botId = body.value("ilink_bot_id").toString().trimmed();
                account.botToken = body.value("bot_token").toString().trimmed();
                account.ilinkUserId = body.value("ilink_user_id").toString().trimmed();
                if (account.botId.isEmpty() || account.botToken.isEmpty())
                    return next(QStringLiteral("confirmed login missing bot credentials"));
                const QString newBase = body.value("baseurl").toString().trimmed();
                if (!newBase.isEmpty() && ILinkClient::normalizeBaseUrl(newBase) != m_baseUrl)
                    m_baseUrl = ILinkClient::normalizeBaseUrl(newBase);
                m_logins.removeAt(i);
                qCInfo(lcChannels).noquote() << "weixin login confirmed for bot" << account.botId;
                addAccount(account);
                return refreshNext(index, [next](const QString &error) { next(error); });
            } else {
                login.status = raw;
            }
            next(QString());
        });
}

void WeixinChannel::addAccount(const Account &incoming)
{
    bool merged = false;
    for (Account &account : m_accounts) {
        if (account.botId != incoming.botId)
            continue;
        if (!incoming.botToken.isEmpty())
            account.botToken = incoming.botToken;
        if (!incoming.ilinkUserId.isEmpty())
            account.ilinkUserId = incoming.ilinkUserId;
        merged = true;
    }
    if (!merged) {
        m_accounts << incoming;
        std::sort(m_accounts.begin(), m_accounts.end(),
                  [](const Account &a, const Account &b) { return a.botId < b.botId; });
    }
    if (m_defaultBotId.isEmpty())
        m_defaultBotId = incoming.botId;
    m_enableOnPersist = true; // a login means the user wants the channel
    syncTokens();
    schedulePersist();
    if (m_running)
        ensurePollers();
    Q_EMIT changed();
}

QString WeixinChannel::removeAccount(const QString &botIdIn)
{
    const QString botId = botIdIn.trimmed();
    if (botId.isEmpty())
        return QStringLiteral("bot_id is required");
    const auto it = std::find_if(m_accounts.begin(), m_accounts.end(),
                                 [&](const Account &a) { return a.botId == botId; });
    if (it == m_accounts.end())
        return QStringLiteral("bot_id not found: %1").arg(botId);
    // A running write is not undone here: its answer sees the account gone and removes it.
    if (it->tokenInKeychain || m_keychainTokens.contains(botId)) {
        m_keychainTokens.remove(botId);
        publishKeychainTokens();
        if (m_secrets)
            m_secrets->remove(keychainKey(botId), this, [botId](const QString &error) {
                if (!error.isEmpty())
                    qCWarning(lcChannels).noquote() << "could not delete the bot token of" << botId
                                                    << "from the system keychain:" << error;
            });
    }
    m_accounts.erase(it);
    for (auto chat = m_chatTokens.begin(); chat != m_chatTokens.end();)
        chat = chat.key().startsWith(botId + QLatin1Char('|')) ? m_chatTokens.erase(chat)
                                                               : std::next(chat);
    m_typingTickets.remove(botId);
    if (m_running)
        ensurePollers();
    if (m_defaultBotId == botId)
        m_defaultBotId = m_accounts.isEmpty() ? QString() : m_accounts.first().botId;
    schedulePersist();
    Q_EMIT changed();
    return QString();
}

QString WeixinChannel::setDefaultAccount(const QString &botIdIn)
{
    const QString botId = botIdIn.trimmed();
    if (botId.isEmpty())
        return QStringLiteral("bot_id is required");
    if (std::none_of(m_accounts.begin(), m_accounts.end(),
                     [&](const Account &a) { return a.botId == botId; }))
        return QStringLiteral("bot_id not found: %1").arg(botId);
    m_defaultBotId = botId;
    schedulePersist();
    Q_EMIT changed();
    return QString();
}

void WeixinChannel::flushPendingSave()
{
    if (!m_persistTimer->isActive() && !m_persistDeferred)
        return;
    m_persistTimer->stop();
    if (!m_tokenWrites.isEmpty())
        qCWarning(lcChannels) << "shutting down before the keychain stored a bot token; it is "
                                 "saved in the config file and moves to the keychain next time";
    save();
}

void WeixinChannel::schedulePersist()
{
    m_persistTimer->start();
}

void WeixinChannel::persist()
{
    // A token on its way into the keychain must not be written to the file meanwhile.
    if (!m_tokenWrites.isEmpty() || (m_secrets && !m_secrets->settled())) {
        m_persistDeferred = true;
        return;
    }
    save();
}

void WeixinChannel::save()
{
    m_persistDeferred = false;
    QJsonArray accounts;
    for (const Account &account : m_accounts) {
        QJsonObject entry{{"bot_id", account.botId}};
        if (tokenKeptInKeychain(account))
            entry.insert("bot_token_in_keychain", true);
        else
            entry.insert("bot_token", account.botToken);
        if (!account.ilinkUserId.isEmpty())
            entry.insert("ilink_user_id", account.ilinkUserId);
        if (!account.contextToken.isEmpty())
            entry.insert("context_token", account.contextToken);
        if (!account.getUpdatesBuf.isEmpty())
            entry.insert("get_updates_buf", account.getUpdatesBuf);
        accounts.append(entry);
    }
    const QString baseUrl = m_baseUrl;
    const QString defaultBotId = m_defaultBotId;
    const bool enable = m_enableOnPersist;
    // Applied to the file as it is when this save's turn comes: a config edit that lands in
    // between keeps its other sections.
    m_config->update(
        QStringLiteral("weixin"),
        [accounts, baseUrl, defaultBotId, enable](const QJsonObject &fileConfig) {
            QJsonObject file = fileConfig;
            QJsonObject weixin =
                JsonUtil::valueAt(file, QStringLiteral("channels.weixin")).toObject();
            weixin.insert("base_url", baseUrl);
            weixin.insert("accounts", accounts);
            if (defaultBotId.isEmpty())
                weixin.remove("default_bot_id");
            else
                weixin.insert("default_bot_id", defaultBotId);
            if (enable)
                weixin.insert("enabled", true);
            // The legacy single account now lives in the list.
            for (const char *legacy :
                 {"bot_id", "bot_token", "ilink_user_id", "context_token", "get_updates_buf"})
                weixin.remove(QLatin1String(legacy));
            JsonUtil::setValueAt(file, QStringLiteral("channels.weixin"), weixin);
            return file;
        },
        this,
        [this, enable](const ConfigStore::SaveResult &result) {
            if (result.status != ConfigStore::SaveResult::Ok)
                qCWarning(lcChannels).noquote()
                    << "could not save the weixin accounts:" << result.error
                    << result.errors.join(QStringLiteral("; "));
            else if (enable)
                m_enableOnPersist = false;
        });
}

QString WeixinChannel::qrContent(const QString &loginId) const
{
    const QString id = loginId.trimmed();
    for (const PendingLogin &login : m_logins)
        if (id.isEmpty() || login.loginId == id)
            return login.qrContent.isEmpty() ? login.qrCode : login.qrContent;
    return QString();
}

QJsonObject WeixinChannel::statusPayload(const QString &errorIn) const
{
    const bool active = isActive();
    const QString error = active ? errorIn : inactiveError();
    QJsonObject payload{{"ok", error.isEmpty()},       {"enabled", active},
                        {"config_enabled", enabled()}, {"runtime_enabled", m_running},
                        {"draft_dirty", false},        {"base_url", m_baseUrl}};
    if (!error.isEmpty()) {
        payload.insert("error", error);
        return payload;
    }
    const qint64 now = Clock::nowMs();
    if (now < m_pausedUntilMs)
        payload.insert("paused_until", isoTime(m_pausedUntilMs));
    auto loginJson = [now](const PendingLogin &login) {
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
    for (const PendingLogin &login : m_logins)
        logins.append(loginJson(login));
    payload.insert("pending_logins", logins);
    payload.insert("pending_login", m_logins.isEmpty() ? QJsonObject{{"login_id", ""},
                                                                     {"qr_code", ""},
                                                                     {"qr_code_img_content", ""},
                                                                     {"status", ""},
                                                                     {"last_error", ""},
                                                                     {"updated_at", ""},
                                                                     {"qr_available", false}}
                                                       : loginJson(m_logins.first()));
    QJsonArray accounts;
    const QString defaultId = defaultBotId();
    for (const Account &account : m_accounts) {
        QJsonObject entry{{"bot_id", account.botId},
                          {"connected", account.connected},
                          {"default", account.botId == defaultId}};
        const auto put = [&entry](const char *key, const QString &value) {
            if (!value.isEmpty())
                entry.insert(QLatin1String(key), value);
        };
        put("ilink_user_id", account.ilinkUserId);
        put("context_token", account.contextToken);
        put("get_updates_buf", account.getUpdatesBuf);
        put("last_event", account.lastEvent);
        put("last_error", account.lastError);
        put("updated_at", isoTime(account.updatedAtMs));
        put("last_inbound_at", isoTime(account.lastInboundAtMs));
        put("last_inbound_chat", account.lastInboundChat);
        put("last_inbound_text", account.lastInboundText);
        entry.insert("token_storage", tokenKeptInKeychain(account) ? "keychain" : "config");
        accounts.append(entry); // bot_token is never part of it
    }
    payload.insert("accounts", accounts);
    return payload;
}
