#include "weixinaccounts.h"

#include "core/clock.h"
#include "core/configstore.h"
#include "core/debouncer.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/secretstore.h"
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
          kSaveDelayMs, kSaveMaxWaitMs, [this] { persist(); }, this))
{
    reload();
}

WeixinAccounts::~WeixinAccounts() = default;

void WeixinAccounts::setPersistDelays(int delayMs, int maxWaitMs)
{
    m_persist->setDelays(delayMs, maxWaitMs);
}

bool WeixinAccounts::enabled() const
{
    return JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin.enabled"))
        .toBool();
}

bool WeixinAccounts::hasUnsavedChanges() const
{
    return m_persist->isPending() || m_persistDeferred || m_savesInFlight > 0;
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

void WeixinAccounts::reload()
{
    if (hasUnsavedChanges()) {
        // Unsaved changes (a fresh login, a cursor, a token on its way into the keychain) win
        // over the file: the pending save writes them back, as the reference's persist does.
        // Rebuilding from the file now would drop them. An edit of base_url is still taken.
        const QString fileBase = ILinkClient::normalizeBaseUrl(
            JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin.base_url"))
                .toString());
        if (fileBase != m_fileBaseUrl)
            m_baseUrl = m_fileBaseUrl = fileBase;
        Q_EMIT changed();
        return;
    }
    const QJsonObject weixin =
        JsonUtil::valueAt(m_config->effective(), QStringLiteral("channels.weixin")).toObject();
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
        account.tokenInKeychain =
            account.botToken.isEmpty() && entry.value("bot_token_in_keychain").toBool();
        const WeixinAccount *known = find(account.botId);
        if (account.tokenInKeychain) {
            // The token in memory (read before, or newer and on its way into the keychain).
            account.botToken = known && !known->botToken.isEmpty()
                                   ? known->botToken
                                   : m_keychainTokens.value(account.botId);
        }
        if (account.botId.isEmpty() || (account.botToken.isEmpty() && !account.tokenInKeychain))
            continue;
        if (std::any_of(accounts.begin(), accounts.end(),
                        [&](const WeixinAccount &a) { return a.botId == account.botId; }))
            continue;
        account.ilinkUserId = entry.value("ilink_user_id").toString().trimmed();
        account.contextToken = entry.value("context_token").toString().trimmed();
        account.getUpdatesBuf = entry.value("get_updates_buf").toString().trimmed();
        if (known) // keep what the runtime knows about an account it already had
            account.state = known->state;
        accounts << account;
    }
    std::sort(accounts.begin(), accounts.end(),
              [](const WeixinAccount &a, const WeixinAccount &b) { return a.botId < b.botId; });
    m_accounts = accounts;
    syncTokens();
    Q_EMIT accountsChanged();
    Q_EMIT changed();
}

void WeixinAccounts::setSecretStore(SecretStore *secrets)
{
    m_secrets = secrets;
    connect(secrets, &SecretStore::stateChanged, this, [this] {
        syncTokens();
        if (m_persistDeferred)
            saveSoon();
        Q_EMIT changed();
    });
    syncTokens();
}

void WeixinAccounts::syncTokens()
{
    if (!m_secrets || !m_secrets->settled())
        return; // again when the probe has answered
    for (WeixinAccount &acc : m_accounts) {
        const QString botId = acc.botId;
        if (acc.botToken.isEmpty() && acc.tokenInKeychain) {
            if (!m_secrets->available()) {
                acc.state.lastError =
                    QStringLiteral("the bot token is in the system keychain, which is "
                                   "not available here (%1)")
                        .arg(m_secrets->unavailableReason());
                continue;
            }
            if (m_tokenReads.contains(botId))
                continue;
            m_tokenReads.insert(botId);
            m_secrets->read(
                keychainKey(botId), this,
                [this, botId](const QString &token, const QString &error) {
                    m_tokenReads.remove(botId);
                    WeixinAccount *acc = find(botId);
                    // Gone, or a newer token arrived meanwhile (a login).
                    if (!acc || !acc->tokenInKeychain || !acc->botToken.isEmpty())
                        return;
                    if (!error.isEmpty()) {
                        acc->state.lastError =
                            QStringLiteral("could not read the bot token from the system "
                                           "keychain: ") +
                            error;
                    } else if (token.isEmpty()) {
                        acc->state.lastError = QStringLiteral(
                            "the bot token is missing from the system keychain; log in again");
                    } else {
                        m_keychainTokens.insert(botId, token);
                        publishKeychainTokens();
                        acc->botToken = token;
                        acc->state.lastError.clear();
                        Q_EMIT accountsChanged();
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
                if (!find(botId)) { // removed while the write ran: take the entry back out
                    if (error.isEmpty())
                        m_secrets->remove(keychainKey(botId), this, [](const QString &) {});
                    return saveSoon();
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
                saveSoon();
            });
    }
}

bool WeixinAccounts::tokenKeptInKeychain(const WeixinAccount &account) const
{
    return account.botToken.isEmpty() ? account.tokenInKeychain
                                      : m_keychainTokens.value(account.botId) == account.botToken;
}

// Tokens that live only in the keychain never show up in the config, so the log redactor
// learns them here.
void WeixinAccounts::publishKeychainTokens()
{
    QStringList tokens;
    for (const QString &token : std::as_const(m_keychainTokens))
        if (token.size() >= 6) // as for config secrets: shorter values would mangle every line
            tokens << token;
    LogHub::instance()->redactor().setKnownSecrets(tokens, QStringLiteral("keychain"));
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
    syncTokens();
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
    if (!m_tokenWrites.isEmpty())
        qCWarning(lcChannels) << "shutting down before the keychain stored a bot token; it is "
                                 "saved in the config file and moves to the keychain next time";
    save();
}

void WeixinAccounts::saveSoon()
{
    m_persist->request();
}

void WeixinAccounts::persist()
{
    // A token on its way into the keychain must not be written to the file meanwhile.
    if (!m_tokenWrites.isEmpty() || (m_secrets && !m_secrets->settled())) {
        m_persistDeferred = true;
        return;
    }
    save();
}

void WeixinAccounts::save()
{
    m_persistDeferred = false;
    QJsonArray accounts;
    for (const WeixinAccount &account : std::as_const(m_accounts)) {
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
