#include "credentialvault.h"

#include "core/atomicfile.h"
#include "core/background.h"
#include "core/configstore.h"
#include "core/configvault.h"
#include "core/paths.h"
#include "core/secretstore.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

CredentialVault::CredentialVault(ConfigStore *config, QObject *parent)
    : QObject(parent), m_config(config), m_writes(std::make_unique<Background::SerialQueue>())
{
    // The secret store is set on the config store after the services are built: its answer
    // reaches us as the config store's keychain status.
    connect(m_config, &ConfigStore::keychainStatusChanged, this, [this] {
        if (settled())
            Q_EMIT keychainSettled();
    });
}

bool CredentialVault::usable() const
{
    SecretStore *store = m_config->secretStore();
    return ConfigVault::wanted(m_config->fileConfig()) && store && store->available();
}

CredentialVault::~CredentialVault() = default; // the queue finishes its writes first

bool CredentialVault::wanted() const
{
    return ConfigVault::wanted(m_config->fileConfig());
}

bool CredentialVault::settled() const
{
    SecretStore *store = m_config->secretStore();
    return !store || store->settled();
}

bool CredentialVault::marked(const QString &path) const
{
    const auto pending = m_pendingMarks.constFind(path);
    if (pending != m_pendingMarks.constEnd())
        return *pending;
    const QJsonArray list =
        m_config->fileConfig().value("secrets").toObject().value("oauth_in_keychain").toArray();
    return list.contains(QJsonValue(path));
}

void CredentialVault::writeFile(const QString &path, const OAuthCredential &credential, Done done)
{
    const QByteArray bytes = QJsonDocument(credential.toJson()).toJson(QJsonDocument::Indented);
    // One write after the other, in the order asked: a later state of an account never loses
    // to an earlier one that was slower to reach the disk.
    m_writes->post([this, path, bytes, done] {
        const QString folder = QFileInfo(path).absolutePath();
        QString error;
        if (Paths::makePrivateDir(folder, &error))
            AtomicFile::write(path, bytes, &error);
        QMetaObject::invokeMethod(
            this, [done, error] { done(error); }, Qt::QueuedConnection);
    });
}

void CredentialVault::setMarked(const QString &path, bool mark, Done done)
{
    if (marked(path) == mark)
        return done(QString());
    m_pendingMarks.insert(path, mark); // what marked() answers until the save is done
    m_config->update(
        QStringLiteral("oauth"),
        [path, mark](const QJsonObject &fileConfig) {
            QJsonObject updated = fileConfig;
            QJsonObject secrets = updated.value("secrets").toObject();
            QJsonArray list = secrets.value("oauth_in_keychain").toArray();
            QJsonArray kept;
            for (const QJsonValue &listed : list)
                if (listed.toString() != path)
                    kept.append(listed);
            if (mark)
                kept.append(path);
            secrets.insert("oauth_in_keychain", kept);
            updated.insert("secrets", secrets);
            return updated;
        },
        this,
        [this, path, mark, done](const ConfigStore::SaveResult &saved) {
            if (m_pendingMarks.value(path, !mark) == mark)
                m_pendingMarks.remove(path);
            done(saved.status == ConfigStore::SaveResult::Ok
                     ? QString()
                     : QStringLiteral("desktop.json could not be saved: %1").arg(saved.error));
        });
}

void CredentialVault::write(const QString &path, const OAuthCredential &credential, Done done)
{
    SecretStore *store = m_config->secretStore();
    if (!usable()) {
        // In the file, as clawgo keeps it; a file that was in the keychain comes back first.
        const bool wasMarked = marked(path);
        return writeFile(
            path, credential, [this, path, wasMarked, store, done](const QString &error) {
                if (!error.isEmpty() || !wasMarked)
                    return done(error);
                setMarked(path, false, [this, path, store, done](const QString &markError) {
                    if (store && store->available())
                        store->remove(entryKey(path), this, [](const QString &) {});
                    done(markError);
                });
            });
    }
    const QByteArray tokens = QJsonDocument(QJsonObject{{"access_token", credential.accessToken},
                                                        {"refresh_token", credential.refreshToken},
                                                        {"id_token", credential.idToken}})
                                  .toJson(QJsonDocument::Compact);
    store->write(entryKey(path), QString::fromUtf8(tokens), this,
                 [this, path, credential, done](const QString &error) {
                     if (!error.isEmpty()) // a refused write leaves the tokens in the file
                         return writeFile(path, credential, done);
                     setMarked(
                         path, true, [this, path, credential, done](const QString &markError) {
                             if (!markError.isEmpty()) // unmarked: the file must keep the tokens
                                 return writeFile(path, credential, done);
                             OAuthCredential blank = credential;
                             blank.accessToken.clear();
                             blank.refreshToken.clear();
                             blank.idToken.clear();
                             writeFile(path, blank, done);
                         });
                 });
}

void CredentialVault::resolve(
    const QString &path, const OAuthCredential &credential,
    std::function<void(const OAuthCredential &resolved, const QString &error)> done)
{
    if (!marked(path) || !credential.accessToken.isEmpty() || !credential.refreshToken.isEmpty())
        return done(credential, QString());
    SecretStore *store = m_config->secretStore();
    if (!store || !store->available())
        return done(credential, QStringLiteral("the tokens are in the system keychain, which "
                                               "does not answer"));
    store->read(entryKey(path), this,
                [credential, done](const QString &value, const QString &error) {
                    if (!error.isEmpty())
                        return done(credential, error);
                    if (value.isEmpty())
                        return done(credential,
                                    QStringLiteral("the keychain has no tokens for this account"));
                    const QJsonObject tokens = QJsonDocument::fromJson(value.toUtf8()).object();
                    OAuthCredential resolved = credential;
                    resolved.accessToken = tokens.value("access_token").toString();
                    resolved.refreshToken = tokens.value("refresh_token").toString();
                    resolved.idToken = tokens.value("id_token").toString();
                    done(resolved, QString());
                });
}

void CredentialVault::forget(const QString &path, Done done)
{
    if (!marked(path))
        return done(QString());
    SecretStore *store = m_config->secretStore();
    const auto unmark = [this, path, done](const QString &) { setMarked(path, false, done); };
    if (store && store->available())
        store->remove(entryKey(path), this, unmark);
    else
        unmark(QString());
}
