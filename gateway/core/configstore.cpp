#include "configstore.h"

#include "atomicfile.h"
#include "background.h"
#include "configdefaults.h"
#include "configkeys.h"
#include "configsecrets.h"
#include "configvalidator.h"
#include "hostnames.h"
#include "jsonutil.h"
#include "logcategories.h"
#include "paths.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QJsonArray>
#include <QTimer>
#include <algorithm>

namespace {

QByteArray hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(32);
}

// desktop.json merged into config.json's content. Entries of user-owned maps that config.json
// no longer has (a provider removed with clawgo's CLI) are dropped: a proxy alone is no
// provider.
QJsonObject mergeFiles(const QJsonObject &clawgo, const QJsonObject &desktop,
                       const QString &prefix = {})
{
    QJsonObject merged = clawgo;
    for (auto it = desktop.begin(); it != desktop.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const QJsonValue existing = merged.value(it.key());
        if (ConfigKeys::userOwnedMaps().contains(path) && it->isObject()) {
            QJsonObject map = existing.toObject();
            const QJsonObject extra = it->toObject();
            for (auto entry = extra.begin(); entry != extra.end(); ++entry) {
                if (!map.contains(entry.key())) {
                    qCInfo(lcConfig).noquote()
                        << "desktop.json has settings for" << path + QLatin1Char('.') + entry.key()
                        << "which config.json no longer has; they are dropped";
                    continue;
                }
                map.insert(entry.key(), JsonUtil::deepMerge(map.value(entry.key()).toObject(),
                                                            entry->toObject()));
            }
            merged.insert(it.key(), map);
        } else if (it->isObject() && existing.isObject()) {
            merged.insert(it.key(), mergeFiles(existing.toObject(), it->toObject(), path));
        } else {
            merged.insert(it.key(), it.value());
        }
    }
    return merged;
}

QJsonValue valueAtSegments(const QJsonValue &root, const QStringList &segments)
{
    QJsonValue node = root;
    for (const QString &segment : segments)
        node = node.toObject().value(segment);
    return node;
}

QJsonObject withValueAt(const QJsonObject &root, const QStringList &segments, int at,
                        const QJsonValue &value)
{
    QJsonObject object = root;
    const QString &name = segments.at(at);
    object.insert(name, at + 1 == segments.size()
                            ? value
                            : withValueAt(object.value(name).toObject(), segments, at + 1, value));
    return object;
}

QStringList changedSections(const QJsonObject &before, const QJsonObject &after)
{
    QStringList sections;
    QStringList keys = before.keys() + after.keys();
    keys.removeDuplicates();
    keys.sort();
    for (const QString &key : keys)
        if (before.value(key) != after.value(key))
            sections << key;
    return sections;
}

} // namespace

ConfigStore::ConfigStore(const QString &path, QObject *parent)
    : QObject(parent), m_path(QFileInfo(path).absoluteFilePath()),
      m_defaults(ConfigKeys::defaults(QFileInfo(m_path).absolutePath())),
      m_vault(new ConfigVault(this)), m_watcher(new QFileSystemWatcher(this)),
      m_debounce(new QTimer(this))
{
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this,
            [this] { reloadFromDisk(QStringLiteral("watcher")); });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigStore::onFileEvent);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &ConfigStore::onFileEvent);
}

QString ConfigStore::configDir() const
{
    return QFileInfo(m_path).absolutePath();
}

QString ConfigStore::desktopPath() const
{
    return configDir() + QStringLiteral("/desktop.json");
}

QByteArray ConfigStore::FileBytes::hash() const
{
    return hashOf(config + '\0' + desktop);
}

void ConfigStore::setSecretStore(SecretStore *store)
{
    m_vault->setSecretStore(store);
    connect(m_vault, &ConfigVault::keychainChanged, this, [this] {
        resolveSecrets();
        Q_EMIT keychainStatusChanged();
    });
}

ConfigStore::FileBytes ConfigStore::serialize(const QJsonObject &document) const
{
    FileBytes bytes;
    const QJsonObject fileDocument = m_vault->fileDocument(document, &bytes.markers);
    for (const QString &marker : std::as_const(m_markersOnDisk))
        bytes.configFirst = bytes.configFirst || !bytes.markers.contains(marker);
    const ConfigKeys::Split halves = ConfigKeys::split(fileDocument, m_unknownFromDesktop);
    const auto sameAsOnDisk = [](const QByteArray &onDisk, const QJsonObject &half) {
        QJsonObject current;
        QString ignored;
        return !onDisk.isEmpty() && JsonUtil::parseObject(onDisk, &current, &ignored) &&
               current == half;
    };
    bytes.configUnchanged = sameAsOnDisk(m_onDisk.config, halves.clawgo);
    bytes.config = bytes.configUnchanged ? m_onDisk.config : JsonUtil::pretty(halves.clawgo) + '\n';
    bytes.desktopUnchanged = sameAsOnDisk(m_onDisk.desktop, halves.desktop);
    if (bytes.desktopUnchanged)
        bytes.desktop = m_onDisk.desktop;
    else if (!halves.desktop.isEmpty() || QFileInfo::exists(desktopPath()))
        bytes.desktop = JsonUtil::pretty(halves.desktop) + '\n';
    return bytes;
}

bool ConfigStore::writeFiles(const QString &configPath, const QString &desktopPath,
                             const FileBytes &bytes, QString *error)
{
    // A crash between the two writes must never leave config.json without a credential that
    // desktop.json does not mark as the keychain's: markers are written before the values leave
    // config.json, and removed only after config.json holds the values again (configFirst).
    const auto writeDesktop = [&] {
        return bytes.desktop.isEmpty() || bytes.desktopUnchanged ||
               AtomicFile::write(desktopPath, bytes.desktop, error);
    };
    const auto writeConfig = [&] {
        return bytes.configUnchanged || AtomicFile::write(configPath, bytes.config, error);
    };
    if (bytes.configFirst)
        return writeConfig() && writeDesktop();
    return writeDesktop() && writeConfig();
}

bool ConfigStore::writeNow(const QJsonObject &document, QString *error)
{
    const FileBytes bytes = serialize(document);
    if (!writeFiles(m_path, desktopPath(), bytes, error))
        return false;
    m_markersOnDisk = bytes.markers;
    m_onDisk = bytes;
    setFile(document, bytes.hash());
    return true;
}

ConfigStore::ReadFiles ConfigStore::readFiles(const QString &configPath, const QString &desktopPath)
{
    constexpr qint64 kMaxBytes = 16 * 1024 * 1024;
    ReadFiles read;
    QFile config(configPath);
    if (!config.open(QIODevice::ReadOnly)) {
        read.error = QStringLiteral("cannot read %1: %2").arg(configPath, config.errorString());
        return read;
    }
    read.bytes.config = config.read(kMaxBytes);
    QFile desktop(desktopPath);
    if (desktop.exists()) {
        if (!desktop.open(QIODevice::ReadOnly)) {
            read.error =
                QStringLiteral("cannot read %1: %2").arg(desktopPath, desktop.errorString());
            return read;
        }
        read.bytes.desktop = desktop.read(kMaxBytes);
    }
    read.ok = true;
    return read;
}

bool ConfigStore::parseFiles(const FileBytes &bytes, QJsonObject *document,
                             QSet<QString> *fromDesktop, QStringList *markers, QString *error) const
{
    QJsonObject clawgo;
    QString parseError;
    if (!JsonUtil::parseObject(bytes.config, &clawgo, &parseError)) {
        *error = QStringLiteral("%1 is not valid JSON: %2").arg(m_path, parseError);
        return false;
    }
    QJsonObject desktop;
    if (!bytes.desktop.trimmed().isEmpty() &&
        !JsonUtil::parseObject(bytes.desktop, &desktop, &parseError)) {
        *error = QStringLiteral("%1 is not valid JSON: %2").arg(desktopPath(), parseError);
        return false;
    }
    // The keychain list is the store's own, never part of the document.
    QJsonObject secrets = desktop.value("secrets").toObject();
    markers->clear();
    for (const QJsonValue &marker : secrets.take("in_keychain").toArray())
        if (!marker.toString().isEmpty())
            *markers << marker.toString();
    if (secrets.isEmpty())
        desktop.remove("secrets");
    else
        desktop.insert("secrets", secrets);
    *fromDesktop = ConfigKeys::unknownPaths(desktop);
    *document = mergeFiles(clawgo, desktop);
    // Our keys typed into config.json (or left there by an earlier version) are the newer
    // intent: they win over desktop.json, and the next save moves them there.
    for (const QStringList &segments : ConfigKeys::desktopKeysIn(clawgo))
        *document = withValueAt(*document, segments, 0, valueAtSegments(clawgo, segments));
    *markers << ConfigSecrets::takeLegacyMarkers(document);
    return true;
}

void ConfigStore::setRuntimeOverrides(const QJsonObject &overrides)
{
    m_overrides = overrides;
    m_effective = computeEffective(m_fileConfig);
    ++m_revision;
}

QJsonObject ConfigStore::savedConfig() const
{
    return JsonUtil::deepMerge(m_defaults, m_fileConfig, ConfigKeys::userOwnedMaps());
}

QJsonObject ConfigStore::computeEffective(const QJsonObject &fileConfig) const
{
    const QJsonObject saved =
        JsonUtil::deepMerge(m_defaults, fileConfig, ConfigKeys::userOwnedMaps());
    return JsonUtil::deepMerge(saved, m_overrides);
}

QByteArray ConfigStore::etag() const
{
    return '"' + m_fileHash + '"';
}

QStringList ConfigStore::validate(const QJsonObject &fileConfig) const
{
    QStringList errors = ConfigValidator::validate(JsonUtil::deepMerge(
        m_defaults, m_vault->withStandIns(fileConfig), ConfigKeys::userOwnedMaps()));
    // The address actually bound counts, not only the file's: with --host 0.0.0.0 (or
    // CLAWGO_HOST) on a file that says 127.0.0.1, an empty token would open the API to the
    // network.
    const QString boundHost =
        JsonUtil::valueAt(m_overrides, QStringLiteral("gateway.host")).toString().trimmed();
    const QString token = ConfigKeys::string(fileConfig, QStringLiteral("gateway.token"));
    if (!boundHost.isEmpty() && token.isEmpty() && !Hostnames::isLoopback(boundHost))
        errors << QStringLiteral("refusing an empty gateway.token: this gateway listens on %1 "
                                 "(--host or CLAWGO_HOST), where anyone on the network could "
                                 "drive the agent; set a token or bind to 127.0.0.1")
                      .arg(boundHost);
    return errors;
}

bool ConfigStore::load(QString *error)
{
    if (!QFileInfo::exists(m_path)) {
        QString dirError;
        if (!Paths::makePrivateDir(configDir(), &dirError)) {
            *error = dirError;
            return false;
        }
        QJsonObject initial = m_defaults;
        JsonUtil::setValueAt(initial, QStringLiteral("gateway.token"),
                             ConfigDefaults::generateToken());
        // A fresh install keeps its credentials in the keychain (where one answers).
        JsonUtil::setValueAt(initial, QStringLiteral("secrets.keychain"), true);
        if (!writeNow(initial, error))
            return false;
        m_createdOnLoad = true;
        qCInfo(lcConfig).noquote() << "created" << m_path << "with default settings";
        watch();
        resolveSecrets();
        return true;
    }
    // An existing home (clawgo's, or one made with a loose umask) may be readable by others:
    // it holds tokens and keys.
    Paths::tightenToPrivate(configDir());
    Paths::tightenToPrivate(m_path);
    Paths::tightenToPrivate(desktopPath());
    const ReadFiles read = readFiles(m_path, desktopPath());
    if (!read.ok) {
        *error = read.error;
        return false;
    }
    QJsonObject parsed;
    QStringList markers;
    if (!parseFiles(read.bytes, &parsed, &m_unknownFromDesktop, &markers, error))
        return false;
    m_markersOnDisk = markers;
    parsed = m_vault->adoptMarkers(parsed, markers);
    const QStringList errors = validate(parsed);
    if (!errors.isEmpty()) {
        *error =
            QStringLiteral("invalid config %1: %2").arg(m_path, errors.join(QLatin1String("; ")));
        return false;
    }
    setFile(parsed, read.bytes.hash());
    m_onDisk = read.bytes;
    QStringList reasons;
    if (!JsonUtil::valueAt(parsed, QStringLiteral("gateway.token")).isString()) {
        // Generated once and saved, never on every load (DESIGN.md, decision 2).
        JsonUtil::setValueAt(parsed, QStringLiteral("gateway.token"),
                             ConfigDefaults::generateToken());
        reasons << QStringLiteral("generated a gateway token");
    }
    QJsonObject clawgoHalf;
    QString ignored;
    JsonUtil::parseObject(read.bytes.config, &clawgoHalf, &ignored);
    const QStringList ours = ConfigKeys::desktopPathsIn(clawgoHalf);
    if (!ours.isEmpty())
        // Written by an earlier version or by hand; clawgo refuses config.json while they are
        // there.
        reasons << QStringLiteral("moved %1 from config.json to desktop.json")
                       .arg(ours.join(QLatin1String(", ")));
    if (!JsonUtil::valueAt(parsed, QStringLiteral("secrets.keychain")).isBool()) {
        // First start on this home. clawgo cannot read keychain entries, so its credentials
        // stay in its file unless the user moves them (or an earlier version already did).
        const bool legacy = std::any_of(markers.begin(), markers.end(), [](const QString &m) {
            return m.startsWith(QLatin1String("channels.weixin.accounts["));
        });
        JsonUtil::setValueAt(parsed, QStringLiteral("secrets.keychain"), legacy);
        reasons << (legacy ? QStringLiteral("bot tokens are already in the system keychain: "
                                            "keychain storage stays on")
                           : QStringLiteral("an existing clawgo config: credentials stay in "
                                            "its files (turn secrets.keychain on to move them)"));
    }
    if (!reasons.isEmpty()) {
        if (!writeNow(parsed, error))
            return false;
        qCInfo(lcConfig).noquote() << reasons.join(QLatin1String("; "));
    }
    watch();
    resolveSecrets();
    return true;
}

void ConfigStore::resolveSecrets()
{
    if (!m_vault->hasUnresolved()) {
        moveSecretsIfWanted();
        return;
    }
    m_vault->resolve([this](const QHash<QString, QString> &found) {
        if (!found.isEmpty()) {
            // Values only: the files are unchanged, so the ETag stays.
            QJsonObject document = m_fileConfig;
            const QHash<QString, QStringList> places = ConfigSecrets::positions(document);
            for (auto it = found.begin(); it != found.end(); ++it)
                if (places.contains(it.key()) &&
                    ConfigSecrets::valueAt(document, places.value(it.key())).isEmpty())
                    document = ConfigSecrets::withValue(document, places.value(it.key()), *it);
            adopt(document, m_fileHash, QStringLiteral("keychain"));
        }
        Q_EMIT keychainStatusChanged();
        moveSecretsIfWanted();
    });
}

void ConfigStore::moveSecretsIfWanted()
{
    if (hasPendingSaves() || m_vault->resolving() || !m_vault->wantsMove(m_fileConfig))
        return;
    update(
        QStringLiteral("keychain"), [](const QJsonObject &document) { return document; }, this,
        [this](const SaveResult &) { Q_EMIT keychainStatusChanged(); });
}

void ConfigStore::save(const QJsonObject &fileConfig, const QString &source,
                       const QByteArray &ifMatch, QObject *context, SaveCallback done)
{
    PendingSave save;
    save.config = fileConfig;
    save.ifMatch = ifMatch;
    enqueue(std::move(save), source, context, std::move(done));
}

void ConfigStore::update(const QString &source, Change change, QObject *context, SaveCallback done)
{
    PendingSave save;
    save.change = std::move(change);
    enqueue(std::move(save), source, context, std::move(done));
}

void ConfigStore::enqueue(PendingSave save, const QString &source, QObject *context,
                          SaveCallback done)
{
    save.source = source;
    save.context = context;
    save.hasContext = context != nullptr;
    save.done = std::move(done);
    m_saves.enqueue(std::move(save));
    if (!m_writing)
        startNextSave();
}

bool ConfigStore::prepare(const PendingSave &save, QJsonObject *config, SaveResult *result) const
{
    if (!save.ifMatch.isEmpty() && save.ifMatch.trimmed() != "*" &&
        save.ifMatch.trimmed() != etag()) {
        result->status = SaveResult::Conflict;
        result->error = QStringLiteral("config was changed since it was read (ETag mismatch)");
        return false;
    }
    *config = save.change ? save.change(m_fileConfig) : save.config;
    result->errors = validate(*config);
    // What a client types is held to more than clawgo checks (only where it changed).
    result->errors << ConfigValidator::validateChange(m_fileConfig, *config);
    if (!result->errors.isEmpty()) {
        result->status = SaveResult::Invalid;
        return false;
    }
    return true;
}

void ConfigStore::finishSave(const PendingSave &save, const SaveResult &result)
{
    if (save.done && (!save.hasContext || save.context))
        save.done(result);
}

void ConfigStore::startNextSave()
{
    while (!m_writing && !m_saves.isEmpty()) {
        const PendingSave save = m_saves.dequeue();
        QJsonObject config;
        SaveResult result;
        if (!prepare(save, &config, &result)) {
            finishSave(save, result);
            continue;
        }
        m_writing = true;
        // Credentials reach the keychain before the files stop holding them.
        m_storing.emplace(save, config);
        m_vault->store(config, [this] {
            if (!m_storing)
                return; // written at shutdown meanwhile
            const auto [storedSave, storedConfig] = *m_storing;
            m_storing.reset();
            writeSave(storedSave, storedConfig);
        });
    }
}

void ConfigStore::writeSave(const PendingSave &save, const QJsonObject &config)
{
    const FileBytes bytes = serialize(config);
    const QByteArray hash = bytes.hash();
    m_writingHashes.insert(hash);
    const QString path = m_path;
    const QString desktop = desktopPath();
    Background::run(
        this,
        [path, desktop, bytes] {
            QString error;
            const bool ok = writeFiles(path, desktop, bytes, &error);
            return qMakePair(ok, error);
        },
        [this, save, config, hash, bytes](const QPair<bool, QString> &written) {
            m_writing = false;
            m_writingHashes.remove(hash);
            SaveResult result;
            if (!written.first) {
                qCWarning(lcConfig).noquote() << "saving the config failed:" << written.second;
                result.status = SaveResult::WriteFailed;
                result.error = QStringLiteral("the config file could not be written");
            } else {
                m_markersOnDisk = bytes.markers;
                m_onDisk = bytes;
                adopt(config, hash, save.source);
                m_vault->forgetUnmarked(bytes.markers);
            }
            finishSave(save, result);
            startNextSave();
            if (!hasPendingSaves())
                Q_EMIT savesFinished();
        });
}

void ConfigStore::finishSaves()
{
    // The save under way completes on the pool; its adopt() would need the event loop, but the
    // file is what matters now.
    Background::waitForIo();
    m_writing = false;
    // A save still waiting for the keychain is written as things are: a credential the
    // keychain has not confirmed stays in the file, and moves at the next start.
    QList<std::pair<PendingSave, QJsonObject>> ready;
    if (m_storing) {
        ready << *m_storing;
        m_storing.reset();
    }
    const auto write = [this](const QJsonObject &config) {
        const FileBytes bytes = serialize(config);
        QString error;
        if (writeFiles(m_path, desktopPath(), bytes, &error)) {
            m_markersOnDisk = bytes.markers;
            m_onDisk = bytes;
            setFile(config, bytes.hash());
        } else {
            qCWarning(lcConfig).noquote() << "saving the config at shutdown failed:" << error;
        }
    };
    for (const auto &[save, config] : std::as_const(ready))
        write(config);
    while (!m_saves.isEmpty()) {
        const PendingSave save = m_saves.dequeue();
        QJsonObject config;
        SaveResult result;
        if (prepare(save, &config, &result))
            write(config);
    }
}

void ConfigStore::setFile(const QJsonObject &fileConfig, const QByteArray &hash)
{
    m_fileConfig = fileConfig;
    m_fileHash = hash;
    m_effective = computeEffective(m_fileConfig);
    ++m_revision;
}

void ConfigStore::adopt(const QJsonObject &fileConfig, const QByteArray &hash,
                        const QString &source)
{
    const QJsonObject before = m_effective;
    setFile(fileConfig, hash);
    const QStringList sections = changedSections(before, m_effective);
    qCInfo(lcConfig).noquote() << "config applied from" << source << "changed sections:"
                               << (sections.isEmpty() ? QStringLiteral("none")
                                                      : sections.join(QLatin1String(", ")));
    Q_EMIT changed(sections, source);
}

void ConfigStore::setDebounceInterval(int milliseconds)
{
    m_debounce->setInterval(milliseconds);
}

void ConfigStore::watch()
{
    // Watch the folder too: an editor that saves by rename replaces the file we watched.
    if (!m_watcher->directories().contains(configDir()))
        m_watcher->addPath(configDir());
    for (const QString &file : {m_path, desktopPath()})
        if (QFileInfo::exists(file) && !m_watcher->files().contains(file))
            m_watcher->addPath(file);
}

void ConfigStore::onFileEvent()
{
    watch();
    m_debounce->start();
}

void ConfigStore::reloadFromDisk(const QString &source)
{
    if (m_reading || m_writing) {
        // Look again after the read under way, or once our own write (two files, one after
        // the other) is complete: half of it is no outside edit.
        m_debounce->start();
        return;
    }
    m_reading = true;
    const QString path = m_path;
    const QString desktop = desktopPath();
    Background::run(
        this, [path, desktop] { return readFiles(path, desktop); },
        [this, source](const ReadFiles &read) {
            m_reading = false;
            applyRead(read, source);
        });
}

void ConfigStore::applyRead(const ReadFiles &read, const QString &source)
{
    if (!read.ok) {
        // Mid-rename or deleted: nothing to apply; the folder watch will fire again.
        if (source != QLatin1String("watcher"))
            Q_EMIT rejected({QStringLiteral("cannot read the config file")}, source);
        return;
    }
    const QByteArray hash = read.bytes.hash();
    if (hash == m_fileHash || m_writingHashes.contains(hash))
        return; // our own write, or a touch without a change
    QJsonObject parsed;
    QSet<QString> fromDesktop;
    QStringList markers;
    QString parseError;
    if (!parseFiles(read.bytes, &parsed, &fromDesktop, &markers, &parseError)) {
        qCWarning(lcConfig).noquote()
            << "ignoring the edited config, keeping the last good one:" << parseError;
        Q_EMIT rejected({QStringLiteral("the edited config is not valid JSON; the last good "
                                        "config stays in use")},
                        source);
        return;
    }
    if (!JsonUtil::valueAt(parsed, QStringLiteral("gateway.token")).isString()) {
        qCWarning(lcConfig) << "the edited config has no gateway.token; keeping the current token";
        JsonUtil::setValueAt(parsed, QStringLiteral("gateway.token"),
                             JsonUtil::valueAt(m_fileConfig, QStringLiteral("gateway.token")));
    }
    parsed = m_vault->adoptMarkers(parsed, markers);
    const QStringList errors = validate(parsed);
    if (!errors.isEmpty()) {
        qCWarning(lcConfig).noquote() << "ignoring the edited config, keeping the last good one:"
                                      << errors.join(QLatin1String("; "));
        Q_EMIT rejected(errors, source);
        return;
    }
    m_unknownFromDesktop = fromDesktop;
    m_markersOnDisk = markers;
    m_onDisk = read.bytes;
    adopt(parsed, hash, source);
    QJsonObject clawgoHalf;
    QString ignored;
    if (JsonUtil::parseObject(read.bytes.config, &clawgoHalf, &ignored) &&
        !ConfigKeys::desktopKeysIn(clawgoHalf).isEmpty()) {
        // Typed into config.json by hand: clawgo refuses the file until they move.
        qCInfo(lcConfig).noquote() << "moving" << ConfigKeys::desktopPathsIn(clawgoHalf).join(", ")
                                   << "from config.json to desktop.json";
        update(QStringLiteral("migration"), [](const QJsonObject &document) { return document; });
    }
    resolveSecrets(); // new markers are read; a switched secrets.keychain moves credentials
}
