#pragma once

#include "cronjob.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <memory>
#include <optional>

class QFileSystemWatcher;
class QTimer;
namespace Background {
class SerialQueue;
}

// `<dir>/cron/jobs.json`, shared with clawgo's CLI (which writes the same file with its own
// copy). Unlike the reference, the file is watched: an outside edit is read again and merged
// job by job with ours (a job we changed since keeps our change, every other job takes the
// file's), and every save of ours reads the file first and merges the same way, so an outside
// change is never lost to a save of ours. Writes are atomic, 0600 in a 0700 folder, one at a
// time. Lives on the gateway thread; disk work runs on the file pool.
class CronStore : public QObject
{
    Q_OBJECT

public:
    explicit CronStore(const QString &path, QObject *parent = nullptr);
    ~CronStore() override;

    QString path() const { return m_path; }
    // Reads the file (a missing one is an empty list); loaded() follows.
    void load();
    bool isLoaded() const { return m_loaded; }
    QString lastError() const { return m_lastError; }
    QList<CronJob> jobs() const { return m_jobs; }
    std::optional<CronJob> job(const QString &id) const;
    // Adds or replaces a job, saved shortly after.
    void upsert(const CronJob &job);
    // The same for many at once, with one changed() (the scheduler's start with 10 000 jobs).
    void upsertAll(const QList<CronJob> &jobs);
    bool remove(const QString &id);
    // How long changes gather before a save, and an outside edit before it is read.
    void setDelays(int saveMs, int reloadMs);
    // No save pending or under way.
    bool idle() const;
    // Waits for the writes asked for so far (shutdown, tests).
    void flush();

Q_SIGNALS:
    void loaded();
    void changed(); // the jobs changed: ours, or an outside edit merged in
    // The file could not be read (the jobs we had stay) or written; lastError() says the same.
    void failed(const QString &error);

private:
    void read(std::function<void(bool ok, const QList<CronJob> &disk)> done);
    // The file's jobs over ours, except those we changed since the last sync.
    void merge(const QList<CronJob> &disk);
    void save();
    void watch();

    QString m_path;
    bool m_loaded = false;
    QString m_lastError;
    QList<CronJob> m_jobs;
    void put(const CronJob &job);
    void reindex();
    QHash<QString, qsizetype> m_index; // position in m_jobs by id
    QSet<QString> m_synced;            // ids in the file as last read or written
    QHash<QString, quint64> m_changed; // ids we added or changed since (at which change)
    quint64 m_changeCount = 0;
    QSet<QString> m_removed; // ids we removed since
    bool m_saving = false;
    bool m_saveAgain = false;
    QFileSystemWatcher *m_watcher;
    QTimer *m_saveTimer;
    QTimer *m_reloadTimer;
    std::unique_ptr<Background::SerialQueue> m_writes;
};
