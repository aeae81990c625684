#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QStringList>
#include <functional>
#include <optional>

#include "configvault.h"

class QFileSystemWatcher;
class QTimer;
class SecretStore;

// Owns config.json and desktop.json: loads them as one document over the defaults, validates,
// saves atomically (0600, synced), watches both files for outside edits, and tells services
// which sections changed. The one writer of both files in this process; the API and the window
// both go through it. A save splits the document by the key table (configkeys.h): config.json
// keeps only what clawgo knows (and keys unknown to both that were there), so clawgo can still
// load it; our keys go to desktop.json at the same paths. Saves are written on the file pool,
// one after another in the order they were asked for, and applied (changed()) once the disk
// has them; the event loop never waits for the disk.
class ConfigStore : public QObject
{
    Q_OBJECT

public:
    struct SaveResult
    {
        enum Status
        {
            Ok,
            Invalid,
            Conflict,
            WriteFailed
        };
        Status status = Ok;
        QStringList errors; // validation errors (Invalid)
        QString error;      // short reason (Conflict, WriteFailed)
    };

    explicit ConfigStore(const QString &path, QObject *parent = nullptr);

    // Values layered over the file that are never written back (command line, environment),
    // as a partial config object, e.g. {"gateway":{"port":0}}.
    void setRuntimeOverrides(const QJsonObject &overrides);

    // Credentials marked `keychain` in the key table go to this keychain when secrets.keychain
    // is on (configvault.h). Set before load().
    void setSecretStore(SecretStore *store);
    ConfigVault::Status keychainStatus() const { return m_vault->status(m_fileConfig); }
    SecretStore *secretStore() const { return m_vault->secretStore(); }
    ConfigVault::Storage secretStorage(const QString &address) const
    {
        return m_vault->storageOf(address);
    }

    // Reads the file, creating it (and its folder, 0700) from the defaults on first run.
    // Fails with a readable reason when the file is unreadable, not JSON, or invalid.
    bool load(QString *error);
    bool createdOnLoad() const { return m_createdOnLoad; }

    QString path() const { return m_path; }
    QString desktopPath() const;
    QString configDir() const;
    QJsonObject defaults() const { return m_defaults; }
    // The two files as one document, without defaults.
    QJsonObject fileConfig() const { return m_fileConfig; }
    // Defaults merged with the file: what the API shows and what a save writes.
    QJsonObject savedConfig() const;
    // savedConfig() with the runtime overrides on top: what services run with.
    QJsonObject effective() const { return m_effective; }
    QByteArray etag() const;
    // Bumped whenever the effective config changes; lets readers cache what they derive.
    quint64 revision() const { return m_revision; }

    QStringList validate(const QJsonObject &fileConfig) const;
    using SaveCallback = std::function<void(const SaveResult &)>;
    // Replaces the file with `fileConfig`, after the saves already asked for. `ifMatch` (an
    // ETag) is checked against the config as it is when this save's turn comes, and guards
    // against lost updates. On success emits changed() with `source`, then calls `done` (on this
    // thread, unless `context` is gone by then).
    void save(const QJsonObject &fileConfig, const QString &source, const QByteArray &ifMatch,
              QObject *context, SaveCallback done);
    // A change computed from the file's content when this save's turn comes (never from a
    // stale copy): what a service that owns one section uses.
    using Change = std::function<QJsonObject(const QJsonObject &fileConfig)>;
    void update(const QString &source, Change change, QObject *context = nullptr,
                SaveCallback done = {});
    bool hasPendingSaves() const { return m_writing || !m_saves.isEmpty(); }
    // Shutdown: writes every save asked for before returning (blocking; never on a live loop).
    void finishSaves();

    // Re-reads the file after an outside edit or SIGHUP; an invalid file keeps the last good
    // config and emits rejected().
    void reloadFromDisk(const QString &source);
    void setDebounceInterval(int milliseconds);

Q_SIGNALS:
    void changed(const QStringList &sections, const QString &source);
    void rejected(const QStringList &errors, const QString &source);

Q_SIGNALS:
    void savesFinished(); // the queue of saves ran empty
    void keychainStatusChanged();

private:
    struct PendingSave
    {
        QJsonObject config; // whole file (save) …
        Change change;      // … or a change of the file as it will be (update)
        QString source;
        QByteArray ifMatch;
        QPointer<QObject> context;
        bool hasContext = false;
        SaveCallback done;
    };
    // The bytes of both files for a document; desktop.json's are empty when it need not exist.
    struct FileBytes
    {
        QByteArray config;
        QByteArray desktop;
        QStringList markers;      // credentials the files leave to the keychain
        bool configFirst = false; // markers go away: config.json must hold the values first
        // Content equal to what is on disk: not written, so a hand-formatted file keeps its
        // form (clawgo's file is touched only when something of clawgo's changes).
        bool configUnchanged = false;
        bool desktopUnchanged = false;
        QByteArray hash() const;
    };
    void enqueue(PendingSave save, const QString &source, QObject *context, SaveCallback done);
    void startNextSave();
    // The document a save would write, or a failed result (conflict, invalid).
    bool prepare(const PendingSave &save, QJsonObject *config, SaveResult *result) const;
    void writeSave(const PendingSave &save, const QJsonObject &config);
    void finishSave(const PendingSave &save, const SaveResult &result);
    void onFileEvent();
    void watch();
    FileBytes serialize(const QJsonObject &document) const;
    static bool writeFiles(const QString &configPath, const QString &desktopPath,
                           const FileBytes &bytes, QString *error);
    bool writeNow(const QJsonObject &document, QString *error);
    struct ReadFiles
    {
        bool ok = false;
        QString error;
        FileBytes bytes;
    };
    static ReadFiles readFiles(const QString &configPath, const QString &desktopPath);
    // The document of both files, or false with a reason. `markers` are the credentials the
    // files leave to the keychain (taken out of the document).
    bool parseFiles(const FileBytes &bytes, QJsonObject *document, QSet<QString> *fromDesktop,
                    QStringList *markers, QString *error) const;
    void resolveSecrets();
    void moveSecretsIfWanted();
    void applyRead(const ReadFiles &read, const QString &source);
    void setFile(const QJsonObject &fileConfig, const QByteArray &hash);
    void adopt(const QJsonObject &fileConfig, const QByteArray &hash, const QString &source);
    QJsonObject computeEffective(const QJsonObject &fileConfig) const;

    QString m_path;
    QJsonObject m_defaults;
    QJsonObject m_overrides;
    QJsonObject m_fileConfig;
    QJsonObject m_effective;
    QByteArray m_fileHash;
    QSet<QString> m_unknownFromDesktop; // unknown keys desktop.json holds: they stay there
    ConfigVault *m_vault;
    QStringList m_markersOnDisk;
    FileBytes m_onDisk; // the files as last read or written
    // A save waiting for the keychain before its files are written (written at shutdown).
    std::optional<std::pair<PendingSave, QJsonObject>> m_storing;
    bool m_createdOnLoad = false;
    quint64 m_revision = 0;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_debounce = nullptr;
    QQueue<PendingSave> m_saves;
    bool m_writing = false;
    QSet<QByteArray> m_writingHashes; // our own writes under way: not outside edits
    bool m_reading = false;
};
