#include "configstore.h"

#include "atomicfile.h"
#include "background.h"
#include "configdefaults.h"
#include "configvalidator.h"
#include "hostnames.h"
#include "jsonutil.h"
#include "logcategories.h"
#include "paths.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace {

QByteArray hashOf(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(32);
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
      m_defaults(ConfigDefaults::defaults(QFileInfo(m_path).absolutePath())),
      m_watcher(new QFileSystemWatcher(this)), m_debounce(new QTimer(this))
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

void ConfigStore::setRuntimeOverrides(const QJsonObject &overrides)
{
    m_overrides = overrides;
    m_effective = computeEffective(m_fileConfig);
    ++m_revision;
}

QJsonObject ConfigStore::savedConfig() const
{
    return JsonUtil::deepMerge(m_defaults, m_fileConfig, ConfigDefaults::userOwnedMaps());
}

QJsonObject ConfigStore::computeEffective(const QJsonObject &fileConfig) const
{
    const QJsonObject saved =
        JsonUtil::deepMerge(m_defaults, fileConfig, ConfigDefaults::userOwnedMaps());
    return JsonUtil::deepMerge(saved, m_overrides);
}

QByteArray ConfigStore::etag() const
{
    return '"' + m_fileHash + '"';
}

QStringList ConfigStore::validate(const QJsonObject &fileConfig) const
{
    const ConfigValidator validator(m_defaults);
    QStringList errors = validator.validate(
        JsonUtil::deepMerge(m_defaults, fileConfig, ConfigDefaults::userOwnedMaps()));
    // The address actually bound counts, not only the file's: with --host 0.0.0.0 (or
    // CLAWGO_HOST) on a file that says 127.0.0.1, an empty token would open the API to the
    // network.
    const QString boundHost =
        JsonUtil::valueAt(m_overrides, QStringLiteral("gateway.host")).toString().trimmed();
    const QString token =
        JsonUtil::valueAt(fileConfig, QStringLiteral("gateway.token")).toString().trimmed();
    if (!boundHost.isEmpty() && token.isEmpty() && !Hostnames::isLoopback(boundHost))
        errors << QStringLiteral("refusing an empty gateway.token: this gateway listens on %1 "
                                 "(--host or CLAWGO_HOST), where anyone on the network could "
                                 "drive the agent; set a token or bind to 127.0.0.1")
                      .arg(boundHost);
    return errors;
}

bool ConfigStore::load(QString *error)
{
    QFile file(m_path);
    if (!file.exists()) {
        QString dirError;
        if (!Paths::makePrivateDir(configDir(), &dirError)) {
            *error = dirError;
            return false;
        }
        QJsonObject initial = m_defaults;
        JsonUtil::setValueAt(initial, QStringLiteral("gateway.token"),
                             ConfigDefaults::generateToken());
        const QByteArray bytes = JsonUtil::pretty(initial) + '\n';
        if (!writeFile(bytes, error))
            return false;
        m_createdOnLoad = true;
        setFile(initial, bytes);
        qCInfo(lcConfig).noquote() << "created" << m_path << "with default settings";
        watch();
        return true;
    }
    // An existing home (clawgo's, or one made with a loose umask) may be readable by others:
    // it holds tokens and keys.
    Paths::tightenToPrivate(configDir());
    Paths::tightenToPrivate(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(m_path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    QJsonObject parsed;
    QString parseError;
    if (!JsonUtil::parseObject(bytes, &parsed, &parseError)) {
        *error = QStringLiteral("%1 is not valid JSON: %2").arg(m_path, parseError);
        return false;
    }
    const QStringList errors = validate(parsed);
    if (!errors.isEmpty()) {
        *error =
            QStringLiteral("invalid config %1: %2").arg(m_path, errors.join(QLatin1String("; ")));
        return false;
    }
    m_fileConfig = parsed;
    m_fileHash = hashOf(bytes);
    if (!JsonUtil::valueAt(parsed, QStringLiteral("gateway.token")).isString()) {
        // Generated once and saved, never on every load (DESIGN.md, decision 2).
        JsonUtil::setValueAt(parsed, QStringLiteral("gateway.token"),
                             ConfigDefaults::generateToken());
        const QByteArray updated = JsonUtil::pretty(parsed) + '\n';
        if (!writeFile(updated, error))
            return false;
        m_fileConfig = parsed;
        m_fileHash = hashOf(updated);
        qCInfo(lcConfig).noquote() << "generated a gateway token and saved it to" << m_path;
    }
    m_effective = computeEffective(m_fileConfig);
    ++m_revision;
    watch();
    return true;
}

bool ConfigStore::writeFile(const QByteArray &bytes, QString *error)
{
    return AtomicFile::write(m_path, bytes, error);
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

bool ConfigStore::prepare(const PendingSave &save, QJsonObject *config, QByteArray *bytes,
                          SaveResult *result) const
{
    if (!save.ifMatch.isEmpty() && save.ifMatch.trimmed() != "*" &&
        save.ifMatch.trimmed() != etag()) {
        result->status = SaveResult::Conflict;
        result->error = QStringLiteral("config was changed since it was read (ETag mismatch)");
        return false;
    }
    *config = save.change ? save.change(m_fileConfig) : save.config;
    result->errors = validate(*config);
    if (!result->errors.isEmpty()) {
        result->status = SaveResult::Invalid;
        return false;
    }
    *bytes = JsonUtil::pretty(*config) + '\n';
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
        QByteArray bytes;
        SaveResult result;
        if (!prepare(save, &config, &bytes, &result)) {
            finishSave(save, result);
            continue;
        }
        m_writing = true;
        const QByteArray hash = hashOf(bytes);
        m_writingHashes.insert(hash);
        const QString path = m_path;
        Background::run(
            this,
            [path, bytes] {
                QString error;
                const bool ok = AtomicFile::write(path, bytes, &error);
                return qMakePair(ok, error);
            },
            [this, save, config, bytes, hash](const QPair<bool, QString> &written) {
                m_writing = false;
                m_writingHashes.remove(hash);
                SaveResult result;
                if (!written.first) {
                    qCWarning(lcConfig).noquote() << "saving the config failed:" << written.second;
                    result.status = SaveResult::WriteFailed;
                    result.error = QStringLiteral("the config file could not be written");
                } else {
                    adopt(config, bytes, save.source);
                }
                finishSave(save, result);
                startNextSave();
                if (!hasPendingSaves())
                    Q_EMIT savesFinished();
            });
    }
}

void ConfigStore::finishSaves()
{
    // The save under way completes on the pool; its adopt() would need the event loop, but the
    // file is what matters now.
    Background::waitForIo();
    m_writing = false;
    while (!m_saves.isEmpty()) {
        const PendingSave save = m_saves.dequeue();
        QJsonObject config;
        QByteArray bytes;
        SaveResult result;
        if (!prepare(save, &config, &bytes, &result))
            continue;
        QString error;
        if (AtomicFile::write(m_path, bytes, &error))
            setFile(config, bytes);
        else
            qCWarning(lcConfig).noquote() << "saving the config at shutdown failed:" << error;
    }
}

void ConfigStore::setFile(const QJsonObject &fileConfig, const QByteArray &bytes)
{
    m_fileConfig = fileConfig;
    m_fileHash = hashOf(bytes);
    m_effective = computeEffective(m_fileConfig);
    ++m_revision;
}

void ConfigStore::adopt(const QJsonObject &fileConfig, const QByteArray &bytes,
                        const QString &source)
{
    const QJsonObject before = m_effective;
    setFile(fileConfig, bytes);
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
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
}

void ConfigStore::onFileEvent()
{
    watch();
    m_debounce->start();
}

void ConfigStore::reloadFromDisk(const QString &source)
{
    if (m_reading) {
        m_debounce->start(); // look again after the read under way
        return;
    }
    m_reading = true;
    const QString path = m_path;
    Background::run(
        this,
        [path] {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return std::make_tuple(false, QByteArray(), file.errorString());
            return std::make_tuple(true, file.read(16 * 1024 * 1024), QString());
        },
        [this, source](const std::tuple<bool, QByteArray, QString> &read) {
            m_reading = false;
            applyRead(std::get<1>(read), std::get<0>(read), std::get<2>(read), source);
        });
}

void ConfigStore::applyRead(const QByteArray &bytes, bool readOk, const QString &readError,
                            const QString &source)
{
    if (!readOk) {
        // Mid-rename or deleted: nothing to apply; the folder watch will fire again.
        if (source != QLatin1String("watcher"))
            Q_EMIT rejected({QStringLiteral("cannot read the config file: %1").arg(readError)},
                            source);
        return;
    }
    const QByteArray hash = hashOf(bytes);
    if (hash == m_fileHash || m_writingHashes.contains(hash))
        return; // our own write, or a touch without a change
    QJsonObject parsed;
    QString parseError;
    if (!JsonUtil::parseObject(bytes, &parsed, &parseError)) {
        const QString reason = QStringLiteral("config file is not valid JSON: %1").arg(parseError);
        qCWarning(lcConfig).noquote()
            << "ignoring the edited config, keeping the last good one:" << reason;
        Q_EMIT rejected({reason}, source);
        return;
    }
    if (!JsonUtil::valueAt(parsed, QStringLiteral("gateway.token")).isString()) {
        qCWarning(lcConfig) << "the edited config has no gateway.token; keeping the current token";
        JsonUtil::setValueAt(parsed, QStringLiteral("gateway.token"),
                             JsonUtil::valueAt(m_fileConfig, QStringLiteral("gateway.token")));
    }
    const QStringList errors = validate(parsed);
    if (!errors.isEmpty()) {
        qCWarning(lcConfig).noquote() << "ignoring the edited config, keeping the last good one:"
                                      << errors.join(QLatin1String("; "));
        Q_EMIT rejected(errors, source);
        return;
    }
    adopt(parsed, bytes, source);
}
