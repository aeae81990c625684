#include "providerruntime.h"

#include "aistudiorelay.h"
#include "core/atomicfile.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/configstore.h"
#include "core/debouncer.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/paths.h"
#include "core/safefile.h"
#include "credentialvault.h"
#include "oauthrefresh.h"
#include "providerconfig.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>
#include <QTimer>
#include <QUrl>
#include <algorithm>

namespace {

constexpr int kDefaultHistoryMax = 24;
constexpr qint64 kMaxHistoryFileBytes = 64 * 1024 * 1024;

// A URL for an answer: a user name or password in it stays out.
QString withoutUserInfo(const QString &url)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.userInfo().isEmpty())
        return url;
    return parsed.adjusted(QUrl::RemoveUserInfo).toString();
}

QDateTime parseTime(const QString &text)
{
    QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::ISODate);
    return when;
}

bool containsInsensitive(const QString &haystack, const QString &needle)
{
    return needle.isEmpty() || haystack.contains(needle, Qt::CaseInsensitive);
}

} // namespace

QJsonObject ProviderRuntime::Event::toJson() const
{
    QJsonObject object;
    if (!whenText.isEmpty())
        object.insert("when", whenText);
    if (!kind.isEmpty())
        object.insert("kind", kind);
    if (!target.isEmpty())
        object.insert("target", target);
    if (!reason.isEmpty())
        object.insert("reason", reason);
    if (!detail.isEmpty())
        object.insert("detail", detail);
    return object;
}

ProviderRuntime::Event ProviderRuntime::Event::fromJson(const QJsonObject &object)
{
    const QString text = object.value("when").toString();
    const QDateTime when = parseTime(text);
    return Event{when.isValid() ? when.toMSecsSinceEpoch() : 0,
                 when.isValid() ? text : QString(),
                 object.value("kind").toString(),
                 object.value("target").toString(),
                 object.value("reason").toString(),
                 object.value("detail").toString()};
}

QString ProviderRuntime::Candidate::label() const
{
    if (kind == QLatin1String("api_key"))
        return target.isEmpty() ? QStringLiteral("no key")
                                : QStringLiteral("api key %1").arg(target);
    return QStringLiteral("%1 %2").arg(kind, target);
}

ProviderRuntime::ProviderRuntime(ConfigStore *config, AiStudioRelay *relay, QObject *parent)
    : QObject(parent), m_config(config), m_relay(relay),
      m_persist(new Debouncer(
          1000, 5000, [this] { persistNow(); }, this)),
      m_writes(std::make_unique<Background::SerialQueue>()), m_refreshScan(new QTimer(this))
{
    connect(m_refreshScan, &QTimer::timeout, this, &ProviderRuntime::scanRefresh);
    m_vault = new CredentialVault(m_config, this);
    connect(m_vault, &CredentialVault::keychainSettled, this, [this] {
        for (auto it = m_states.begin(); it != m_states.end(); ++it)
            if (!it->credentialFiles.isEmpty())
                loadAccounts(it.key());
    });
    configure(); // again by the agent runtime whenever the config is (re)loaded
    if (m_relay) {
        connect(m_relay, &AiStudioRelay::connected, this,
                [this](const QString &provider) { relayChanged(provider, true); });
        connect(m_relay, &AiStudioRelay::disconnected, this,
                [this](const QString &provider) { relayChanged(provider, false); });
    }
}

void ProviderRuntime::relayChanged(const QString &relayName, bool connected)
{
    // The relay spells names in lower case; the state lives under the config's key.
    const QString key =
        ProviderRoute::findKey(ProviderConfig::providers(m_config->effective()), relayName);
    const QString provider = key.isEmpty() ? relayName : key;
    ProviderState &s = state(provider);
    if (connected) // a helper that comes back is tried at once
        s.api.cooldownUntil = QDateTime();
    addEvent(
        s, s.changes,
        event(QStringLiteral("relay"), provider,
              connected ? QStringLiteral("relay_connected") : QStringLiteral("relay_disconnected"),
              connected ? QStringLiteral("a browser helper connected to GET /v1/ws")
                        : QStringLiteral("the browser helper's connection closed")));
    touched(provider);
}

ProviderRuntime::~ProviderRuntime()
{
    flush();
}

QString ProviderRuntime::maskToken(const QString &tokenIn)
{
    const QString token = tokenIn.trimmed();
    if (token.isEmpty())
        return QString();
    if (token.size() <= 8)
        return token.left(2) + QStringLiteral("***");
    return token.left(4) + QStringLiteral("***") + token.right(4);
}

qint64 ProviderRuntime::cooldownSeconds(const LlmFailure &failure)
{
    using Reason = LlmFailure::Reason;
    const auto asked = [&failure](qint64 fallback) {
        return failure.retryAfterSec >= 0 ? qBound(qint64(1), failure.retryAfterSec, qint64(86400))
                                          : fallback;
    };
    switch (failure.reason) {
    case Reason::RateLimit:
        return asked(15 * 60);
    case Reason::Quota:
        return asked(60 * 60);
    case Reason::Forbidden:
    case Reason::Unauthorized:
        return 30 * 60;
    case Reason::ServerError:
    case Reason::Network:
    case Reason::Timeout:
        // Ours: a dead or overloaded endpoint gets a short pause, not the quota's hour.
        return asked(60);
    case Reason::None:
    case Reason::BadRequest:
    case Reason::BadAnswer:
    case Reason::Unsupported:
        break;
    }
    return 0;
}

ProviderSettings ProviderRuntime::entrySettings(const QString &name, const QJsonObject &entry)
{
    ProviderSettings settings;
    settings.name = name;
    settings.wire = ProviderRoute::wireFor(ProviderRoute::kindOf(name, entry), entry);
    // As ProviderConfig::settingsFor: `auth: none` sends no key.
    if (entry.value("auth").toString() != QLatin1String("none"))
        settings.apiKey = entry.value("api_key").toString();
    return settings;
}

void ProviderRuntime::adoptIdentity(ProviderState &s, const ProviderSettings &settings)
{
    // The provider's own candidate: its key (masked), or the relay. Another key is another
    // candidate: the old one's cooldown and health do not carry over.
    const bool relay = settings.wire == WireKind::Relay;
    const QString kind = relay ? QStringLiteral("relay") : QStringLiteral("api_key");
    const QString target = relay ? settings.name : maskToken(settings.apiKey);
    if (s.api.kind != kind || s.api.target != target) {
        s.api = CandidateState{};
        s.api.kind = kind;
        s.api.target = target;
    }
}

ProviderRuntime::ProviderState &ProviderRuntime::state(const QString &provider)
{
    auto it = m_states.find(provider);
    if (it == m_states.end())
        it = m_states.insert(provider, ProviderState());
    return *it;
}

void ProviderRuntime::configure()
{
    const QJsonObject config = m_config->effective();
    const QJsonObject providers = ProviderConfig::providers(config);
    int scanSec = -1; // no OAuth provider: no refresh scan
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        ProviderState &s = state(it.key());
        const int max = entry.value("runtime_history_max").toInt();
        s.historyMax = max > 0 ? max : kDefaultHistoryMax;
        s.persist = entry.value("runtime_persist").toBool();
        QString file = Paths::expandHome(entry.value("runtime_history_file").toString().trimmed());
        if (file.isEmpty())
            file = m_config->configDir() + QStringLiteral("/runtime/providers/") + it.key() +
                   QStringLiteral(".json");
        else if (QFileInfo(file).isRelative())
            file = QDir(m_config->configDir()).filePath(file);
        s.historyFile = QDir::cleanPath(file);
        for (QList<Event> *list : {&s.hits, &s.errors, &s.changes})
            if (list->size() > s.historyMax)
                list->resize(s.historyMax);
        adoptIdentity(s, entrySettings(it.key(), entry));
        if (s.persist && !s.loadStarted)
            load(it.key());
        // OAuth accounts: their files, re-read when the list changes.
        s.auth = entry.value("auth").toString().trimmed().toLower();
        const QJsonObject oauth = entry.value("oauth").toObject();
        const int cooldown = oauth.value("cooldown_sec").toInt();
        s.cooldownSec = cooldown > 0 ? cooldown : 900;
        QStringList files;
        if (s.auth == QLatin1String("oauth") || s.auth == QLatin1String("hybrid")) {
            const auto add = [&](const QString &path) {
                const QString file = credentialPath(m_config->configDir(), path);
                if (!file.isEmpty() && !files.contains(file))
                    files << file;
            };
            add(oauth.value("credential_file").toString());
            for (const QJsonValue &path : oauth.value("credential_files").toArray())
                add(path.toString());
            if (files.isEmpty()) {
                QString flavour = ProviderRoute::normalizeName(oauth.value("provider").toString());
                if (flavour.isEmpty())
                    flavour = ProviderRoute::kindOf(it.key(), entry);
                if (!flavour.isEmpty())
                    add(m_config->configDir() + QStringLiteral("/auth/") + flavour +
                        QStringLiteral(".json"));
            }
        }
        if (files != s.credentialFiles) {
            s.credentialFiles = files;
            loadAccounts(it.key());
        }
        if (!files.isEmpty()) {
            const int scan = oauth.value("refresh_scan_sec").toInt();
            scanSec = qMin(scanSec < 0 ? INT_MAX : scanSec, scan > 0 ? scan : 600);
        }
    }
    if (scanSec < 0) {
        m_refreshScan->stop();
    } else if (!m_refreshScan->isActive() || m_refreshScan->interval() != scanSec * 1000) {
        m_refreshScan->start(int(qMin<qint64>(qint64(scanSec) * 1000, INT_MAX)));
    }
}

void ProviderRuntime::loadAccounts(const QString &provider)
{
    const QStringList files = state(provider).credentialFiles;
    Background::run(
        this,
        [files] {
            QList<AccountRead> reads;
            for (const QString &file : files) {
                AccountRead read;
                read.file = file;
                read.exists = QFileInfo::exists(file);
                if (!read.exists) {
                    reads << read;
                    continue;
                }
                const SafeFile::ReadResult bytes = SafeFile::read(file, 4 << 20);
                if (!bytes.ok()) {
                    read.error = QStringLiteral("credential_read_failed");
                } else {
                    QJsonParseError parseError;
                    const QJsonDocument doc = QJsonDocument::fromJson(bytes.data, &parseError);
                    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
                        read.error = QStringLiteral("credential_decode_failed");
                    else
                        read.credential = OAuthCredential::fromJson(doc.object());
                }
                reads << read;
            }
            return reads;
        },
        [this, provider, files](const QList<AccountRead> &reads) {
            ProviderState &s = state(provider);
            if (s.credentialFiles != files)
                return; // the list changed meanwhile; its own read follows
            // Tokens in the keychain are read once it has answered its probe (then every
            // provider's accounts are read again).
            for (const AccountRead &read : reads)
                if (read.exists && m_vault->marked(read.file) && !m_vault->settled())
                    return;
            auto usable = std::make_shared<QList<AccountRead>>();
            for (const AccountRead &read : reads) {
                if (!read.error.isEmpty()) {
                    addEvent(s, s.changes,
                             event(QStringLiteral("oauth"), read.file, read.error,
                                   read.error == QLatin1String("credential_read_failed")
                                       ? QStringLiteral("the credential file cannot be read")
                                       : QStringLiteral("the credential file is not JSON")));
                    continue;
                }
                if (read.exists) // else: not signed in yet
                    usable->append(read);
            }
            if (usable->isEmpty())
                return adoptAccounts(provider, files, {});
            auto remaining = std::make_shared<qsizetype>(usable->size());
            for (qsizetype i = 0; i < usable->size(); ++i)
                m_vault->resolve(usable->at(i).file, usable->at(i).credential,
                                 [this, provider, files, usable, remaining,
                                  i](const OAuthCredential &resolved, const QString &error) {
                                     (*usable)[i].credential = resolved;
                                     (*usable)[i].error = error;
                                     if (--*remaining == 0)
                                         adoptAccounts(provider, files, *usable);
                                 });
        });
}

void ProviderRuntime::adoptAccounts(const QString &provider, const QStringList &files,
                                    const QList<AccountRead> &reads)
{
    ProviderState &s = state(provider);
    if (s.credentialFiles != files)
        return;
    QList<ProviderState::Account> accounts;
    for (const AccountRead &read : reads) {
        if (!read.error.isEmpty()) // listed, but without its tokens it is no candidate
            addEvent(s, s.changes,
                     event(QStringLiteral("oauth"), read.file,
                           QStringLiteral("credential_keychain_failed"), read.error));
        ProviderState::Account account;
        account.file = read.file;
        account.credential = read.credential;
        // What this run learnt about the account stays; so do tokens newer than this read (a
        // refresh that finished, or is under way, while the file was being read).
        if (ProviderState::Account *known = this->account(s, read.file)) {
            account.state = known->state;
            const QDateTime mine =
                QDateTime::fromString(known->credential.lastRefresh, Qt::ISODate);
            const QDateTime read_ = QDateTime::fromString(read.credential.lastRefresh, Qt::ISODate);
            if (m_refreshing.contains(read.file) ||
                (mine.isValid() && (!read_.isValid() || mine > read_)))
                account.credential = known->credential;
        }
        account.state.kind = QStringLiteral("oauth");
        account.state.target =
            read.credential.label().isEmpty() ? read.file : read.credential.label();
        accounts << account;
        // Tokens go where the keychain setting says (a switch moves them on the next load).
        const bool hasTokens =
            !account.credential.accessToken.isEmpty() || !account.credential.refreshToken.isEmpty();
        const bool inKeychain = m_vault->marked(read.file) && read.error.isEmpty();
        const bool inFile = !m_vault->marked(read.file);
        if (hasTokens && ((m_vault->usable() && inFile) ||
                          (!m_vault->usable() && inKeychain && !m_vault->wanted())))
            m_vault->write(read.file, account.credential, [](const QString &error) {
                if (!error.isEmpty())
                    qCWarning(lcProviders).noquote()
                        << "an account's tokens could not be moved:" << error;
            });
    }
    s.accounts = accounts;
    registerSecrets(provider);
    touched(provider);
}

ProviderRuntime::ProviderState::Account *ProviderRuntime::account(ProviderState &s,
                                                                  const QString &file)
{
    for (ProviderState::Account &account : s.accounts)
        if (account.file == file)
            return &account;
    return nullptr;
}

bool ProviderRuntime::usesOAuth(const QString &provider) const
{
    const QString auth = m_states.value(provider).auth;
    return auth == QLatin1String("oauth") || auth == QLatin1String("hybrid");
}

QJsonArray ProviderRuntime::accounts(const QString &provider)
{
    ProviderState &s = state(provider);
    const QDateTime now = Clock::nowUtc();
    QJsonArray list;
    for (ProviderState::Account &account : s.accounts) {
        if (account.state.cooldownUntil.isValid() && account.state.cooldownUntil <= now)
            account.state.cooldownUntil = QDateTime();
        const OAuthCredential &c = account.credential;
        // Never a token: what the account is, and how it is doing.
        QJsonObject info{{"email", c.email},
                         {"account_id", c.accountId},
                         {"credential_file", account.file},
                         {"health_score", c.disabled ? 0 : healthShown(account.state.health)}};
        const auto insert = [&info](const char *key, const QString &value) {
            if (!value.isEmpty())
                info.insert(QLatin1String(key), value);
        };
        insert("expire", c.expire);
        insert("last_refresh", c.lastRefresh);
        insert("project_id", c.projectId);
        insert("account_label", c.label());
        insert("device_id", c.deviceId);
        insert("resource_url", c.resourceUrl);
        if (c.disabled)
            info.insert("disabled", true);
        insert("disable_reason", c.disableReason);
        if (account.state.cooldownUntil.isValid())
            info.insert("cooldown_until", Clock::rfc3339(account.state.cooldownUntil));
        if (account.state.failureCount > 0)
            info.insert("failure_count", account.state.failureCount);
        insert("last_failure", account.state.lastFailure);
        list.append(info);
    }
    return list;
}

void ProviderRuntime::refreshAccount(const QString &provider, const QString &fileIn,
                                     RefreshDone done)
{
    const QString file = QDir::cleanPath(fileIn.trimmed());
    ProviderState &s = state(provider);
    ProviderState::Account *found = account(s, file);
    if (!found)
        return done(false, QJsonObject(), QStringLiteral("oauth credential not found"));
    auto running = m_refreshing.find(file);
    if (running != m_refreshing.end()) {
        running->append(done);
        return;
    }
    m_refreshing.insert(file, {done});
    const QJsonObject entry =
        ProviderConfig::providers(m_config->effective()).value(provider).toObject();
    const QJsonObject oauth = entry.value("oauth").toObject();
    const OAuthRefresh::Endpoint endpoint = refreshEndpoint(provider);
    QString proxy = found->credential.networkProxy;
    if (proxy.isEmpty())
        proxy = oauth.value("network_proxy").toString();
    const auto finish = [this, file](bool ok, const QJsonObject &info, const QString &error) {
        const QList<RefreshDone> waiting = m_refreshing.take(file);
        for (const RefreshDone &callback : waiting)
            callback(ok, info, error);
    };
    OAuthRefresh::start(
        endpoint, found->credential, proxy, this,
        [this, provider, file, finish](bool ok, const OAuthCredential &updated,
                                       const QString &error) {
            ProviderState &s = state(provider);
            ProviderState::Account *current = account(s, file);
            if (!ok || !current) {
                addEvent(s, s.changes,
                         event(QStringLiteral("oauth"), current ? current->state.target : file,
                               QStringLiteral("oauth_refresh_failed"), error));
                touched(provider);
                return finish(false, QJsonObject(),
                              ok ? QStringLiteral("oauth credential not found") : error);
            }
            // What changed meanwhile (disabled by a revoked token) stays.
            OAuthCredential merged = updated;
            merged.disabled = current->credential.disabled;
            merged.disableReason = current->credential.disableReason;
            // On disk (or in the keychain) first, then in use.
            m_vault->write(
                file, merged,
                [this, provider, file, updated = merged, finish](const QString &writeError) {
                    ProviderState &s = state(provider);
                    ProviderState::Account *current = account(s, file);
                    if (!writeError.isEmpty() || !current) {
                        qCWarning(lcProviders).noquote()
                            << "cannot save a refreshed account:" << writeError;
                        return finish(false, QJsonObject(),
                                      QStringLiteral("the refreshed account could not be saved"));
                    }
                    current->credential = updated;
                    registerSecrets(provider);
                    current->state.health = qMin(100, healthShown(current->state.health) + 5);
                    addEvent(s, s.changes,
                             event(QStringLiteral("oauth"), current->state.target,
                                   QStringLiteral("oauth_refresh_success"),
                                   QStringLiteral("refresh token exchanged for new access token")));
                    touched(provider);
                    QJsonObject info;
                    for (const QJsonValue &listed : accounts(provider))
                        if (listed["credential_file"].toString() == file)
                            info = listed.toObject();
                    finish(true, info, QString());
                });
        });
}

QString ProviderRuntime::credentialPath(const QString &configDir, const QString &listed)
{
    QString file = Paths::expandHome(listed.trimmed());
    if (file.isEmpty())
        return QString();
    if (QFileInfo(file).isRelative())
        file = QDir(configDir).filePath(file);
    return QDir::cleanPath(file);
}

void ProviderRuntime::dropAccount(const QString &provider, const QString &file)
{
    ProviderState &s = state(provider);
    s.accounts.removeIf(
        [&file](const ProviderState::Account &account) { return account.file == file; });
    touched(provider);
}

void ProviderRuntime::registerSecrets(const QString &provider)
{
    // The accounts' tokens join the log redactor's list: a provider's error text or a debug
    // line that echoes one never reaches a log sink.
    QStringList tokens;
    for (const ProviderState::Account &account : state(provider).accounts)
        for (const QString &token : {account.credential.accessToken,
                                     account.credential.refreshToken, account.credential.idToken})
            if (token.size() >= 8)
                tokens << token;
    LogHub::instance()->redactor().setKnownSecrets(tokens, QStringLiteral("oauth:") + provider);
}

OAuthRefresh::Endpoint ProviderRuntime::refreshEndpoint(const QString &provider) const
{
    const QJsonObject entry =
        ProviderConfig::providers(m_config->effective()).value(provider).toObject();
    const QJsonObject oauth = entry.value("oauth").toObject();
    QString flavour = ProviderRoute::normalizeName(oauth.value("provider").toString());
    if (flavour.isEmpty())
        flavour = ProviderRoute::kindOf(provider, entry);
    return OAuthRefresh::endpointFor(flavour, oauth);
}

const ProviderRuntime::ProviderState::Account *ProviderRuntime::account(const QString &provider,
                                                                        const QString &file) const
{
    const auto it = m_states.constFind(provider);
    if (it == m_states.constEnd())
        return nullptr;
    for (const ProviderState::Account &account : it->accounts)
        if (account.file == file)
            return &account;
    return nullptr;
}

QString ProviderRuntime::accountAccessToken(const QString &provider, const QString &file) const
{
    const ProviderState::Account *found = account(provider, file);
    return found ? found->credential.accessToken : QString();
}

bool ProviderRuntime::accountCanRefresh(const QString &provider, const QString &file) const
{
    const ProviderState::Account *found = account(provider, file);
    return found && !found->credential.disabled && !found->credential.refreshToken.isEmpty();
}

int ProviderRuntime::refreshScanIntervalMs() const
{
    return m_refreshScan->isActive() ? m_refreshScan->interval() : 0;
}

void ProviderRuntime::refreshAccounts(const QString &provider, qint64 windowSec,
                                      std::function<void(const QJsonObject &result)> done)
{
    ProviderState &s = state(provider);
    const qint64 lead = windowSec < 0 ? refreshEndpoint(provider).leadSec : windowSec;
    const QDateTime now = Clock::nowUtc();
    struct Tally
    {
        int checked = 0, refreshed = 0, skipped = 0, failed = 0, waiting = 0;
        QJsonArray accounts;
        bool started = false;
    };
    auto tally = std::make_shared<Tally>();
    const auto answer = [provider, tally, done] {
        QJsonObject result{{"provider", provider}};
        const auto insert = [&result](const char *key, int value) {
            if (value > 0)
                result.insert(QLatin1String(key), value);
        };
        insert("checked", tally->checked);
        insert("refreshed", tally->refreshed);
        insert("skipped", tally->skipped);
        insert("failed", tally->failed);
        if (!tally->accounts.isEmpty())
            result.insert("accounts", tally->accounts);
        done(result);
    };
    QList<ProviderState::Account> accounts = s.accounts;
    for (const ProviderState::Account &account : accounts) {
        ++tally->checked;
        const OAuthCredential &c = account.credential;
        const QString target = c.label().isEmpty() ? account.file : c.label();
        const auto skip = [&](const QString &detail) {
            ++tally->skipped;
            QJsonObject line{{"target", target}, {"status", "skipped"}, {"detail", detail}};
            if (!c.expire.isEmpty())
                line.insert("expire", c.expire);
            tally->accounts.append(line);
        };
        if (c.refreshToken.isEmpty()) {
            skip(QStringLiteral("missing refresh_token"));
            continue;
        }
        if (c.disabled) {
            skip(QStringLiteral("disabled: %1").arg(c.disableReason));
            continue;
        }
        const QDateTime expiry = c.expiry();
        if (!expiry.isValid() || now.secsTo(expiry) > lead) {
            skip(QStringLiteral("not expiring within lead window"));
            continue;
        }
        ++tally->waiting;
        refreshAccount(
            provider, account.file,
            [tally, target, answer](bool ok, const QJsonObject &info, const QString &error) {
                QJsonObject line{{"target", target}};
                if (ok) {
                    ++tally->refreshed;
                    line.insert("status", "refreshed");
                    line.insert("detail", "token refreshed");
                    if (!info.value("expire").toString().isEmpty())
                        line.insert("expire", info.value("expire"));
                } else {
                    ++tally->failed;
                    line.insert("status", "failed");
                    line.insert("detail", error);
                }
                tally->accounts.append(line);
                if (--tally->waiting == 0 && tally->started)
                    answer();
            });
    }
    tally->started = true;
    if (tally->waiting == 0)
        answer();
}

void ProviderRuntime::scanRefresh()
{
    for (auto it = m_states.begin(); it != m_states.end(); ++it)
        if (usesOAuth(it.key()) && !it->accounts.isEmpty())
            refreshAccounts(it.key(), -1, [](const QJsonObject &) {});
}

QString ProviderRuntime::revocationReason(const LlmFailure &failure)
{
    if (failure.httpStatus != 401 && failure.httpStatus != 402)
        return QString();
    const QString text = failure.message.toLower();
    if (text.contains(QLatin1String("token_revoked")) ||
        text.contains(QLatin1String("invalidated oauth token")))
        return QStringLiteral("token_revoked");
    if (text.contains(QLatin1String("deactivated_workspace")))
        return QStringLiteral("deactivated_workspace");
    return QString();
}

void ProviderRuntime::disableAccount(const QString &provider, const QString &file,
                                     const QString &reason)
{
    ProviderState &s = state(provider);
    ProviderState::Account *found = account(s, file);
    if (!found || found->credential.disabled)
        return;
    found->credential.disabled = true;
    found->credential.disableReason = reason;
    addEvent(s, s.changes,
             event(QStringLiteral("oauth"), found->state.target,
                   QStringLiteral("oauth_disabled_") + reason,
                   QStringLiteral("the provider revoked this account's token; sign in again")));
    touched(provider);
    // On disk too, so clawgo and the next start leave it alone.
    m_vault->write(file, found->credential, [](const QString &error) {
        if (!error.isEmpty())
            qCWarning(lcProviders).noquote() << "cannot mark an account disabled:" << error;
    });
}

QJsonObject ProviderRuntime::summary(const QString &provider, int healthBelow)
{
    const QJsonObject entry =
        ProviderConfig::providers(m_config->effective()).value(provider).toObject();
    const QJsonObject item = itemFor(provider, entry, Query());
    const int threshold = qMax(healthBelow, 1);
    bool cooling = false;
    bool low = false;
    QString top;
    const QJsonArray order = item.value("candidate_order").toArray();
    for (const QJsonValue &candidate : order) {
        const QJsonObject c = candidate.toObject();
        if (!c.value("cooldown_until").toString().isEmpty())
            cooling = true;
        if (healthShown(c.value("health_score").toInt()) < threshold)
            low = true;
    }
    if (!order.isEmpty())
        top = order.first().toObject().value("target").toString();
    const QJsonArray errors = item.value("recent_errors").toArray();
    const QString status = cooling || low      ? QStringLiteral("critical")
                           : !errors.isEmpty() ? QStringLiteral("degraded")
                                               : QStringLiteral("healthy");
    QJsonObject line{{"name", provider},         {"auth", item.value("auth")},
                     {"status", status},         {"api_state", item.value("api_state")},
                     {"candidate_order", order}, {"in_cooldown", cooling},
                     {"low_health", low},        {"has_recent_errors", !errors.isEmpty()},
                     {"top_candidate", top}};
    if (item.contains("oauth_accounts"))
        line.insert("oauth_accounts", item.value("oauth_accounts"));
    if (!errors.isEmpty()) {
        const QJsonObject last = errors.first().toObject();
        line.insert("last_error", last.value("detail"));
        line.insert("last_error_at", last.value("when"));
        line.insert("last_error_reason", last.value("reason"));
    }
    return QJsonObject{{"total_providers", 1},
                       {"healthy", status == QLatin1String("healthy") ? 1 : 0},
                       {"degraded", status == QLatin1String("degraded") ? 1 : 0},
                       {"critical", status == QLatin1String("critical") ? 1 : 0},
                       {"in_cooldown", cooling ? 1 : 0},
                       {"low_health", low ? 1 : 0},
                       {"recent_errors", int(errors.size())},
                       {"providers", QJsonArray{line}}};
}

bool ProviderRuntime::clearAccountCooldown(const QString &provider, const QString &file)
{
    ProviderState &s = state(provider);
    ProviderState::Account *found = account(s, QDir::cleanPath(file.trimmed()));
    if (!found)
        return false;
    found->state.cooldownUntil = QDateTime();
    addEvent(s, s.changes,
             event(QStringLiteral("oauth"), found->state.target,
                   QStringLiteral("manual_clear_oauth_cooldown"),
                   QStringLiteral("oauth cooldown cleared from runtime panel")));
    touched(provider);
    return true;
}

ProviderRuntime::Event ProviderRuntime::event(const QString &kind, const QString &target,
                                              const QString &reason, const QString &detail) const
{
    const QDateTime now = Clock::nowUtc();
    return Event{now.toMSecsSinceEpoch(), Clock::rfc3339(now), kind, target, reason,
                 detail.left(500)};
}

void ProviderRuntime::addEvent(ProviderState &s, QList<Event> &list, const Event &event)
{
    list.prepend(event);
    if (list.size() > s.historyMax)
        list.resize(s.historyMax);
}

void ProviderRuntime::touched(const QString &provider)
{
    if (state(provider).persist) {
        m_dirty.insert(provider);
        m_persist->request();
    }
    Q_EMIT changed(provider);
}

QJsonArray ProviderRuntime::orderFor(const QString &provider, const QList<Candidate> &available,
                                     const QList<Candidate> &cooling) const
{
    Q_UNUSED(provider);
    QJsonArray order;
    for (const QList<Candidate> *list : {&available, &cooling})
        for (const Candidate &c : *list) {
            QJsonObject item{
                {"kind", c.kind},           {"target", c.target},
                {"available", c.available}, {"status", c.available ? "ready" : "cooldown"},
                {"health_score", c.health}, {"failure_count", c.failureCount}};
            if (c.cooldownUntil.isValid())
                item.insert("cooldown_until", Clock::rfc3339(c.cooldownUntil));
            order.append(item);
        }
    return order;
}

void ProviderRuntime::storeOrder(const QString &provider, const QJsonArray &order,
                                 bool recordChange)
{
    ProviderState &s = state(provider);
    const auto names = [](const QJsonArray &list) {
        QStringList out;
        for (const QJsonValue &value : list)
            out << value["kind"].toString() + QLatin1Char(':') + value["target"].toString();
        return out;
    };
    const QStringList before = names(s.candidateOrder);
    const QStringList after = names(order);
    const bool moved = before != after;
    s.candidateOrder = order;
    if (!moved || !recordChange)
        return;
    const auto orNone = [](const QStringList &list) {
        return list.isEmpty() ? QStringLiteral("-") : list.first();
    };
    addEvent(s, s.changes,
             event(QStringLiteral("scheduler"), provider, QStringLiteral("candidate_order_changed"),
                   QStringLiteral("top %1 -> %2 | order [%3] -> [%4]")
                       .arg(orNone(before), orNone(after), before.join(QStringLiteral(" > ")),
                            after.join(QStringLiteral(" > ")))));
    touched(provider);
}

QList<ProviderRuntime::Candidate>
ProviderRuntime::candidatesPreview(const ProviderSettings &settings, QList<Candidate> *coolingOut)
{
    ProviderState &s = state(settings.name);
    const bool relay = settings.wire == WireKind::Relay;
    adoptIdentity(s, settings);
    Candidate api;
    api.provider = settings.name;
    api.kind = s.api.kind;
    api.target = s.api.target;
    api.credential = settings.apiKey;
    api.health = healthShown(s.api.health);
    api.failureCount = s.api.failureCount;
    api.lastFailure = s.api.lastFailure;
    const QDateTime now = Clock::nowUtc();
    if (s.api.cooldownUntil.isValid() && s.api.cooldownUntil <= now)
        s.api.cooldownUntil = QDateTime(); // expired: cleared when next considered
    api.cooldownUntil = s.api.cooldownUntil;
    api.available = !api.cooldownUntil.isValid() &&
                    (!relay || (m_relay && m_relay->isConnected(settings.name)));
    // OAuth accounts: usable ones by health, then those cooling down (spec/providers.md §4.2).
    QList<Candidate> accountsReady;
    QList<Candidate> accountsCooling;
    const bool oauth = s.auth == QLatin1String("oauth");
    const bool hybrid = s.auth == QLatin1String("hybrid");
    if (oauth || hybrid) {
        for (ProviderState::Account &account : s.accounts) {
            if (account.credential.accessToken.isEmpty() || account.credential.disabled)
                continue;
            if (account.state.cooldownUntil.isValid() && account.state.cooldownUntil <= now)
                account.state.cooldownUntil = QDateTime();
            Candidate candidate;
            candidate.provider = settings.name;
            candidate.kind = QStringLiteral("oauth");
            candidate.target = account.state.target;
            candidate.accountFile = account.file;
            candidate.accountId = account.credential.accountId;
            candidate.credential = account.credential.accessToken;
            candidate.health = healthShown(account.state.health);
            candidate.failureCount = account.state.failureCount;
            candidate.lastFailure = account.state.lastFailure;
            candidate.cooldownUntil = account.state.cooldownUntil;
            candidate.available = !candidate.cooldownUntil.isValid();
            (candidate.available ? accountsReady : accountsCooling) << candidate;
        }
        const auto byHealth = [](const Candidate &a, const Candidate &b) {
            return a.health != b.health ? a.health > b.health : a.target < b.target;
        };
        std::sort(accountsReady.begin(), accountsReady.end(), byHealth);
        std::sort(accountsCooling.begin(), accountsCooling.end(), byHealth);
    }
    QList<Candidate> available;
    QList<Candidate> cooling;
    if (oauth) {
        available = accountsReady;
        cooling = accountsCooling;
    } else if (hybrid) {
        if (!settings.apiKey.trimmed().isEmpty())
            (api.available ? available : cooling) << api;
        available << accountsReady;
        cooling << accountsCooling;
    } else {
        (api.available ? available : cooling) << api;
    }
    if (coolingOut)
        *coolingOut = cooling;
    return available;
}

QList<ProviderRuntime::Candidate> ProviderRuntime::candidates(const ProviderSettings &settings,
                                                              QList<Candidate> *coolingOut)
{
    QList<Candidate> cooling;
    const QList<Candidate> available = candidatesPreview(settings, &cooling);
    storeOrder(settings.name, orderFor(settings.name, available, cooling));
    if (coolingOut)
        *coolingOut = cooling;
    return available;
}

void ProviderRuntime::recordSuccess(const Candidate &candidate)
{
    ProviderState &s = state(candidate.provider);
    if (ProviderState::Account *found = candidate.kind == QLatin1String("oauth")
                                            ? account(s, candidate.accountFile)
                                            : nullptr) {
        found->state.health = qMin(100, healthShown(found->state.health) + 3);
        if (found->state.cooldownUntil.isValid()) {
            found->state.cooldownUntil = QDateTime();
            addEvent(s, s.changes,
                     event(candidate.kind, candidate.target, QStringLiteral("oauth_recovered"),
                           QStringLiteral("oauth cooldown cleared after successful request")));
        }
    } else if (candidate.kind == s.api.kind && s.api.target == candidate.target) {
        s.api.health = qMin(100, healthShown(s.api.health) + 3);
        if (s.api.cooldownUntil.isValid()) {
            s.api.cooldownUntil = QDateTime();
            addEvent(s, s.changes,
                     event(candidate.kind, candidate.target,
                           candidate.kind + QStringLiteral("_recovered"),
                           QStringLiteral("cooldown cleared after successful request")));
        }
    }
    const Event hit = event(candidate.kind, candidate.target, QString());
    addEvent(s, s.hits, hit);
    s.lastSuccess = hit;
    touched(candidate.provider);
}

void ProviderRuntime::scoreFailure(CandidateState &state, const LlmFailure &failure)
{
    using Reason = LlmFailure::Reason;
    const int penalty =
        failure.reason == Reason::Quota                                                   ? 40
        : (failure.reason == Reason::Forbidden || failure.reason == Reason::Unauthorized) ? 25
                                                                                          : 10;
    state.health = qMax(1, healthShown(state.health) - penalty);
    ++state.failureCount;
    state.lastFailure = LlmFailure::reasonName(failure.reason);
}

void ProviderRuntime::recordFailure(const Candidate &candidate, const LlmFailure &failure)
{
    using Reason = LlmFailure::Reason;
    ProviderState &s = state(candidate.provider);
    const QString reason = LlmFailure::reasonName(failure.reason);
    addEvent(s, s.errors, event(candidate.kind, candidate.target, reason, failure.message));
    const bool refusal =
        failure.reason == Reason::Forbidden || failure.reason == Reason::Unauthorized;
    if (ProviderState::Account *found = candidate.kind == QLatin1String("oauth")
                                            ? account(s, candidate.accountFile)
                                            : nullptr) {
        scoreFailure(found->state, failure);
        const QString revoked = revocationReason(failure);
        if (!revoked.isEmpty()) {
            disableAccount(candidate.provider, candidate.accountFile, revoked);
            return;
        }
        // An account's cooldown is the provider's cooldown_sec, longer for refusals and quota.
        if (cooldownSeconds(failure) > 0) {
            const int factor = failure.reason == Reason::Quota ? 4 : refusal ? 2 : 1;
            const qint64 seconds = failure.retryAfterSec >= 0
                                       ? qBound(qint64(1), failure.retryAfterSec, qint64(86400))
                                       : qint64(s.cooldownSec) * factor;
            found->state.cooldownUntil = Clock::nowUtc().addSecs(seconds);
            addEvent(s, s.changes,
                     event(candidate.kind, candidate.target,
                           QStringLiteral("oauth_cooldown_") + reason,
                           QStringLiteral("oauth credential entered cooldown after request "
                                          "failure")));
        }
    } else if (candidate.kind == s.api.kind && s.api.target == candidate.target) {
        scoreFailure(s.api, failure);
        const qint64 seconds = cooldownSeconds(failure);
        if (seconds > 0) {
            s.api.cooldownUntil = Clock::nowUtc().addSecs(seconds);
            addEvent(s, s.changes,
                     event(candidate.kind, candidate.target,
                           candidate.kind + QStringLiteral("_cooldown_") + reason,
                           candidate.kind == QLatin1String("api_key")
                               ? QStringLiteral("api key entered cooldown after request failure")
                               : QStringLiteral("relay entered cooldown after request failure")));
        }
    }
    touched(candidate.provider);
}

QJsonObject ProviderRuntime::apiStateJson(const CandidateState &api) const
{
    QJsonObject object{{"health_score", healthShown(api.health)}};
    if (!api.target.isEmpty())
        object.insert("token_masked", api.target);
    if (api.cooldownUntil.isValid())
        object.insert("cooldown_until", Clock::rfc3339(api.cooldownUntil));
    if (api.failureCount > 0)
        object.insert("failure_count", api.failureCount);
    if (!api.lastFailure.isEmpty())
        object.insert("last_failure", api.lastFailure);
    return object;
}

bool ProviderRuntime::clearApiCooldown(const QString &provider)
{
    ProviderState &s = state(provider);
    s.api.cooldownUntil = QDateTime();
    addEvent(s, s.changes,
             event(QStringLiteral("api_key"), s.api.target,
                   QStringLiteral("manual_clear_api_cooldown"),
                   QStringLiteral("api key cooldown cleared from runtime panel")));
    touched(provider);
    return true;
}

bool ProviderRuntime::clearHistory(const QString &provider)
{
    ProviderState &s = state(provider);
    s.hits.clear();
    s.errors.clear();
    s.changes.clear();
    s.lastSuccess.reset();
    touched(provider);
    return true;
}

QJsonArray ProviderRuntime::rerank(const QString &provider)
{
    ProviderSettings settings;
    QString error;
    const QJsonObject config = m_config->effective();
    if (!ProviderConfig::settingsFor(config, {provider, QString()}, &settings, &error)) {
        settings =
            entrySettings(provider, ProviderConfig::providers(config).value(provider).toObject());
    }
    candidates(settings);
    return state(provider).candidateOrder;
}

QJsonArray ProviderRuntime::candidateOrder(const QString &provider) const
{
    return m_states.value(provider).candidateOrder;
}

QJsonObject ProviderRuntime::itemFor(const QString &name, const QJsonObject &entry,
                                     const Query &query)
{
    ProviderState &s = state(name);
    const QDateTime now = Clock::nowUtc();
    if (s.api.cooldownUntil.isValid() && s.api.cooldownUntil <= now)
        s.api.cooldownUntil = QDateTime();
    const qint64 windowStartMs =
        query.windowSec > 0 ? now.toMSecsSinceEpoch() - query.windowSec * 1000 : 0;
    const auto keep = [&](const Event &e) {
        if (!query.kind.isEmpty() && e.kind.compare(query.kind, Qt::CaseInsensitive) != 0)
            return false;
        if (!containsInsensitive(e.reason, query.reason))
            return false;
        if (!query.target.isEmpty() && !containsInsensitive(e.target, query.target) &&
            !containsInsensitive(e.detail, query.target))
            return false;
        if (windowStartMs > 0 && (e.whenMs == 0 || e.whenMs < windowStartMs))
            return false;
        return true;
    };
    // The lists are kept newest first, so filtering keeps that order and the three merge.
    const auto filtered = [&](const QList<Event> &list) {
        QList<const Event *> out;
        for (const Event &e : list)
            if (keep(e))
                out << &e;
        return out;
    };
    const int limit = query.limit > 0 ? query.limit : 20;
    // The recent_* lists show the newest matches (`limit` when given, else at most 100), so a
    // history of thousands of events never makes a megabyte answer; `events` pages through all.
    const int listCap = query.limit > 0 ? query.limit : 100;
    const auto toArray = [listCap](const QList<const Event *> &list) {
        QJsonArray array;
        for (qsizetype i = 0; i < list.size() && i < listCap; ++i)
            array.append(list.at(i)->toJson());
        return array;
    };
    const QList<const Event *> hits = query.changesOnly ? QList<const Event *>() : filtered(s.hits);
    const QList<const Event *> errors =
        query.changesOnly ? QList<const Event *>() : filtered(s.errors);
    const QList<const Event *> changes = filtered(s.changes);
    const bool ascending = query.sort.compare(QLatin1String("asc"), Qt::CaseInsensitive) == 0;
    // Merged by time; at the same time hits come before errors before changes.
    const auto merged = [ascending](QList<const Event *> a, QList<const Event *> b) {
        if (ascending) {
            std::reverse(a.begin(), a.end());
            std::reverse(b.begin(), b.end());
        }
        QList<const Event *> out(a.size() + b.size());
        std::merge(a.begin(), a.end(), b.begin(), b.end(), out.begin(),
                   [ascending](const Event *x, const Event *y) {
                       return ascending ? x->whenMs < y->whenMs : x->whenMs > y->whenMs;
                   });
        if (ascending) // back to newest first for the next merge
            std::reverse(out.begin(), out.end());
        return out;
    };
    QList<const Event *> all = merged(merged(hits, errors), changes);
    if (ascending)
        std::reverse(all.begin(), all.end());
    const int cursor = qBound(0, query.cursor, int(all.size()));
    const int end = int(qMin<qsizetype>(all.size(), qsizetype(cursor) + limit));
    QJsonArray events;
    for (int i = cursor; i < end; ++i)
        events.append(all.at(i)->toJson());
    {
        // The order a request would use now (with each candidate's current status); only
        // requests record "candidate_order_changed".
        const ProviderSettings settings = entrySettings(name, entry);
        QList<Candidate> cooling;
        const QList<Candidate> ready = candidatesPreview(settings, &cooling);
        storeOrder(name, orderFor(name, ready, cooling), false);
    }
    QJsonObject item{{"name", name},
                     {"auth", entry.value("auth").toString()},
                     {"api_base", withoutUserInfo(entry.value("api_base").toString())},
                     {"type", ProviderRoute::kindOf(name, entry)},
                     {"api_state", apiStateJson(s.api)},
                     {"recent_hits", toArray(hits)},
                     {"recent_errors", toArray(errors)},
                     {"recent_changes", toArray(changes)},
                     {"last_success", s.lastSuccess ? QJsonValue(s.lastSuccess->toJson())
                                                    : QJsonValue(QJsonValue::Null)},
                     {"candidate_order", s.candidateOrder},
                     {"events", events},
                     {"next_cursor", end < all.size() ? end : 0}};
    const QString auth = entry.value("auth").toString();
    if (ProviderRoute::kindOf(name, entry) == QLatin1String("aistudio")) {
        // The relay is the provider's account (spec/providers.md §2.5).
        const bool up = m_relay && m_relay->isConnected(name);
        item.insert("oauth_accounts",
                    QJsonArray{QJsonObject{{"kind", "relay"},
                                           {"account", name},
                                           {"status", up ? "connected" : "disconnected"},
                                           {"available", up}}});
    } else if (auth == QLatin1String("oauth") || auth == QLatin1String("hybrid")) {
        item.insert("oauth_accounts", accounts(name));
    }
    return item;
}

QJsonObject ProviderRuntime::view(const Query &query)
{
    const QJsonObject providers = ProviderConfig::providers(m_config->effective());
    QJsonArray items;
    QStringList names = providers.keys(); // sorted: a stable order for clients and the window
    const QDateTime cutoff = query.cooldownBeforeSec > 0
                                 ? Clock::nowUtc().addSecs(query.cooldownBeforeSec)
                                 : QDateTime();
    for (const QString &name : names) {
        if (!query.provider.isEmpty() && name != query.provider)
            continue;
        const QJsonObject item = itemFor(name, providers.value(name).toObject(), query);
        if (query.healthBelow > 0 || cutoff.isValid()) {
            bool match = false;
            const auto check = [&](const QJsonObject &object) {
                const int health = object.value("health_score").toInt();
                if (query.healthBelow > 0 && healthShown(health) < query.healthBelow)
                    match = true;
                const QDateTime until = parseTime(object.value("cooldown_until").toString());
                if (cutoff.isValid() && until.isValid() && until < cutoff)
                    match = true;
            };
            check(item.value("api_state").toObject());
            for (const QJsonValue &candidate : item.value("candidate_order").toArray())
                check(candidate.toObject());
            if (!match)
                continue;
        }
        items.append(item);
    }
    return QJsonObject{{"items", items}};
}

QJsonObject ProviderRuntime::persistedState(const ProviderState &s) const
{
    const auto toArray = [](const QList<Event> &list) {
        QJsonArray array;
        for (const Event &e : list)
            array.append(e.toJson());
        return array;
    };
    return QJsonObject{
        {"api_state", apiStateJson(s.api)},
        {"recent_hits", toArray(s.hits)},
        {"recent_errors", toArray(s.errors)},
        {"recent_changes", toArray(s.changes)},
        {"last_success", s.lastSuccess ? QJsonValue(s.lastSuccess->toJson()) : QJsonValue()},
        {"candidate_order", s.candidateOrder},
    };
}

void ProviderRuntime::persistNow()
{
    const QSet<QString> dirty = std::exchange(m_dirty, {});
    for (const QString &provider : dirty) {
        const ProviderState &s = state(provider);
        if (!s.persist)
            continue;
        const QString path = s.historyFile;
        const QByteArray bytes = QJsonDocument(persistedState(s)).toJson(QJsonDocument::Indented);
        m_writes->post([path, bytes] {
            // A folder made here is private; one that exists keeps its permissions.
            const QString folder = QFileInfo(path).absolutePath();
            if (!QFileInfo::exists(folder)) {
                QDir().mkpath(folder);
                QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ExeOwner);
            }
            QString error;
            if (!AtomicFile::write(path, bytes, &error))
                qCWarning(lcProviders).noquote()
                    << "cannot save provider runtime history:" << error;
        });
    }
}

void ProviderRuntime::flush()
{
    m_persist->flush();
    m_writes->waitForIdle();
}

void ProviderRuntime::load(const QString &provider)
{
    ProviderState &s = state(provider);
    s.loadStarted = true;
    const QString path = s.historyFile;
    Background::run(
        this, [path] { return SafeFile::read(path, kMaxHistoryFileBytes); },
        [this, provider](const SafeFile::ReadResult &read) {
            if (!read.ok())
                return;
            const QJsonObject saved = QJsonDocument::fromJson(read.data).object();
            if (saved.isEmpty())
                return;
            ProviderState &s = state(provider);
            // Saved values only fill what this run has not learnt yet.
            const auto fill = [&s](QList<Event> &list, const QJsonValue &value) {
                if (!list.isEmpty())
                    return;
                for (const QJsonValue &item : value.toArray()) {
                    if (list.size() >= s.historyMax)
                        break;
                    list << Event::fromJson(item.toObject());
                }
            };
            fill(s.hits, saved.value("recent_hits"));
            fill(s.errors, saved.value("recent_errors"));
            fill(s.changes, saved.value("recent_changes"));
            if (!s.lastSuccess && saved.value("last_success").isObject())
                s.lastSuccess = Event::fromJson(saved.value("last_success").toObject());
            if (s.candidateOrder.isEmpty())
                s.candidateOrder = saved.value("candidate_order").toArray();
            const QJsonObject api = saved.value("api_state").toObject();
            if (api.value("token_masked").toString() == s.api.target) {
                if (!s.api.cooldownUntil.isValid())
                    s.api.cooldownUntil = parseTime(api.value("cooldown_until").toString());
                if (s.api.failureCount == 0)
                    s.api.failureCount = api.value("failure_count").toInt();
                if (s.api.lastFailure.isEmpty())
                    s.api.lastFailure = api.value("last_failure").toString();
                if (s.api.health == 0)
                    s.api.health = api.value("health_score").toInt();
            }
            Q_EMIT changed(provider);
        });
}
