// Cron with 10 000 jobs (bench/README.md): reading jobs.json and computing every next run, a
// change through the service, a save, and what an idle gateway does between runs (CPU time and
// timer wake-ups over a quiet stretch, with no job due in it).

#include "benchsupport.h"
#include "core/clock.h"
#include "cron/cronexpression.h"
#include "cron/cronjob.h"
#include "cron/cronscheduler.h"
#include "cron/cronstore.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <sys/resource.h>

namespace {

double cpuMs()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

// Jobs of every kind whose runs are all at least `quietMinutes` away from now.
QList<CronJob> makeJobs(int count, int quietMinutes)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QStringList zones{"", "Asia/Shanghai", "Europe/Berlin", "America/New_York"};
    QRandomGenerator random(42);
    QList<CronJob> jobs;
    for (int i = 0; i < count; ++i) {
        CronJob job;
        job.id = QString::number(1795000000000000000LL + i);
        job.name = QStringLiteral("job %1").arg(i);
        job.enabled = true;
        job.payload.message = QStringLiteral("Check item %1").arg(i);
        job.createdAtMs = job.updatedAtMs = now.toMSecsSinceEpoch();
        job.schedule.kind = QStringLiteral("cron");
        if (i % 6 != 3 && i % 6 != 4)
            job.schedule.tz = zones.at(i % zones.size());
        // Daily, weekly and monthly times in the hours after the quiet stretch, in the job's zone.
        const QDateTime zoned =
            job.schedule.tz.isEmpty() ? now : now.toTimeZone(QTimeZone(job.schedule.tz.toUtf8()));
        const QTime at = zoned.time().addSecs(60 * (quietMinutes + 1 + int(random.bounded(600))));
        const QString time = QStringLiteral("%1 %2").arg(at.minute()).arg(at.hour());
        switch (i % 6) {
        case 0:
            job.schedule.expr = time + QStringLiteral(" * * *");
            break;
        case 1:
            job.schedule.expr = time + QStringLiteral(" * * 1-5");
            break;
        case 2:
            job.schedule.expr = time + QStringLiteral(" 1,15 * *");
            break;
        case 3:
            job.schedule.expr = QStringLiteral("@every %1h").arg(1 + i % 24);
            break;
        case 4:
            job.schedule.kind = QStringLiteral("at");
            job.schedule.atMs = now.toMSecsSinceEpoch() + qint64(quietMinutes + 1 + i) * 60000;
            break;
        default:
            job.schedule.expr = time + QStringLiteral(" * * MON");
            break;
        }
        jobs << job;
    }
    return jobs;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? atoi(argv[1]) : 10000;
    const int idleSeconds = argc > 2 ? atoi(argv[2]) : 20;
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("cron/jobs.json"));
    QDir().mkpath(home.filePath(QStringLiteral("cron")));
    {
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(CronJobs::serialize(makeJobs(count, 5)));
    }
    std::printf("%d jobs, jobs.json %lld KiB\n", count, QFileInfo(path).size() / 1024);
    {
        // The two halves of computing next runs: parsing the expressions, walking to the next.
        const QList<CronJob> jobs = makeJobs(count, 5);
        const QTimeZone local = QTimeZone::systemTimeZone();
        QList<CronExpression> parsed;
        qint64 start = Bench::nowNs();
        for (const CronJob &job : jobs)
            if (job.schedule.kind == QLatin1String("cron"))
                if (auto expression =
                        CronExpression::parse(job.effectiveExpression(), local, nullptr))
                    parsed << *expression;
        const qint64 parsedAt = Bench::nowNs();
        const QDateTime now = QDateTime::currentDateTime();
        int valid = 0;
        for (const CronExpression &expression : parsed)
            valid += expression.next(now.toTimeZone(expression.zone())).isValid();
        std::printf("parse %.1f ms, next %.1f ms (%d expressions)\n", (parsedAt - start) / 1e6,
                    (Bench::nowNs() - parsedAt) / 1e6, valid);
    }

    for (int run = 1; run <= 5; ++run) {
        CronStore store(path);
        CronScheduler scheduler(&store);
        scheduler.setRunner(
            [](const CronJob &, std::function<void(const QString &)> done) { done(QString()); });
        const qint64 start = Bench::nowNs();
        qint64 loadedAt = 0;
        QObject::connect(&store, &CronStore::loaded, [&] {
            loadedAt = Bench::nowNs();
            scheduler.start();
        });
        store.load();
        Bench::spin([&] { return loadedAt > 0; }, 30000);
        const qint64 startedAt = Bench::nowNs();
        qint64 armed = 0;
        for (const CronJob &job : store.jobs())
            armed += job.state.nextRunAtMs > 0;
        std::printf("run %d: read %.1f ms, next runs %.1f ms, total %.1f ms (%lld with a next "
                    "run, timer in %d s)\n",
                    run, (loadedAt - start) / 1e6, (startedAt - loadedAt) / 1e6,
                    (startedAt - start) / 1e6, armed, scheduler.armedInMs() / 1000);
        // One change, as /api/cron makes it, and the save it causes.
        CronJob changed = store.jobs().first();
        changed.name = QStringLiteral("renamed");
        const qint64 upsertStart = Bench::nowNs();
        store.upsert(changed);
        const qint64 upsertEnd = Bench::nowNs();
        Bench::spin([&] { return store.idle(); }, 30000);
        std::printf("        one change %.2f ms on the loop; saved %.1f ms later\n",
                    (upsertEnd - upsertStart) / 1e6, (Bench::nowNs() - upsertEnd) / 1e6);
        store.flush();
    }

    // Idle: CPU time and event-loop wake-ups over a stretch with nothing due.
    CronStore store(path);
    CronScheduler scheduler(&store);
    int runs = 0;
    scheduler.setRunner([&runs](const CronJob &, std::function<void(const QString &)> done) {
        ++runs;
        done(QString());
    });
    QObject::connect(&store, &CronStore::loaded, &scheduler, &CronScheduler::start);
    store.load();
    Bench::spin([&] { return store.isLoaded() && store.idle(); }, 30000);
    Bench::spin([] { return false; }, 500); // the start's save is written
    int wakeups = 0;
    QObject::connect(QAbstractEventDispatcher::instance(), &QAbstractEventDispatcher::awake,
                     [&wakeups] { ++wakeups; });
    const double cpuBefore = cpuMs();
    QTimer::singleShot(idleSeconds * 1000, &app, &QCoreApplication::quit);
    app.exec();
    std::printf("idle %d s: %.1f ms CPU, %d event-loop wake-ups, %d runs\n", idleSeconds,
                cpuMs() - cpuBefore, wakeups, runs);
    return 0;
}
