// The cron expression dialect of clawgo's jobs (robfig/cron v3, spec/agent.md §5.3): next run
// times for every kind of field, descriptors, @every, time zones and both daylight-saving
// changes, robfig's error messages, and Go's duration syntax; the jobs file's format.

#include "core/clock.h"
#include "cron/cronexpression.h"
#include "cron/cronjob.h"
#include "cron/cronscheduler.h"
#include "cron/cronstore.h"
#include "cron/heartbeat.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

class TestCron : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextRuns_data();
    void nextRuns();
    void daylightSavingAsRobfig();
    void refused_data();
    void refused();
    void goDurations_data();
    void goDurations();
    void jobSchedulesNormalize_data();
    void jobSchedulesNormalize();
    void jobsFileRoundTrip();
    void jobsFileRefused();
    void storeMergesOutsideEdits();
    void schedulerRunsDueJobsAndKeepsBooks();
    void schedulerLimitsWorkersAndNeverOverlaps();
    void schedulerNoticesClockJumps();
    void heartbeatTasks_data();
    void heartbeatTasks();
};

void TestCron::nextRuns_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("after");    // ISO 8601, UTC
    QTest::addColumn<QString>("expected"); // ISO 8601, UTC; empty: never
    QTest::addColumn<QString>("zone");     // the default zone (the host's)
    // 2026-11-29 is a Sunday.
    QTest::newRow("every minute") << "* * * * *"
                                  << "2026-11-29T10:15:30Z"
                                  << "2026-11-29T10:16:00Z"
                                  << "UTC";
    QTest::newRow("strictly after") << "*/15 * * * *"
                                    << "2026-11-29T10:15:00Z"
                                    << "2026-11-29T10:30:00Z"
                                    << "UTC";
    QTest::newRow("weekdays by range") << "0 9 * * 1-5"
                                       << "2026-11-27T10:00:00Z"
                                       << "2026-11-30T09:00:00Z"
                                       << "UTC";
    QTest::newRow("list of days") << "0 0 1,15 * *"
                                  << "2026-11-29T00:00:00Z"
                                  << "2026-12-01T00:00:00Z"
                                  << "UTC";
    QTest::newRow("dom or dow when both are set") << "0 12 13 * FRI"
                                                  << "2026-11-01T00:00:00Z"
                                                  << "2026-11-06T12:00:00Z"
                                                  << "UTC";
    QTest::newRow("dom alone") << "0 12 13 * *"
                               << "2026-11-01T00:00:00Z"
                               << "2026-11-13T12:00:00Z"
                               << "UTC";
    QTest::newRow("question mark") << "0 0 ? * SUN"
                                   << "2026-11-28T12:00:00Z"
                                   << "2026-11-29T00:00:00Z"
                                   << "UTC";
    QTest::newRow("step from a start") << "5/20 * * * *"
                                       << "2026-11-29T10:26:00Z"
                                       << "2026-11-29T10:45:00Z"
                                       << "UTC";
    QTest::newRow("range with step") << "10-40/15 * * * *"
                                     << "2026-11-29T10:26:00Z"
                                     << "2026-11-29T10:40:00Z"
                                     << "UTC";
    QTest::newRow("month names, any case") << "0 0 1 jan-MAR *"
                                           << "2026-11-29T00:00:00Z"
                                           << "2027-01-01T00:00:00Z"
                                           << "UTC";
    QTest::newRow("never (Feb 30)") << "0 0 30 2 *"
                                    << "2026-11-29T00:00:00Z"
                                    << ""
                                    << "UTC";
    QTest::newRow("hourly") << "@hourly"
                            << "2026-11-29T10:15:30Z"
                            << "2026-11-29T11:00:00Z"
                            << "UTC";
    QTest::newRow("daily") << "@daily"
                           << "2026-11-29T10:15:30Z"
                           << "2026-11-30T00:00:00Z"
                           << "UTC";
    QTest::newRow("midnight") << "@midnight"
                              << "2026-11-29T00:00:00Z"
                              << "2026-11-30T00:00:00Z"
                              << "UTC";
    QTest::newRow("weekly") << "@weekly"
                            << "2026-11-29T00:00:00Z"
                            << "2026-12-06T00:00:00Z"
                            << "UTC";
    QTest::newRow("monthly") << "@monthly"
                             << "2026-11-29T00:00:00Z"
                             << "2026-12-01T00:00:00Z"
                             << "UTC";
    QTest::newRow("yearly") << "@yearly"
                            << "2026-11-29T00:00:00Z"
                            << "2027-01-01T00:00:00Z"
                            << "UTC";
    QTest::newRow("annually") << "@annually"
                              << "2026-11-29T00:00:00Z"
                              << "2027-01-01T00:00:00Z"
                              << "UTC";
    QTest::newRow("every 90s from a fraction") << "@every 90s"
                                               << "2026-11-29T10:15:30.500Z"
                                               << "2026-11-29T10:17:00Z"
                                               << "UTC";
    QTest::newRow("every 1h30m") << "@every 1h30m"
                                 << "2026-11-29T10:00:00Z"
                                 << "2026-11-29T11:30:00Z"
                                 << "UTC";
    QTest::newRow("every under a second is one second") << "@every 10ms"
                                                        << "2026-11-29T10:00:00Z"
                                                        << "2026-11-29T10:00:01Z"
                                                        << "UTC";
    QTest::newRow("CRON_TZ") << "CRON_TZ=Asia/Shanghai 0 9 * * *"
                             << "2026-11-29T00:00:00Z"
                             << "2026-11-29T01:00:00Z"
                             << "UTC";
    QTest::newRow("TZ") << "TZ=America/New_York 30 8 * * MON"
                        << "2026-11-29T00:00:00Z"
                        << "2026-11-30T13:30:00Z"
                        << "UTC";
    QTest::newRow("zone with a descriptor") << "CRON_TZ=Asia/Tokyo @daily"
                                            << "2026-11-29T00:00:00Z"
                                            << "2026-11-29T15:00:00Z"
                                            << "UTC";
    QTest::newRow("default zone") << "0 9 * * *"
                                  << "2026-11-29T00:00:00Z"
                                  << "2026-11-29T08:00:00Z"
                                  << "Europe/Berlin"; // Europe/Berlin, +01:00
}

void TestCron::nextRuns()
{
    QFETCH(QString, spec);
    QFETCH(QString, after);
    QFETCH(QString, expected);
    QFETCH(QString, zone);
    QString error;
    const auto expression = CronExpression::parse(spec, QTimeZone(zone.toUtf8()), &error);
    QVERIFY2(expression, qPrintable(error));
    const QDateTime next = expression->next(QDateTime::fromString(after, Qt::ISODateWithMs));
    if (expected.isEmpty()) {
        QVERIFY2(!next.isValid(), qPrintable(next.toString(Qt::ISODate)));
        return;
    }
    QCOMPARE(next.toUTC(), QDateTime::fromString(expected, Qt::ISODate));
}

// A 02:30 job in Berlin (robfig/cron v3's behaviour, which clawgo users' jobs already have):
// on 2026-03-29 02:30 does not exist (02:00 CET → 03:00 CEST) and the day is skipped; on
// 2026-10-25 it exists twice (03:00 CEST → 02:00 CET) and the job runs twice. New York the same.
void TestCron::daylightSavingAsRobfig()
{
    QString error;
    const auto job = CronExpression::parse(QStringLiteral("CRON_TZ=Europe/Berlin 30 2 * * *"),
                                           QTimeZone::utc(), &error);
    QVERIFY2(job, qPrintable(error));
    const auto utc = [](const char *text) {
        return QDateTime::fromString(QLatin1String(text), Qt::ISODate);
    };
    // Spring forward: from the 28th straight to the 30th.
    QCOMPARE(job->next(utc("2026-03-28T12:00:00Z")).toUTC(), utc("2026-03-30T00:30:00Z"));
    // Autumn back: 02:30 CEST (00:30Z), then 02:30 CET (01:30Z), then the next day.
    QCOMPARE(job->next(utc("2026-10-25T00:00:00Z")).toUTC(), utc("2026-10-25T00:30:00Z"));
    QCOMPARE(job->next(utc("2026-10-25T00:30:00Z")).toUTC(), utc("2026-10-25T01:30:00Z"));
    QCOMPARE(job->next(utc("2026-10-25T01:30:00Z")).toUTC(), utc("2026-10-26T01:30:00Z"));
    // An hourly job across the autumn change runs every real hour, 25 that day.
    const auto hourly = CronExpression::parse(QStringLiteral("CRON_TZ=Europe/Berlin 0 * * * *"),
                                              QTimeZone::utc(), &error);
    QVERIFY(hourly);
    int runs = 0;
    for (QDateTime next = hourly->next(utc("2026-10-24T21:59:59Z"));
         next < utc("2026-10-25T23:00:00Z"); next = hourly->next(next))
        ++runs; // 00:00 CEST on the 25th to 23:00 CET

    QCOMPARE(runs, 25);

    // The same in a second zone with other dates: New York changes on 2026-03-08 (02:00 EST →
    // 03:00 EDT) and 2026-11-01 (02:00 EDT → 01:00 EST).
    const auto newYork = CronExpression::parse(
        QStringLiteral("CRON_TZ=America/New_York 30 2 * * *"), QTimeZone::utc(), &error);
    QVERIFY(newYork);
    QCOMPARE(newYork->next(utc("2026-03-07T12:00:00Z")).toUTC(), utc("2026-03-09T06:30:00Z"));
    const auto earlyNewYork = CronExpression::parse(
        QStringLiteral("CRON_TZ=America/New_York 30 1 * * *"), QTimeZone::utc(), &error);
    QVERIFY(earlyNewYork);
    QCOMPARE(earlyNewYork->next(utc("2026-11-01T04:00:00Z")).toUTC(), utc("2026-11-01T05:30:00Z"));
    QCOMPARE(earlyNewYork->next(utc("2026-11-01T05:30:00Z")).toUTC(), utc("2026-11-01T06:30:00Z"));
    QCOMPARE(earlyNewYork->next(utc("2026-11-01T06:30:00Z")).toUTC(), utc("2026-11-02T06:30:00Z"));
}

void TestCron::refused_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error");
    QTest::newRow("empty") << ""
                           << "empty spec string";
    QTest::newRow("four fields") << "* * * *"
                                 << "expected exactly 5 fields, found 4: [* * * *]";
    QTest::newRow("six fields") << "0 * * * * *"
                                << "expected exactly 5 fields, found 6: [0 * * * * *]";
    QTest::newRow("minute too big") << "61 * * * *"
                                    << "end of range (61) above maximum (59): 61";
    QTest::newRow("backwards range") << "5-1 * * * *"
                                     << "beginning of range (5) beyond end of range (1): 5-1";
    QTest::newRow("zero step") << "*/0 * * * *"
                               << "step of range should be a positive number: */0";
    QTest::newRow("hyphens") << "1-2-3 * * * *"
                             << "too many hyphens: 1-2-3";
    QTest::newRow("slashes") << "1/2/3 * * * *"
                             << "too many slashes: 1/2/3";
    QTest::newRow("not a number")
        << "a * * * *"
        << "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax";
    QTest::newRow("negative")
        << "-1 * * * *"
        << "failed to parse int from : strconv.Atoi: parsing \"\": invalid syntax";
    QTest::newRow("day zero") << "0 0 0 * *"
                              << "beginning of range (0) below minimum (1): 0";
    QTest::newRow("month 13") << "0 0 * 13 *"
                              << "end of range (13) above maximum (12): 13";
    QTest::newRow("weekday 7") << "0 12 * * 7"
                               << "end of range (7) above maximum (6): 7";
    QTest::newRow("no L")
        << "0 0 L * *"
        << "failed to parse int from L: strconv.Atoi: parsing \"L\": invalid syntax";
    QTest::newRow("descriptor") << "@sometimes"
                                << "unrecognized descriptor: @sometimes";
    QTest::newRow("every bad unit")
        << "@every 5x"
        << "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"";
    QTest::newRow("zone") << "CRON_TZ=Mars/Base * * * * *"
                          << "provided bad location Mars/Base: unknown time zone Mars/Base";
}

void TestCron::refused()
{
    QFETCH(QString, spec);
    QFETCH(QString, error);
    QString got;
    QVERIFY(!CronExpression::parse(spec, QTimeZone::utc(), &got));
    QCOMPARE(got, error);
}

void TestCron::goDurations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("nanoseconds"); // -1: refused
    QTest::addColumn<QString>("printed");    // Go's Duration.String() of the value
    QTest::newRow("hour") << "1h" << 3600000000000LL << "1h0m0s";
    QTest::newRow("mixed") << "1h30m" << 5400000000000LL << "1h30m0s";
    QTest::newRow("fraction") << "1.5h" << 5400000000000LL << "1h30m0s";
    QTest::newRow("seconds") << "90s" << 90000000000LL << "1m30s";
    QTest::newRow("millis") << "1500ms" << 1500000000LL << "1.5s";
    QTest::newRow("small millis") << "1.2ms" << 1200000LL << "1.2ms";
    QTest::newRow("micro") << "3us" << 3000LL << "3µs";
    QTest::newRow("micro sign") << "3µs" << 3000LL << "3µs";
    QTest::newRow("nanos") << "7ns" << 7LL << "7ns";
    QTest::newRow("zero") << "0" << 0LL << "0s";
    QTest::newRow("signed") << "+5m" << 300000000000LL << "5m0s";
    QTest::newRow("leading dot") << ".5s" << 500000000LL << "500ms";
    QTest::newRow("no unit") << "5" << -1LL << "";
    QTest::newRow("unknown unit") << "5d" << -1LL << "";
    QTest::newRow("empty") << "" << -1LL << "";
    QTest::newRow("just a dot") << ".s" << -1LL << "";
    QTest::newRow("overflow") << "9999999999999h" << -1LL << "";
}

void TestCron::goDurations()
{
    QFETCH(QString, text);
    QFETCH(qint64, nanoseconds);
    QFETCH(QString, printed);
    const std::optional<qint64> parsed = CronExpression::parseGoDurationNs(text);
    if (nanoseconds < 0) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(*parsed, nanoseconds);
    QCOMPARE(CronExpression::goDurationString(*parsed), printed);
}

// What clawgo does to a job's schedule on every read and write (spec/agent.md §5.2).
void TestCron::jobSchedulesNormalize_data()
{
    QTest::addColumn<QJsonObject>("schedule");
    QTest::addColumn<QJsonObject>("normalized");
    QTest::newRow("every hour") << QJsonObject{{"kind", "every"}, {"everyMs", 3600000}}
                                << QJsonObject{{"kind", "cron"}, {"expr", "@every 1h0m0s"}};
    QTest::newRow("bare everyMs") << QJsonObject{{"everyMs", 90000}}
                                  << QJsonObject{{"kind", "cron"}, {"expr", "@every 1m30s"}};
    QTest::newRow("an expression wins")
        << QJsonObject{{"kind", "at"}, {"atMs", 5}, {"expr", " 0 9 * * * "}}
        << QJsonObject{{"kind", "cron"}, {"expr", "0 9 * * *"}};
    QTest::newRow("bare atMs") << QJsonObject{{"atMs", qint64(1795000000000)}}
                               << QJsonObject{{"kind", "at"}, {"atMs", qint64(1795000000000)}};
    QTest::newRow("at stays") << QJsonObject{{"kind", "AT"}, {"atMs", 7}}
                              << QJsonObject{{"kind", "at"}, {"atMs", 7}};
    // Numbers no clock holds: Go's longest duration at most, and no time at all.
    QTest::newRow("huge everyMs") << QJsonObject{{"kind", "every"}, {"everyMs", 1e17}}
                                  << QJsonObject{{"kind", "cron"},
                                                 {"expr", "@every 2562047h47m16.854s"}};
    QTest::newRow("absurd atMs") << QJsonObject{{"kind", "at"}, {"atMs", 1e300}}
                                 << QJsonObject{{"kind", "at"}};
    QTest::newRow("zone kept") << QJsonObject{{"expr", "0 9 * * *"}, {"tz", "Asia/Shanghai"}}
                               << QJsonObject{{"kind", "cron"},
                                              {"expr", "0 9 * * *"},
                                              {"tz", "Asia/Shanghai"}};
}

void TestCron::jobSchedulesNormalize()
{
    QFETCH(QJsonObject, schedule);
    QFETCH(QJsonObject, normalized);
    const CronJob job = CronJob::fromJson(QJsonObject{{"id", "1"}, {"schedule", schedule}});
    QCOMPARE(job.toJson().value("schedule").toObject(), normalized);
}

// A jobs.json as clawgo writes it comes back the same: field names, zero fields left out,
// two-space indentation, version 1.
void TestCron::jobsFileRoundTrip()
{
    const QByteArray clawgo = R"({
  "version": 1,
  "jobs": [
    {
      "id": "1795000000000000000",
      "name": "morning brief",
      "enabled": true,
      "schedule": {"kind": "cron", "expr": "0 8 * * 1-5", "tz": "Europe/Berlin"},
      "payload": {"kind": "agent_turn", "message": "Summarise my inbox", "deliver": true,
                  "channel": "weixin", "to": "user-1"},
      "state": {"nextRunAtMs": 1795046400000, "lastStatus": "error", "lastError": "timeout",
                "totalRuns": 3, "totalFailures": 1, "consecutiveFailures": 1},
      "createdAtMs": 1795000000000,
      "updatedAtMs": 1795000001000,
      "deleteAfterRun": false
    },
    {
      "id": "1795000000000000001",
      "name": "Reminder",
      "enabled": false,
      "schedule": {"kind": "at", "atMs": 1795000600000},
      "payload": {"kind": "agent_turn", "message": "stretch", "deliver": true},
      "state": {},
      "createdAtMs": 1795000000000,
      "updatedAtMs": 1795000000000,
      "deleteAfterRun": false
    },
    "not a job"
  ]
})";
    QList<CronJob> jobs;
    QString error;
    QVERIFY2(CronJobs::parse(clawgo, &jobs, &error), qPrintable(error));
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs.at(0).effectiveExpression(), QStringLiteral("CRON_TZ=Europe/Berlin 0 8 * * 1-5"));
    QCOMPARE(jobs.at(0).state.totalRuns, 3);
    QCOMPARE(jobs.at(1).schedule.atMs, 1795000600000LL);
    const QByteArray written = CronJobs::serialize(jobs);
    QVERIFY(written.contains("\n  \"jobs\": [\n    {\n      \"createdAtMs\""));
    const QJsonObject reread = QJsonDocument::fromJson(written).object();
    QCOMPARE(reread.value("version").toInt(), 1);
    const QJsonArray list = reread.value("jobs").toArray();
    const QJsonArray original = QJsonDocument::fromJson(clawgo).object().value("jobs").toArray();
    QCOMPARE(list.at(0).toObject(), original.at(0).toObject());
    QCOMPARE(list.at(1).toObject(), original.at(1).toObject());
    QVERIFY(!list.at(1).toObject().value("state").toObject().contains("lastStatus"));
}

void TestCron::jobsFileRefused()
{
    QList<CronJob> jobs;
    QString error;
    QVERIFY(!CronJobs::parse("not json", &jobs, &error));
    QVERIFY(error.startsWith(QLatin1String("jobs.json is not JSON")));
    QVERIFY(!CronJobs::parse("[]", &jobs, &error));
    QVERIFY(!CronJobs::parse(R"({"version":1,"jobs":{}})", &jobs, &error));
    QCOMPARE(error, QStringLiteral("jobs.json: \"jobs\" is not a list"));
    QVERIFY(CronJobs::parse(R"({"version":1})", &jobs, &error));
    QVERIFY(jobs.isEmpty());
    // An id written twice is one job: the later one, in the first one's place.
    QVERIFY(CronJobs::parse(
        R"({"version":1,"jobs":[{"id":"7","name":"old"},{"id":"8","name":"b"},{"id":"7","name":"new"}]})",
        &jobs, &error));
    QCOMPARE(jobs.size(), 2);
    QCOMPARE(jobs.at(0).id, QStringLiteral("7"));
    QCOMPARE(jobs.at(0).name, QStringLiteral("new"));
    QCOMPARE(jobs.at(1).id, QStringLiteral("8"));
}

namespace {

CronJob makeJob(const QString &id, const QString &name, const QString &expr)
{
    CronJob job;
    job.id = id;
    job.name = name;
    job.schedule.expr = expr;
    job.payload.message = name;
    job.createdAtMs = job.updatedAtMs = 1795000000000;
    return job;
}

QStringList namesOf(const QList<CronJob> &jobs)
{
    QStringList names;
    for (const CronJob &job : jobs)
        names << job.id + "=" + job.name;
    names.sort();
    return names;
}

} // namespace

// clawgo's CLI writes the same jobs.json: its edits come in by themselves and merge job by job
// with ours, and a save of ours never undoes one it has not noticed yet.
void TestCron::storeMergesOutsideEdits()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("cron/jobs.json"));
    // As clawgo writes it: a temporary file renamed into place.
    const auto writeOutside = [&path](const QList<CronJob> &jobs) {
        QFile file(path + ".tmp");
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(CronJobs::serialize(jobs));
        file.close();
        QVERIFY(::rename(QFile::encodeName(path + ".tmp").constData(),
                         QFile::encodeName(path).constData()) == 0);
    };
    const auto onDisk = [&path] {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        QList<CronJob> jobs;
        QString error;
        CronJobs::parse(file.readAll(), &jobs, &error);
        return namesOf(jobs);
    };
    CronStore store(path);
    store.setDelays(20, 20);
    QSignalSpy loaded(&store, &CronStore::loaded);
    store.load();
    QVERIFY(waitFor([&] { return store.isLoaded(); }));
    QVERIFY(store.jobs().isEmpty()); // no file yet: no jobs
    store.upsert(makeJob("1", "ours", "0 9 * * *"));
    QVERIFY(waitFor([&] { return store.idle() && onDisk() == QStringList{"1=ours"}; }));
    QCOMPARE(fileMode(path), 0600);
    QCOMPARE(fileMode(QFileInfo(path).absolutePath()), 0700);

    // An outside edit adds a job and renames ours: both come in.
    writeOutside({makeJob("1", "renamed outside", "0 9 * * *"), makeJob("2", "theirs", "@hourly")});
    QVERIFY(waitFor([&] {
        return namesOf(store.jobs()) == QStringList({"1=renamed outside", "2=theirs"});
    }));

    // An outside edit not noticed yet (the save comes first): our change and theirs both stay.
    store.setDelays(0, 60000); // the watcher would wait a minute: only the save's read sees it
    writeOutside({makeJob("1", "renamed outside", "0 9 * * *"),
                  makeJob("2", "theirs again", "@hourly"), makeJob("3", "new outside", "@daily")});
    store.upsert(makeJob("4", "ours too", "@weekly"));
    QVERIFY(waitFor([&] {
        return onDisk() ==
               QStringList({"1=renamed outside", "2=theirs again", "3=new outside", "4=ours too"});
    }));
    QCOMPARE(namesOf(store.jobs()), onDisk());

    // Removed on either side: gone on both.
    store.setDelays(0, 20);
    QVERIFY(store.remove("4"));
    QVERIFY(waitFor([&] { return store.idle() && !onDisk().contains("4=ours too"); }));
    writeOutside(
        {makeJob("1", "renamed outside", "0 9 * * *"), makeJob("3", "new outside", "@daily")});
    QVERIFY(waitFor([&] {
        return namesOf(store.jobs()) == QStringList({"1=renamed outside", "3=new outside"});
    }));

    // Garbage written by hand (in place) keeps the jobs we had, and says why.
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{ not json");
    }
    QVERIFY(waitFor([&] { return !store.lastError().isEmpty(); }));
    QCOMPARE(store.jobs().size(), 2);
    store.flush();
}

// Runs with an injected clock: a job runs when due and not before, its bookkeeping, a failure
// retried with back-off (30 s, 60 s) until it works, a one-shot job disabled after its run, and
// the timer armed for the earliest job.
void TestCron::schedulerRunsDueJobsAndKeepsBooks()
{
    qint64 nowMs = QDateTime::fromString("2026-11-29T08:59:50Z", Qt::ISODate).toMSecsSinceEpoch();
    Clock::setNowFunction([&nowMs] { return nowMs; });
    QTemporaryDir home;
    CronStore store(home.filePath(QStringLiteral("cron/jobs.json")));
    store.setDelays(0, 20);
    store.load();
    QVERIFY(waitFor([&] { return store.isLoaded(); }));
    store.upsert(makeJob("daily", "daily brief", "0 9 * * *"));
    CronJob once = makeJob("once", "stretch", "");
    once.schedule.kind = QStringLiteral("at");
    once.schedule.atMs = nowMs + 30 * 60 * 1000; // 09:29:50
    store.upsert(once);
    CronScheduler scheduler(&store);
    scheduler.setDefaultZone(QTimeZone::utc());
    QStringList runs;
    QStringList failures; // what the next runs answer, in order ("" = success)
    scheduler.setRunner([&](const CronJob &job, std::function<void(const QString &)> done) {
        runs << job.id;
        done(failures.isEmpty() ? QString() : failures.takeFirst());
    });
    scheduler.start();
    QCOMPARE(store.job("daily")->state.nextRunAtMs,
             QDateTime::fromString("2026-11-29T09:00:00Z", Qt::ISODate).toMSecsSinceEpoch());
    QVERIFY(qAbs(scheduler.armedInMs() - 10000) < 50); // the earliest: in 10 s
    scheduler.runDue();
    QVERIFY(runs.isEmpty()); // not yet

    nowMs += 12 * 1000; // 09:00:02
    failures = {"the model was unreachable", "again"};
    scheduler.runDue();
    QCOMPARE(runs, QStringList{"daily"});
    CronJob daily = *store.job("daily");
    QCOMPARE(daily.state.lastStatus, QStringLiteral("error"));
    QCOMPARE(daily.state.lastError, QStringLiteral("the model was unreachable"));
    QCOMPARE(daily.state.lastScheduleDelayMs, 2000);
    QCOMPARE(daily.state.consecutiveFailures, 1);
    QCOMPARE(daily.state.nextRunAtMs, nowMs + 30 * 1000); // retried in 30 s
    nowMs += 30 * 1000;
    scheduler.runDue();
    daily = *store.job("daily");
    QCOMPARE(daily.state.consecutiveFailures, 2);
    QCOMPARE(daily.state.nextRunAtMs, nowMs + 60 * 1000); // then 60 s
    nowMs += 60 * 1000;
    scheduler.runDue(); // works now
    daily = *store.job("daily");
    QCOMPARE(daily.state.lastStatus, QStringLiteral("ok"));
    QVERIFY(daily.state.lastError.isEmpty());
    QCOMPARE(daily.state.consecutiveFailures, 0);
    QCOMPARE(daily.state.totalRuns, 3);
    QCOMPARE(daily.state.totalFailures, 2);
    QCOMPARE(daily.state.nextRunAtMs,
             QDateTime::fromString("2026-11-30T09:00:00Z", Qt::ISODate).toMSecsSinceEpoch());

    // The one-shot job: run once, then disabled without a next run.
    nowMs = once.schedule.atMs + 500;
    scheduler.runDue();
    QCOMPARE(runs, (QStringList{"daily", "daily", "daily", "once"}));
    QCOMPARE(store.job("once")->enabled, false);
    QCOMPARE(store.job("once")->state.nextRunAtMs, 0);
    QCOMPARE(store.job("once")->state.lastStatus, QStringLiteral("ok"));
    // Saved in clawgo's format.
    QVERIFY(waitFor([&] { return store.idle(); }));
    store.flush();
    Clock::setNowFunction(nullptr);
}

// At most max_workers runs at once; a job still running is never started again; a finished
// run frees its worker for what waited.
void TestCron::schedulerLimitsWorkersAndNeverOverlaps()
{
    qint64 nowMs = QDateTime::fromString("2026-11-29T09:00:30Z", Qt::ISODate).toMSecsSinceEpoch();
    Clock::setNowFunction([&nowMs] { return nowMs; });
    QTemporaryDir home;
    CronStore store(home.filePath(QStringLiteral("cron/jobs.json")));
    store.load();
    QVERIFY(waitFor([&] { return store.isLoaded(); }));
    CronScheduler scheduler(&store);
    scheduler.setDefaultZone(QTimeZone::utc());
    CronScheduler::Settings settings;
    settings.maxWorkers = 1;
    scheduler.setSettings(settings);
    QList<std::function<void(const QString &)>> pending;
    QStringList runs;
    scheduler.setRunner([&](const CronJob &job, std::function<void(const QString &)> done) {
        runs << job.id;
        pending << done; // the runs take their time
    });
    store.upsert(makeJob("a", "a", "* * * * *"));
    store.upsert(makeJob("b", "b", "* * * * *"));
    scheduler.start();
    nowMs += 60 * 1000;
    scheduler.runDue();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(scheduler.runningCount(), 1);
    const QString first = runs.first();
    nowMs += 60 * 1000; // due again while still running
    scheduler.runDue();
    QCOMPARE(runs.size(), 1);            // no second worker, no overlap
    QCOMPARE(scheduler.armedInMs(), -1); // every worker busy: no timer spinning meanwhile
    pending.takeFirst()(QString());
    QCOMPARE(runs.size(), 2); // the freed worker takes the other job
    QVERIFY(runs.at(1) != first);
    QVERIFY(scheduler.isRunning(runs.at(1)));
    QVERIFY(!scheduler.isRunning(first));
    pending.takeFirst()(QString());
    QCOMPARE(scheduler.runningCount(), 0);

    // Runs that answer at once: each due job still runs exactly once.
    settings.maxWorkers = 4;
    scheduler.setSettings(settings);
    runs.clear();
    scheduler.setRunner([&](const CronJob &job, std::function<void(const QString &)> done) {
        runs << job.id;
        done(QString());
    });
    nowMs += 60 * 1000;
    scheduler.runDue();
    runs.sort();
    QCOMPARE(runs, (QStringList{"a", "b"}));
    store.flush();
    Clock::setNowFunction(nullptr);
}

// The wall clock jumps (or the machine slept, and its monotonic timers stood still): the armed
// timer, which never sleeps longer than its longest sleep, looks at the clock again and runs what
// became due, once, with no catch-up of the runs in between; a jump back runs nothing early.
void TestCron::schedulerNoticesClockJumps()
{
    const auto at = [](const char *iso) {
        return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
    };
    qint64 nowMs = at("2026-11-29T08:00:00Z");
    Clock::setNowFunction([&nowMs] { return nowMs; });
    QTemporaryDir home;
    CronStore store(home.filePath(QStringLiteral("cron/jobs.json")));
    store.load();
    QVERIFY(waitFor([&] { return store.isLoaded(); }));
    store.upsert(makeJob("daily", "daily brief", "0 9 * * *"));
    CronScheduler scheduler(&store);
    scheduler.setDefaultZone(QTimeZone::utc());
    scheduler.setLongestSleepMs(20);
    QStringList runs;
    scheduler.setRunner([&](const CronJob &job, std::function<void(const QString &)> done) {
        runs << job.id;
        done(QString());
    });
    QSignalSpy finished(&scheduler, &CronScheduler::runFinished);
    scheduler.start();
    QVERIFY(scheduler.armedInMs() >= 0 && scheduler.armedInMs() <= 20); // not in an hour
    QTest::qWait(100); // several wake-ups: nothing is due
    QVERIFY(runs.isEmpty());

    nowMs = at("2026-11-29T09:00:05Z"); // an hour forward
    QVERIFY(finished.wait(2000));
    QCOMPARE(runs, QStringList{"daily"});
    QCOMPARE(store.job("daily")->state.nextRunAtMs, at("2026-11-30T09:00:00Z"));

    nowMs = at("2026-11-29T07:00:00Z"); // back two hours: nothing runs early
    QTest::qWait(100);
    QCOMPARE(runs.size(), 1);
    QCOMPARE(store.job("daily")->state.nextRunAtMs, at("2026-11-30T09:00:00Z"));

    nowMs = at("2026-12-02T10:00:00Z"); // three days on: one run, then the next occurrence
    QVERIFY(finished.wait(2000));
    QTest::qWait(60);
    QCOMPARE(runs.size(), 2);
    QCOMPARE(store.job("daily")->state.nextRunAtMs, at("2026-12-03T09:00:00Z"));
    store.flush();
    Clock::setNowFunction(nullptr);
}

void TestCron::heartbeatTasks_data()
{
    QTest::addColumn<QString>("agentsMd");
    QTest::addColumn<QString>("heartbeatMd");
    QTest::addColumn<bool>("hasTasks");
    QTest::addColumn<QString>("token");
    QTest::newRow("empty") << ""
                           << "" << false << "";
    QTest::newRow("headings only") << ""
                                   << "# Heartbeat\n\n## Daily\n  \n"
                                   << false << "";
    QTest::newRow("a comment") << ""
                               << "# Heartbeat\n<!-- e.g.\n- check mail\n-->\n"
                               << false << "";
    QTest::newRow("an unclosed comment") << ""
                                         << "<!-- - check mail" << false << "";
    QTest::newRow("our first template")
        << ""
        << "# Heartbeat\n\nThings to check on each periodic heartbeat. Leave empty to do "
           "nothing.\n"
        << false << "";
    QTest::newRow("a task") << ""
                            << "# Heartbeat\n- check mail\n"
                            << true << "";
    QTest::newRow("prose is a task") << ""
                                     << "Reply HEARTBEAT_OK if nothing is due." << true << "";
    QTest::newRow("task after a comment") << ""
                                          << "<!-- note -->\ncheck mail" << true << "";
    QTest::newRow("token in AGENTS.md") << "# A\n- Heartbeat_Ack_Token: `QUIET`\n"
                                        << "- x" << true << "QUIET";
    QTest::newRow("token in HEARTBEAT.md")
        << "nothing here"
        << "## heartbeat_ack_token: \"HB_OK\"\n- x" << true << "HB_OK";
    QTest::newRow("AGENTS.md first") << "* heartbeat_ack_token: 'A'"
                                     << "heartbeat_ack_token: B" << true << "A";
    QTest::newRow("only at a line's start") << "say heartbeat_ack_token: X"
                                            << "- x" << true << "";
}

// What counts as a task in HEARTBEAT.md (no task: no beat), and the ack token's lookup.
void TestCron::heartbeatTasks()
{
    QFETCH(QString, agentsMd);
    QFETCH(QString, heartbeatMd);
    QFETCH(bool, hasTasks);
    QFETCH(QString, token);
    QCOMPARE(Heartbeat::hasTasks(heartbeatMd), hasTasks);
    QCOMPARE(Heartbeat::ackToken(agentsMd, heartbeatMd), token);
    const QString prompt = Heartbeat::prompt(QString(), agentsMd, heartbeatMd,
                                             QDateTime(QDate(2026, 11, 29), QTime(9, 5)));
    QVERIFY(
        prompt.contains(QStringLiteral("\n\nCurrent time: 2026-11-29 09:05\n\n## AGENTS.md\n")));
    QCOMPARE(prompt.contains(QStringLiteral("return %1.").arg(token)), !token.isEmpty());
}

QTEST_GUILESS_MAIN(TestCron)
#include "tst_cron.moc"
