#include "configvault.h"

#include "configkeys.h"
#include "configsecrets.h"
#include "jsonutil.h"
#include "logcategories.h"
#include "secretstore.h"

#include <QJsonArray>
#include <memory>

ConfigVault::ConfigVault(QObject *parent) : QObject(parent) {}

void ConfigVault::setSecretStore(SecretStore *store)
{
    m_store = store;
    connect(store, &SecretStore::stateChanged, this, &ConfigVault::keychainChanged);
}

bool ConfigVault::wanted(const QJsonObject &document)
{
    return ConfigKeys::flag(document, QStringLiteral("secrets.keychain"));
}

bool ConfigVault::usable(const QJsonObject &document) const
{
    return wanted(document) && m_store && m_store->available();
}

QJsonObject ConfigVault::adoptMarkers(const QJsonObject &document, const QStringList &markers)
{
    QJsonObject filled = document;
    const QHash<QString, QStringList> places = ConfigSecrets::positions(document);
    m_unresolved.clear();
    for (const QString &address : markers) {
        const auto place = places.constFind(address);
        if (place == places.constEnd())
            continue; // its account or provider is gone
        if (!ConfigSecrets::valueAt(document, *place).isEmpty())
            continue; // the file has a value (typed in by hand): it wins
        if (m_held.contains(address)) {
            filled = ConfigSecrets::withValue(filled, *place, m_held.value(address));
            continue;
        }
        m_unresolved.insert(address);
    }
    // Entries no marker names any more were deleted from the file by hand: the value we hold
    // is no longer the user's.
    for (auto it = m_held.begin(); it != m_held.end();)
        it = markers.contains(it.key()) ? std::next(it) : m_held.erase(it);
    return filled;
}

QJsonObject ConfigVault::withStandIns(const QJsonObject &document) const
{
    if (m_unresolved.isEmpty())
        return document;
    QJsonObject filled = document;
    const QHash<QString, QStringList> places = ConfigSecrets::positions(document);
    for (const QString &address : m_unresolved)
        if (places.contains(address) &&
            ConfigSecrets::valueAt(document, places.value(address)).isEmpty())
            filled = ConfigSecrets::withValue(filled, places.value(address),
                                              QStringLiteral("(in the system keychain)"));
    return filled;
}

void ConfigVault::resolve(std::function<void(const QHash<QString, QString> &)> done)
{
    if (m_resolving || m_unresolved.isEmpty() || !m_store || !m_store->settled())
        return;
    if (!m_store->available()) {
        for (const QString &address : std::as_const(m_unresolved))
            m_unresolvedWhy.insert(address, m_store->unavailableReason());
        qCWarning(lcSecrets).noquote()
            << m_unresolved.size()
            << "credential(s) of the config are in the system keychain, which is not available:"
            << m_store->unavailableReason();
        return;
    }
    m_resolving = true;
    auto found = std::make_shared<QHash<QString, QString>>();
    auto pending = std::make_shared<int>(int(m_unresolved.size()));
    const QSet<QString> addresses = m_unresolved;
    for (const QString &address : addresses) {
        m_store->read(
            ConfigSecrets::keychainKey(address), this,
            [this, address, found, pending, done](const QString &value, const QString &error) {
                if (!m_unresolved.contains(address)) {
                    // Its place went away meanwhile (an account removed): the entry has been
                    // deleted, the value is nobody's.
                } else if (!error.isEmpty()) {
                    m_unresolvedWhy.insert(address, error);
                    qCWarning(lcSecrets).noquote()
                        << "could not read" << address << "from the system keychain:" << error;
                } else if (value.isEmpty()) {
                    // Deleted by hand: nothing to wait for, it must be entered again.
                    m_unresolved.remove(address);
                    m_unresolvedWhy.remove(address);
                    m_missing.insert(address);
                    qCWarning(lcSecrets).noquote()
                        << address << "is missing from the system keychain; enter it again";
                } else {
                    m_unresolved.remove(address);
                    m_unresolvedWhy.remove(address);
                    m_held.insert(address, value);
                    found->insert(address, value);
                }
                if (--*pending == 0) {
                    m_resolving = false;
                    done(*found);
                }
            });
    }
}

void ConfigVault::store(const QJsonObject &document, std::function<void()> done)
{
    if (!usable(document))
        return done();
    QList<QPair<QString, QString>> writes;
    const QHash<QString, QString> values = ConfigSecrets::values(document);
    for (auto it = values.begin(); it != values.end(); ++it)
        if (m_held.value(it.key()) != it.value() && m_refused.value(it.key()) != it.value())
            writes.append({it.key(), it.value()});
    if (writes.isEmpty())
        return done();
    auto pending = std::make_shared<int>(int(writes.size()));
    for (const auto &write : std::as_const(writes)) {
        // Named copies: clang 14 cannot capture structured bindings.
        const QString address = write.first;
        const QString value = write.second;
        m_store->write(ConfigSecrets::keychainKey(address), value, this,
                       [this, address, value, pending, done](const QString &error) {
                           if (error.isEmpty()) {
                               m_held.insert(address, value);
                               m_refused.remove(address);
                               m_missing.remove(address);
                           } else {
                               m_refused.insert(address, value);
                               qCWarning(lcSecrets).noquote()
                                   << "could not store" << address << "in the system keychain ("
                                   << error << "); it stays in the config files (0600)";
                           }
                           if (--*pending == 0)
                               done();
                       });
    }
}

QJsonObject ConfigVault::fileDocument(const QJsonObject &document, QStringList *markers) const
{
    QJsonObject file = document;
    markers->clear();
    const bool use = usable(document);
    const QHash<QString, QStringList> places = ConfigSecrets::positions(document);
    for (auto it = places.begin(); it != places.end(); ++it) {
        const QString value = ConfigSecrets::valueAt(document, it.value());
        if (value.isEmpty()) {
            if (m_unresolved.contains(it.key()))
                *markers << it.key(); // not read yet: still the keychain's
        } else if (use && m_held.value(it.key()) == value) {
            file = ConfigSecrets::withValue(file, it.value(), QString());
            *markers << it.key();
        }
    }
    markers->sort();
    QJsonObject secrets = file.value("secrets").toObject();
    if (markers->isEmpty())
        secrets.remove("in_keychain");
    else
        secrets.insert("in_keychain", QJsonArray::fromStringList(*markers));
    if (secrets.isEmpty())
        file.remove("secrets");
    else
        file.insert("secrets", secrets);
    return file;
}

void ConfigVault::forgetUnmarked(const QStringList &markers)
{
    if (!m_store || !m_store->available())
        return; // deleting would fail; the entries go at a later save
    // Still unread, but the files no longer leave them to the keychain (the account was
    // removed, or a new value was typed): their entries go too.
    for (auto it = m_unresolved.begin(); it != m_unresolved.end();) {
        if (markers.contains(*it)) {
            ++it;
            continue;
        }
        const QString address = *it;
        m_unresolvedWhy.remove(address);
        it = m_unresolved.erase(it);
        if (m_held.contains(address))
            continue; // deleted below
        m_store->remove(ConfigSecrets::keychainKey(address), this, [address](const QString &error) {
            if (!error.isEmpty())
                qCWarning(lcSecrets).noquote()
                    << "could not delete" << address << "from the system keychain:" << error;
        });
    }
    for (auto it = m_held.begin(); it != m_held.end();) {
        if (markers.contains(it.key())) {
            ++it;
            continue;
        }
        const QString address = it.key();
        it = m_held.erase(it);
        m_store->remove(ConfigSecrets::keychainKey(address), this, [address](const QString &error) {
            if (!error.isEmpty())
                qCWarning(lcSecrets).noquote()
                    << "could not delete" << address << "from the system keychain:" << error;
        });
    }
}

bool ConfigVault::wantsMove(const QJsonObject &document) const
{
    if (!m_store || !m_store->available())
        return false;
    const QHash<QString, QString> values = ConfigSecrets::values(document);
    if (!wanted(document))
        return !m_held.isEmpty(); // going back into the files
    for (auto it = values.begin(); it != values.end(); ++it)
        if (m_held.value(it.key()) != it.value() && m_refused.value(it.key()) != it.value())
            return true;
    return false;
}

ConfigVault::Storage ConfigVault::storageOf(const QString &address) const
{
    if (m_unresolved.contains(address))
        return Storage::Unreadable;
    if (m_missing.contains(address))
        return Storage::Missing;
    return m_held.contains(address) ? Storage::Keychain : Storage::File;
}

QStringList ConfigVault::knownValues() const
{
    return m_held.values();
}

ConfigVault::Status ConfigVault::status(const QJsonObject &document) const
{
    Status status;
    status.wanted = wanted(document);
    status.available = m_store && m_store->available();
    status.probing = m_store && !m_store->settled();
    if (m_store && !status.available && !status.probing)
        status.reason = m_store->unavailableReason();
    const QHash<QString, QString> values = ConfigSecrets::values(document);
    for (auto it = values.begin(); it != values.end(); ++it)
        if (status.wanted && status.available && m_held.value(it.key()) == it.value())
            ++status.inKeychain;
    status.unreadable = QStringList(m_unresolved.begin(), m_unresolved.end());
    status.unreadable.sort();
    return status;
}
