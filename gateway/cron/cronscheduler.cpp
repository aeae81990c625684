#include "cronscheduler.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "cronexpression.h"
#include "cronstore.h"

#include <QPointer>
#include <QTimer>
#include <algorithm>

CronScheduler::CronScheduler(CronStore *store, QObject *parent)
    : QObject(parent), m_store(store), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &CronScheduler::runDue);
    connect(m_store, &CronStore::changed, this, [this] {
        if (m_started)
            arm();
    });
}

void CronScheduler::setSettings(const Settings &settings)
{
    m_settings = settings;
    m_settings.maxWorkers = qMax(1, settings.maxWorkers);
    if (m_started)
        runDue(); // a larger pool starts what waited
}

qint64 CronScheduler::nextRunFor(const CronJob &job, qint64 fromMs, QString *error) const
{
    if (job.schedule.kind == QLatin1String("at")) {
        if (job.schedule.atMs <= fromMs) {
            if (error)
                *error = QStringLiteral("invalid one-time schedule");
            return 0;
        }
        return job.schedule.atMs;
    }
    if (job.schedule.expr.trimmed().isEmpty()) {
        if (error)
            *error = QStringLiteral("cron expression is required");
        return 0;
    }
    QString why;
    const auto expression = CronExpression::parse(job.effectiveExpression(), m_zone, &why);
    if (!expression) {
        if (error)
            *error = QStringLiteral("invalid cron expression: %1").arg(why);
        return 0;
    }
    const QDateTime next = expression->next(QDateTime::fromMSecsSinceEpoch(fromMs, m_zone));
    return next.isValid() ? next.toMSecsSinceEpoch() : 0;
}

void CronScheduler::start()
{
    m_started = true;
    const qint64 now = Clock::nowMs();
    QList<CronJob> moved;
    for (CronJob job : m_store->jobs()) {
        if (!job.enabled)
            continue;
        // Missed runs while stopped are skipped; a past one-time job waits, enabled, as in
        // the reference.
        const qint64 next = nextRunFor(job, now);
        if (job.state.nextRunAtMs != next) {
            job.state.nextRunAtMs = next;
            moved << job;
        }
    }
    m_store->upsertAll(moved); // one change for all of them
    arm();
}

void CronScheduler::arm()
{
    qint64 earliest = 0;
    for (const CronJob &job : m_store->jobs())
        if (job.enabled && job.state.nextRunAtMs > 0 && !m_running.contains(job.id))
            earliest =
                earliest == 0 ? job.state.nextRunAtMs : qMin(earliest, job.state.nextRunAtMs);
    // Nothing to wake for: no job, or every worker busy (a finished run calls runDue()).
    if (earliest == 0 || m_running.size() >= m_settings.maxWorkers) {
        m_timer->stop();
        return;
    }
    // The timer never sleeps longer than a minute: a wall clock that jumps (or a machine that
    // slept, whose monotonic timers stood still) is noticed within it, without a polling loop.
    const qint64 wait = std::clamp<qint64>(earliest - Clock::nowMs(), 0, m_longestSleepMs);
    m_timer->start(int(wait));
}

int CronScheduler::armedInMs() const
{
    return m_timer->isActive() ? m_timer->remainingTime() : -1;
}

void CronScheduler::runDue()
{
    if (!m_started || !m_runner)
        return;
    const qint64 now = Clock::nowMs();
    QList<CronJob> due;
    for (const CronJob &job : m_store->jobs())
        if (job.enabled && job.state.nextRunAtMs > 0 && job.state.nextRunAtMs <= now &&
            !m_running.contains(job.id))
            due << job;
    // The most overdue first; the rest wait for a free worker.
    std::sort(due.begin(), due.end(), [](const CronJob &a, const CronJob &b) {
        return a.state.nextRunAtMs < b.state.nextRunAtMs;
    });
    for (const CronJob &listed : std::as_const(due)) {
        if (m_running.size() >= m_settings.maxWorkers)
            break;
        // A run that finished at once (inside this loop) may have moved the job on already.
        const std::optional<CronJob> current = m_store->job(listed.id);
        if (!current || !current->enabled || current->state.nextRunAtMs <= 0 ||
            current->state.nextRunAtMs > Clock::nowMs() || m_running.contains(listed.id))
            continue;
        const CronJob &job = *current;
        m_running.insert(job.id);
        const qint64 start = Clock::nowMs();
        const qint64 planned = job.state.nextRunAtMs;
        qCInfo(lcCron).noquote() << "running job" << job.id << job.name;
        Q_EMIT runStarted(job.id);
        QPointer<CronScheduler> self(this);
        m_runner(job, [self, id = job.id, start, planned](const QString &error) {
            if (self)
                self->finishRun(id, start, planned, error);
        });
    }
    arm();
}

QString CronScheduler::runNow(const QString &id)
{
    const std::optional<CronJob> job = m_store->job(id);
    if (!job)
        return QStringLiteral("job not found: %1").arg(id);
    if (!m_runner)
        return QStringLiteral("the scheduler has not started");
    if (m_running.contains(id))
        return QStringLiteral("the job is running already");
    m_running.insert(id);
    const qint64 start = Clock::nowMs();
    qCInfo(lcCron).noquote() << "running job" << id << job->name << "now, as asked";
    Q_EMIT runStarted(id);
    QPointer<CronScheduler> self(this);
    m_runner(*job, [self, id, start](const QString &error) {
        if (self)
            self->finishRun(id, start, start, error, true);
    });
    return QString();
}

void CronScheduler::finishRun(const QString &id, qint64 startMs, qint64 plannedMs,
                              const QString &error, bool manual)
{
    if (!m_running.remove(id))
        return; // answered twice
    std::optional<CronJob> current = m_store->job(id);
    if (current && (current->enabled || manual)) {
        CronJob job = *current;
        const qint64 now = Clock::nowMs();
        job.state.lastRunAtMs = startMs;
        job.state.lastDurationMs = qMax<qint64>(0, now - startMs);
        job.state.lastScheduleDelayMs = qMax<qint64>(0, startMs - plannedMs);
        ++job.state.totalRuns;
        if (error.isEmpty()) {
            job.state.lastStatus = QStringLiteral("ok");
            job.state.lastError.clear();
            job.state.consecutiveFailures = 0;
        } else {
            job.state.lastStatus = QStringLiteral("error");
            job.state.lastError = error.left(2000);
            ++job.state.totalFailures;
            ++job.state.consecutiveFailures;
        }
        if (manual) {
            // Outside the schedule: the schedule stays as it was.
        } else if (!error.isEmpty() &&
                   job.state.consecutiveFailures <= m_settings.maxConsecutiveFailureRetries) {
            // Back-off: base × 2^(failures − 1), at most the cap.
            const int shift = int(qMin<qint64>(job.state.consecutiveFailures - 1, 30));
            const qint64 seconds = qMin<qint64>(qint64(m_settings.retryBackoffBaseSec) << shift,
                                                m_settings.retryBackoffMaxSec);
            job.state.nextRunAtMs = now + seconds * 1000;
        } else if (job.schedule.kind == QLatin1String("at")) {
            job.enabled = false;
            job.state.nextRunAtMs = 0;
            if (job.deleteAfterRun) {
                m_store->remove(id);
                Q_EMIT runFinished(id, error);
                return arm();
            }
        } else {
            // The next occurrence after now: runs missed while this one ran are skipped.
            job.state.nextRunAtMs = nextRunFor(job, now);
        }
        m_store->upsert(job);
    }
    Q_EMIT runFinished(id, error);
    runDue(); // a free worker takes what waited
}
