#pragma once

#include "cronjob.h"

#include <QObject>
#include <QSet>
#include <QTimeZone>
#include <functional>

class CronStore;
class QTimer;

// Runs the jobs of a CronStore when they are due (spec/agent.md §5.4): one timer armed for the
// earliest next run (re-armed whenever the jobs change, and at least every minute so a wall
// clock that jumps or a machine that slept is noticed), at most `max_workers` runs at once, a
// job never overlapping itself, the run bookkeeping, retries with back-off after a failure
// (which a run really reports, unlike the reference), and one-shot `at` jobs disabled after
// their run. Time comes from Clock (injectable). What a run does is the runner's business.
class CronScheduler : public QObject
{
    Q_OBJECT

public:
    struct Settings
    {
        int retryBackoffBaseSec = 30;
        int retryBackoffMaxSec = 1800;
        int maxConsecutiveFailureRetries = 5;
        int maxWorkers = 4;
    };
    // `done(error)` once the run is over; an empty error is success.
    using Runner =
        std::function<void(const CronJob &job, std::function<void(const QString &error)> done)>;

    CronScheduler(CronStore *store, QObject *parent = nullptr);
    void setRunner(Runner runner) { m_runner = std::move(runner); }
    void setSettings(const Settings &settings);
    void setDefaultZone(const QTimeZone &zone) { m_zone = zone; }
    // The longest the timer sleeps before it looks at the clock again (60 s; tests shorten it).
    void setLongestSleepMs(int ms) { m_longestSleepMs = qMax(1, ms); }

    // The next run of `job` strictly after `fromMs` (0: none); `error` when its schedule is
    // not valid (clawgo's texts: "invalid cron expression: …", "invalid one-time schedule").
    qint64 nextRunFor(const CronJob &job, qint64 fromMs, QString *error = nullptr) const;
    // Recomputes every enabled job's next run from now (missed runs are skipped) and arms.
    void start();
    // Starts the jobs that are due now (what the timer does when it fires).
    void runDue();
    // Runs a job now, outside its schedule (the window's "Run now"): the run is recorded like
    // any other, its schedule stays as it was (a failure is not retried). "" or why not (no
    // such job, it runs already).
    QString runNow(const QString &id);
    int runningCount() const { return int(m_running.size()); }
    QSet<QString> runningIds() const { return m_running; }
    bool isRunning(const QString &id) const { return m_running.contains(id); }
    // Milliseconds until the timer fires (-1: not armed).
    int armedInMs() const;

Q_SIGNALS:
    void runStarted(const QString &id);
    void runFinished(const QString &id, const QString &error);

private:
    void arm();
    void finishRun(const QString &id, qint64 startMs, qint64 plannedMs, const QString &error,
                   bool manual = false);

    CronStore *m_store;
    QTimer *m_timer;
    Runner m_runner;
    Settings m_settings;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QSet<QString> m_running;
    bool m_started = false;
    int m_longestSleepMs = 60 * 1000;
};
