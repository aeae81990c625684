#include "weixinaccounts.h"

#include "core/clock.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/debouncer.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "ilinkclient.h"

#include <QJsonArray>
#include <algorithm>

namespace {

constexpr int kSaveDelayMs = 1200;
constexpr int kSaveMaxWaitMs = 2000;
constexpr qint64 kPauseMs = 3600 * 1000;

} // namespace

WeixinAccounts::WeixinAccounts(ConfigStore *config, QObject *parent)
    : QObject(parent), m_config(config),
      m_persist(new Debouncer(
          kSaveDelayMs, kSaveMaxWaitMs, [this] { save(); }, this))
{
    // The keychain answering (or not, or without an entry) changes what an account awaiting
    // its token says.
    connect(config, &ConfigStore::keychainStatusChanged, this, [this] {
        if (!hasUnsavedChanges())
            reload();
    });
    reload();
}

WeixinAccounts::~WeixinAccounts() = default;

void WeixinAccounts::setPersistDelays(int delayMs, int maxWaitMs)
{
    m_persist->setDelays(delayMs, maxWaitMs);
}

bool WeixinAccounts::enabled() const
{
    return ConfigKeys::flag(m_config->effective(), QStringLiteral("channels.weixin.enabled"));
}

bool WeixinAccounts::hasUnsavedChanges() const
{
    return m_persist->isPending() || m_savesInFlight > 0;
}

void WeixinAccounts::setBaseUrl(const QString &baseUrl)
{
    const QString normalized = ILinkClient::normalizeBaseUrl(baseUrl);
    if (normalized == m_baseUrl)
        return;
    m_baseUrl = normalized;
    saveSoon();
    Q_EMIT changed();
}

WeixinAccount *WeixinAccounts::find(const QString &botId)
{
    for (WeixinAccount &account : m_accounts)
        if (account.botId == botId)
            return &account;
    return nullptr;
}

const WeixinAccount *WeixinAccounts::find(const QString &botId) const
{
    return const_cast<WeixinAccounts *>(this)->find(botId);
}

QString WeixinAccounts::defaultBotId() const
{
    if (!m_defaultBotId.isEmpty())
        return m_defaultBotId;
    return m_accounts.size() == 1 ? m_accounts.first().botId : QString();
}

bool WeixinAccounts::isPaused() const
{
    return Clock::nowMs() < m_pausedUntilMs;
}

void WeixinAccounts::pauseForAnHour()
{
    m_pausedUntilMs = qMax(m_pausedUntilMs, Clock::nowMs() + kPauseMs);
    Q_EMIT changed();
}

QString WeixinAccounts::pauseError() const
{
    const qint64 remaining = m_pausedUntilMs - Clock::nowMs();
    return QStringLiteral("weixin session paused (%1 min remaining)")
        .arg((remaining + 59999) / 60000);
}

QString WeixinAccounts::tokenAddress(const QString &botId)
{
    return QStringLiteral("channels.weixin.accounts[%1].bot_token").arg(botId);
}

bool WeixinAccounts::tokenKeptInKeychain(const WeixinAccount &account) const
{
    return m_config->secretStorage(tokenAddress(account.botId)) != ConfigVault::Storage::File;
}

void WeixinAccounts::reload()
{
    const QJsonObject weixin =
        ConfigKeys::value(m_config->effective(), QStringLiteral("channels.weixin")).toObject();
    if (hasUnsavedChanges()) {
        // Unsaved changes (a fresh login, a cursor) win over the file: the pending save writes
        // them back, as the reference's persist does. Rebuilding from the file now would drop
        // them. An edit of base_url is still taken, and so are tokens the keychain gave since.
        const QString fileBase = ILinkClient::normalizeBaseUrl(
            ConfigKeys::string(m_config->effective(), QStringLiteral("channels.weixin.base_url")));
        if (fileBase != m_fileBaseUrl)
            m_baseUrl = m_fileBaseUrl = fileBase;
        bool tokensArrived = false;
        for (const QJsonValue &value : weixin.value("accounts").toArray()) {
            const QJsonObject entry = value.toObject();
            WeixinAccount *account = find(entry.value("bot_id").toString().trimmed());
            const QString token = entry.value("bot_token").toString().trimmed();
            if (account && account->botToken.isEmpty() && !token.isEmpty()) {
                account->botToken = token;
                account->state.lastError.clear();
                tokensArrived = true;
            }
        }
        if (tokensArrived)
            Q_EMIT accountsChanged();
        Q_EMIT changed();
        return;
    }
    m_baseUrl = m_fileBaseUrl = ILinkClient::normalizeBaseUrl(weixin.value("base_url").toString());
    m_defaultBotId = weixin.value("default_bot_id").toString().trimmed();
    QList<WeixinAccount> accounts;
    QJsonArray entries = weixin.value("accounts").toArray();
    // The legacy single account joins the list (spec/channels.md §2.2).
    entries.append(QJsonObject{{"bot_id", weixin.value("bot_id")},
                               {"bot_token", weixin.value("bot_token")},
                               {"ilink_user_id", weixin.value("ilink_user_id")},
                               {"context_token", weixin.value("context_token")},
                               {"get_updates_buf", weixin.value("get_updates_buf")}});
    for (const QJsonValue &value : std::as_const(entries)) {
        const QJsonObject entry = value.toObject();
        WeixinAccount account;
        account.botId = entry.value("bot_id").toString().trimmed();
        account.botToken = entry.value("bot_token").toString().trimmed();
        // A token the keychain has not given (yet, or at all) keeps its account, with the
        // reason in its status: polling waits for a token.
        const ConfigVault::Storage storage = m_config->secretStorage(tokenAddress(account.botId));
        const bool tokenAwaited = account.botToken.isEmpty() && !account.botId.isEmpty() &&
                                  storage != ConfigVault::Storage::File &&
                                  storage != ConfigVault::Storage::Keychain;
        if (account.botId.isEmpty() || (account.botToken.isEmpty() && !tokenAwaited))
            continue;
        if (std::any_of(accounts.begin(), accounts.end(),
                        [&](const WeixinAccount &a) { return a.botId == account.botId; }))
            continue;
        account.ilinkUserId = entry.value("ilink_user_id").toString().trimmed();
        account.contextToken = entry.value("context_token").toString().trimmed();
        account.getUpdatesBuf = entry.value("get_updates_buf").toString().trimmed();
        if (const WeixinAccount *known = find(account.botId)) { // what the runtime knows stays
            account.state = known->state;
            if (known->botToken.isEmpty() && !account.botToken.isEmpty())
                account.state.lastError.clear(); // the keychain gave the token
        }
        if (tokenAwaited) {
            const ConfigVault::Status keychain = m_config->keychainStatus();
            if (storage == ConfigVault::Storage::Missing)
                account.state.lastError = QStringLiteral(
                    "the bot token is missing from the system keychain; log in again");
            else if (keychain.probing || keychain.available)
                account.state.lastError = QStringLiteral(
                    "the bot token is in the system keychain, which has not given it yet");
            else
                account.state.lastError = QStringLiteral("the bot token is in the system "
                                                         "keychain, which is not available "
                                                         "here (%1)")
                                              .arg(keychain.reason);
        }
        accounts << account;
    }
    std::sort(accounts.begin(), accounts.end(),
              [](const WeixinAccount &a, const WeixinAccount &b) { return a.botId < b.botId; });
    m_accounts = accounts;
    Q_EMIT accountsChanged();
    Q_EMIT changed();
}

void WeixinAccounts::add(const WeixinAccount &incoming)
{
    WeixinAccount *existing = find(incoming.botId);
    if (existing) {
        if (!incoming.botToken.isEmpty())
            existing->botToken = incoming.botToken;
        if (!incoming.ilinkUserId.isEmpty())
            existing->ilinkUserId = incoming.ilinkUserId;
    } else {
        m_accounts << incoming;
        std::sort(m_accounts.begin(), m_accounts.end(),
                  [](const WeixinAccount &a, const WeixinAccount &b) { return a.botId < b.botId; });
    }
    if (m_defaultBotId.isEmpty())
        m_defaultBotId = incoming.botId;
    m_enableOnPersist = true; // a login means the user wants the channel
    saveSoon();
    Q_EMIT accountsChanged();
    Q_EMIT changed();
}

QString WeixinAccounts::checkBotId(const QString &botIdIn, QString *botId) const
{
    *botId = botIdIn.trimmed();
    if (botId->isEmpty())
        return QStringLiteral("bot_id is required");
    if (!find(*botId))
        return QStringLiteral("bot_id not found: %1").arg(*botId);
    return QString();
}

QString WeixinAccounts::remove(const QString &botIdIn)
{
    QString botId;
    if (const QString error = checkBotId(botIdIn, &botId); !error.isEmpty())
        return error;
    const auto it = std::find_if(m_accounts.begin(), m_accounts.end(),
                                 [&](const WeixinAccount &a) { return a.botId == botId; });
    // Its keychain entry goes once the saved config no longer has the account.
    m_accounts.erase(it);
    if (m_defaultBotId == botId)
        m_defaultBotId = m_accounts.isEmpty() ? QString() : m_accounts.first().botId;
    saveSoon();
    Q_EMIT accountsChanged();
    Q_EMIT changed();
    return QString();
}

QString WeixinAccounts::setDefault(const QString &botIdIn)
{
    QString botId;
    if (const QString error = checkBotId(botIdIn, &botId); !error.isEmpty())
        return error;
    m_defaultBotId = botId;
    saveSoon();
    Q_EMIT changed();
    return QString();
}

void WeixinAccounts::setCursor(const QString &botId, const QString &cursor)
{
    WeixinAccount *account = find(botId);
    if (!account || cursor.isEmpty() || cursor == account->getUpdatesBuf)
        return;
    account->getUpdatesBuf = cursor;
    saveSoon(); // a restart resumes from here
}

void WeixinAccounts::setContextToken(const QString &botId, const QString &token)
{
    WeixinAccount *account = find(botId);
    if (!account || token.isEmpty() || token == account->contextToken)
        return;
    account->contextToken = token;
    saveSoon();
}

void WeixinAccounts::flushPendingSave()
{
    if (!hasUnsavedChanges())
        return;
    m_persist->cancel();
    save();
}

void WeixinAccounts::saveSoon()
{
    m_persist->request();
}

void WeixinAccounts::save()
{
    QJsonArray accounts;
    for (const WeixinAccount &account : std::as_const(m_accounts)) {
        // The token in clear: the config store decides whether the file or the keychain
        // keeps it (an empty one still awaited from the keychain keeps its place there).
        QJsonObject entry{{"bot_id", account.botId}, {"bot_token", account.botToken}};
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
    ++m_savesInFlight; // until the disk has it, memory is ahead of the config
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
            --m_savesInFlight;
            if (result.status != ConfigStore::SaveResult::Ok)
                qCWarning(lcChannels).noquote()
                    << "could not save the weixin accounts:" << result.error
                    << result.errors.join(QStringLiteral("; "));
            else if (enable)
                m_enableOnPersist = false;
        });
}
