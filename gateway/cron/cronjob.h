#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

// One job of `<dir>/cron/jobs.json` in clawgo's format (spec/agent.md §5.2): field names as
// clawgo writes them, optional fields left out when empty or zero, and the schedule normalised
// on every read and write the way clawgo does it, so both programs can keep the same file.
struct CronJob
{
    static constexpr qint64 kLongestEveryMs = 9223372036854; // Go's longest Duration, in ms

    struct Schedule
    {
        QString kind; // "cron" or "at" once normalised ("every" only on the way in)
        qint64 atMs = 0;
        qint64 everyMs = 0;
        QString expr;
        QString tz;
        bool operator==(const Schedule &) const = default;
    };
    struct Payload
    {
        QString kind = QStringLiteral("agent_turn");
        QString message;
        bool deliver = false;
        QString channel;
        QString to;
        bool operator==(const Payload &) const = default;
    };
    struct State
    {
        qint64 nextRunAtMs = 0;
        qint64 lastRunAtMs = 0;
        QString lastStatus;
        QString lastError;
        qint64 lastDurationMs = 0;
        qint64 lastScheduleDelayMs = 0;
        qint64 totalRuns = 0;
        qint64 totalFailures = 0;
        qint64 consecutiveFailures = 0;
        bool operator==(const State &) const = default;
    };

    QString id;
    QString name;
    bool enabled = true;
    Schedule schedule;
    Payload payload;
    State state;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    bool deleteAfterRun = false;
    bool operator==(const CronJob &) const = default;

    QJsonObject toJson() const;
    static CronJob fromJson(const QJsonObject &object);
    // clawgo's normalisation: an expression makes it "cron" (at/every cleared); "every" with a
    // positive everyMs becomes "cron" with "@every <Go duration>"; a bare atMs is "at", a bare
    // everyMs is "every" (and so "cron").
    void normalize();
    // The expression as the scheduler reads it: `CRON_TZ=<tz> ` before it when tz is set.
    QString effectiveExpression() const;
};

namespace CronJobs {

// `{"version":1,"jobs":[…]}`; jobs that are not objects are skipped, an id that comes twice is
// the later job. False (with a reason) when the text is not such a document.
bool parse(const QByteArray &bytes, QList<CronJob> *jobs, QString *error);
// The document clawgo writes: pretty JSON, two-space indent.
QByteArray serialize(const QList<CronJob> &jobs);

} // namespace CronJobs
