#include "weixinchannel.h"

#include "core/clock.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "ilinkclient.h"
#include "messagebus.h"
#include "weixinpoller.h"
#include "weixinsender.h"

#include <QJsonArray>

WeixinChannel::WeixinChannel(ConfigStore *config, QObject *parent)
    : QObject(parent), m_config(config), m_client(new ILinkClient(this)),
      m_accounts(new WeixinAccounts(config, this)), m_login(new WeixinLogin(m_client, this)),
      m_poller(new WeixinPoller(m_client, m_accounts, this)),
      m_sender(new WeixinSender(m_client, m_accounts, this))
{
    connect(m_accounts, &WeixinAccounts::changed, this, &WeixinChannel::changed);
    connect(m_accounts, &WeixinAccounts::accountsChanged, m_poller, &WeixinPoller::sync);
    connect(m_login, &WeixinLogin::changed, this, &WeixinChannel::changed);
    connect(m_login, &WeixinLogin::confirmed, this,
            [this](const WeixinAccount &account, const QString &baseUrl) {
                if (!baseUrl.isEmpty())
                    m_accounts->setBaseUrl(baseUrl);
                m_accounts->add(account);
            });
    connect(m_poller, &WeixinPoller::messages, this, &WeixinChannel::deliver);
    m_configEnabled = enabled();
}

WeixinChannel::~WeixinChannel() = default;

void WeixinChannel::setRefreshGapMs(int ms)
{
    m_login->setRefreshGapMs(ms);
}

void WeixinChannel::setQrLifetimeMs(qint64 ms)
{
    m_login->setQrLifetimeMs(ms);
}

void WeixinChannel::setPersistDelayMs(int ms)
{
    m_accounts->setPersistDelays(ms, qMax(ms, 2000));
}

void WeixinChannel::setPersistDelays(int delayMs, int maxWaitMs)
{
    m_accounts->setPersistDelays(delayMs, maxWaitMs);
}

void WeixinChannel::setPollTimings(int pollTimeoutMs, int retryMs, int backoffMs, int pauseCheckMs)
{
    m_poller->setTimings(pollTimeoutMs, retryMs, backoffMs, pauseCheckMs);
}

bool WeixinChannel::enabled() const
{
    return m_accounts->enabled();
}

bool WeixinChannel::isRunning() const
{
    return m_poller->isRunning();
}

const QList<WeixinAccount> &WeixinChannel::accounts() const
{
    return m_accounts->all();
}

void WeixinChannel::reconfigure()
{
    const bool wasEnabled = m_configEnabled;
    m_configEnabled = enabled();
    if (wasEnabled && !m_configEnabled)
        m_activatedByLogin = false; // switched off on purpose: inactive again
    m_accounts->reload();
    if (isRunning() && !isActive())
        stop();
    else if (isRunning())
        m_poller->sync();
    Q_EMIT changed();
}

void WeixinChannel::start()
{
    if (isRunning() || !isActive())
        return;
    qCInfo(lcChannels) << "weixin channel started with" << m_accounts->all().size() << "account(s)";
    m_poller->start();
    Q_EMIT changed();
}

void WeixinChannel::stop()
{
    m_poller->stop();
    Q_EMIT changed();
}

void WeixinChannel::flushPendingSave()
{
    m_accounts->flushPendingSave();
}

QStringList WeixinChannel::splitText(const QString &text, int limit)
{
    return WeixinSender::splitText(text, limit);
}

void WeixinChannel::send(const QString &chatId, const QString &text,
                         std::function<void(const QString &)> doneIn)
{
    const auto done = [doneIn](const QString &error) {
        if (!error.isEmpty())
            qCWarning(lcChannels).noquote() << "weixin send failed:" << error;
        if (doneIn)
            doneIn(error);
    };
    if (!isRunning())
        return done(QStringLiteral("weixin channel not running"));
    m_sender->send(chatId, text, done);
}

void WeixinChannel::startLogin(QObject *context, std::function<void(const QString &)> done)
{
    // Like the reference's draft runtime: a login switches on a channel that the config has
    // off, for this run (and for good once a login is confirmed).
    if (!m_activatedByLogin && !enabled())
        qCInfo(lcChannels) << "weixin channel activated by a login";
    m_activatedByLogin = true;
    start(); // the known accounts are polled from now on, as by the reference's bootstrap
    m_login->start(m_accounts->baseUrl(), context, std::move(done));
}

bool WeixinChannel::cancelLogin(const QString &loginId)
{
    return m_login->cancel(loginId);
}

void WeixinChannel::refreshLogins(QObject *context, std::function<void(const QString &)> done)
{
    m_login->refresh(context, std::move(done));
}

QString WeixinChannel::removeAccount(const QString &botId)
{
    const QString error = m_accounts->remove(botId);
    if (error.isEmpty())
        m_sender->forgetAccount(botId.trimmed());
    return error;
}

QString WeixinChannel::setDefaultAccount(const QString &botId)
{
    return m_accounts->setDefault(botId);
}

QString WeixinChannel::qrContent(const QString &loginId) const
{
    return m_login->qrContent(loginId);
}

WeixinStatus WeixinChannel::status(const QString &refreshError) const
{
    WeixinStatus status;
    status.active = isActive();
    status.configEnabled = enabled();
    status.running = isRunning();
    status.baseUrl = m_accounts->baseUrl();
    status.error = status.active ? refreshError : inactiveError();
    status.nowMs = Clock::nowMs();
    status.pausedUntilMs = m_accounts->pausedUntilMs();
    status.logins = m_login->pending();
    const QString defaultId = m_accounts->defaultBotId();
    for (const WeixinAccount &account : m_accounts->all()) {
        WeixinStatus::Account entry;
        entry.botId = account.botId;
        entry.state = account.state;
        entry.isDefault = account.botId == defaultId;
        entry.ilinkUserId = account.ilinkUserId;
        entry.hasContextToken = !account.contextToken.isEmpty();
        entry.getUpdatesBuf = account.getUpdatesBuf;
        entry.tokenInKeychain = m_accounts->tokenKeptInKeychain(account);
        status.accounts << entry;
    }
    return status;
}

void WeixinChannel::deliver(const QString &botId, const QJsonArray &messages)
{
    for (const QJsonValue &value : messages) {
        WeixinAccount *acc = m_accounts->find(botId);
        if (!acc)
            return;
        const QJsonObject message = value.toObject();
        const QString raw = message.value("from_user_id").toString().trimmed();
        if (raw.isEmpty())
            continue;
        const QString chat = botId + QLatin1Char('|') + raw;
        const QString token = message.value("context_token").toString().trimmed();
        m_sender->rememberChatToken(chat, token);
        m_accounts->setContextToken(botId, token);
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
        acc->state.lastInboundAtMs = Clock::nowMs();
        acc->state.lastInboundChat = raw;
        acc->state.lastInboundText = QString::fromUtf8(content.toUtf8().left(120));
        acc->state.lastEvent = QStringLiteral("inbound_message");
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
            m_sender->sendTyping(botId, token);
        QString reason;
        if (m_bus && !m_bus->publishInbound(inbound, &reason))
            qCInfo(lcChannels).noquote() << "weixin message from" << raw << "not taken:" << reason;
    }
}
