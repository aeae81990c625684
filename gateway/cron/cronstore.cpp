#include "cronstore.h"

#include "core/atomicfile.h"
#include "core/background.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "core/safefile.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QTimer>

namespace {

constexpr qint64 kFileCap = 16 * 1024 * 1024;

struct DiskRead
{
    bool ok = true;
    QList<CronJob> jobs;
    QString error;
};

} // namespace

CronStore::CronStore(const QString &path, QObject *parent)
    : QObject(parent), m_path(path), m_watcher(new QFileSystemWatcher(this)),
      m_saveTimer(new QTimer(this)), m_reloadTimer(new QTimer(this)),
      m_writes(std::make_unique<Background::SerialQueue>())
{
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(200);
    connect(m_saveTimer, &QTimer::timeout, this, &CronStore::save);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(300);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] {
        read([this](bool ok, const QList<CronJob> &disk) {
            if (ok)
                merge(disk);
            watch();
        });
    });
    // An editor or clawgo replaces the file (rename): the folder says so too.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_reloadTimer,
            qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_reloadTimer,
            qOverload<>(&QTimer::start));
}

CronStore::~CronStore() = default; // the write queue finishes first

void CronStore::setDelays(int saveMs, int reloadMs)
{
    m_saveTimer->setInterval(saveMs);
    m_reloadTimer->setInterval(reloadMs);
}

bool CronStore::idle() const
{
    return !m_saving && !m_saveTimer->isActive();
}

void CronStore::flush()
{
    m_writes->waitForIdle();
}

void CronStore::watch()
{
    const QString folder = QFileInfo(m_path).absolutePath();
    if (QFileInfo::exists(folder) && !m_watcher->directories().contains(folder))
        m_watcher->addPath(folder);
    // The file's own watch goes when it is replaced (an atomic write): it comes back here.
    if (QFileInfo::exists(m_path) && !m_watcher->files().contains(m_path))
        m_watcher->addPath(m_path);
}

void CronStore::read(std::function<void(bool ok, const QList<CronJob> &disk)> done)
{
    Background::run(
        this,
        [path = m_path] {
            DiskRead result;
            const SafeFile::ReadResult bytes = SafeFile::read(path, kFileCap);
            if (bytes.status == SafeFile::Status::NotFound)
                return result; // no jobs yet
            if (!bytes.ok()) {
                result.ok = false;
                result.error = QStringLiteral("jobs.json cannot be read: %1")
                                   .arg(SafeFile::describe(bytes.status));
                return result;
            }
            result.ok = CronJobs::parse(bytes.data, &result.jobs, &result.error);
            return result;
        },
        [this, done](const DiskRead &result) {
            if (!result.ok) {
                // A file edited into garbage keeps what we had; the next good edit comes in.
                m_lastError = result.error;
                qCWarning(lcCron).noquote() << result.error;
                Q_EMIT failed(result.error);
            } else {
                m_lastError.clear();
            }
            done(result.ok, result.jobs);
        });
}

void CronStore::load()
{
    // The folder exists from the start, so its watch sees clawgo's first jobs.json (written
    // as a temporary file renamed into place).
    Background::run(
        this, [folder = QFileInfo(m_path).absolutePath()] { return Paths::makePrivateDir(folder); },
        [this](bool) { watch(); });
    read([this](bool ok, const QList<CronJob> &disk) {
        if (ok) {
            m_jobs = disk;
            reindex();
            m_synced.clear();
            for (const CronJob &job : disk)
                m_synced.insert(job.id);
        }
        m_loaded = true;
        watch();
        Q_EMIT loaded();
        Q_EMIT changed();
    });
}

void CronStore::reindex()
{
    m_index.clear();
    m_index.reserve(m_jobs.size());
    for (qsizetype i = 0; i < m_jobs.size(); ++i)
        m_index.insert(m_jobs.at(i).id, i); // a duplicate id: the last one, as upsert() replaces
}

std::optional<CronJob> CronStore::job(const QString &id) const
{
    const auto found = m_index.constFind(id);
    if (found == m_index.cend())
        return std::nullopt;
    return m_jobs.at(*found);
}

void CronStore::put(const CronJob &jobIn)
{
    CronJob job = jobIn;
    job.normalize();
    const auto found = m_index.constFind(job.id);
    if (found != m_index.cend()) {
        m_jobs[*found] = job;
    } else {
        m_index.insert(job.id, m_jobs.size());
        m_jobs.append(job);
    }
    m_changed.insert(job.id, ++m_changeCount);
    m_removed.remove(job.id);
}

void CronStore::upsert(const CronJob &job)
{
    put(job);
    m_saveTimer->start();
    Q_EMIT changed();
}

void CronStore::upsertAll(const QList<CronJob> &jobs)
{
    if (jobs.isEmpty())
        return;
    for (const CronJob &job : jobs)
        put(job);
    m_saveTimer->start();
    Q_EMIT changed();
}

bool CronStore::remove(const QString &id)
{
    const qsizetype before = m_jobs.size();
    m_jobs.removeIf([&id](const CronJob &job) { return job.id == id; });
    if (m_jobs.size() == before)
        return false;
    reindex();
    m_changed.remove(id);
    m_removed.insert(id);
    m_saveTimer->start();
    Q_EMIT changed();
    return true;
}

void CronStore::merge(const QList<CronJob> &disk)
{
    QHash<QString, CronJob> onDisk;
    for (const CronJob &job : disk)
        onDisk.insert(job.id, job);
    QList<CronJob> merged;
    QSet<QString> kept;
    bool differs = false;
    for (const CronJob &job : std::as_const(m_jobs)) {
        if (m_changed.contains(job.id)) { // ours since the last sync
            merged << job;
        } else if (onDisk.contains(job.id)) {
            const CronJob &theirs = onDisk.value(job.id);
            differs = differs || !(theirs == job);
            merged << theirs;
        } else if (!m_synced.contains(job.id)) { // ours, never written yet
            merged << job;
        } else {
            differs = true; // removed outside
            continue;
        }
        kept.insert(job.id);
    }
    for (const CronJob &job : disk)
        if (!kept.contains(job.id) && !m_removed.contains(job.id)) {
            merged << job; // added outside
            kept.insert(job.id);
            differs = true;
        }
    m_jobs = merged;
    reindex();
    m_synced.clear();
    for (const CronJob &job : disk)
        m_synced.insert(job.id);
    if (differs) {
        qCInfo(lcCron).noquote() << "jobs.json was changed outside; merged";
        Q_EMIT changed();
    }
}

void CronStore::save()
{
    if (m_saving) {
        m_saveAgain = true;
        return;
    }
    m_saving = true;
    // The file as it is now first: what someone else wrote since is merged, never overwritten.
    read([this](bool ok, const QList<CronJob> &disk) {
        if (ok)
            merge(disk);
        const QList<CronJob> jobs = m_jobs;
        const QHash<QString, quint64> changed = m_changed;
        const QSet<QString> removed = m_removed;
        CronStore *self = this; // its queue finishes before it goes; the answer is posted
        m_writes->post([self, path = m_path, jobs, changed, removed] {
            const QByteArray bytes = CronJobs::serialize(jobs); // 10 000 jobs: not on the loop
            const QString folder = QFileInfo(path).absolutePath();
            QString error;
            if (Paths::makePrivateDir(folder, &error))
                AtomicFile::write(path, bytes, &error);
            QMetaObject::invokeMethod(
                self,
                [self, error, jobs, changed, removed] {
                    self->m_saving = false;
                    if (!error.isEmpty()) {
                        self->m_lastError = error;
                        qCWarning(lcCron).noquote() << "cannot save jobs.json:" << error;
                        Q_EMIT self->failed(QStringLiteral("cannot save jobs.json: ") + error);
                    } else {
                        self->m_synced.clear();
                        for (const CronJob &job : jobs)
                            self->m_synced.insert(job.id);
                        // Saved, unless changed again while the write was under way.
                        for (auto it = changed.begin(); it != changed.end(); ++it)
                            if (self->m_changed.value(it.key()) == it.value())
                                self->m_changed.remove(it.key());
                        for (const QString &id : removed)
                            if (!self->m_changed.contains(id))
                                self->m_removed.remove(id);
                    }
                    self->watch();
                    if (std::exchange(self->m_saveAgain, false))
                        self->save();
                },
                Qt::QueuedConnection);
        });
    });
}
