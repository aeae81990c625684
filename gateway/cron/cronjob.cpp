#include "cronjob.h"

#include <cmath>

#include "core/jsonutil.h"
#include "cronexpression.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

// JSON numbers as integers (files written by hand may hold 1.7e12 or "…" strings).
qint64 integer(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().toLongLong();
    // A number a qint64 cannot hold (1e300, which JSON allows) is no number here.
    const double number = value.toDouble();
    if (!std::isfinite(number) || std::abs(number) >= 9.2e18)
        return 0;
    return qint64(number);
}

void putText(QJsonObject &object, const char *key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(QLatin1String(key), value);
}

void putNumber(QJsonObject &object, const char *key, qint64 value)
{
    if (value != 0)
        object.insert(QLatin1String(key), value);
}

} // namespace

void CronJob::normalize()
{
    Schedule &s = schedule;
    s.kind = s.kind.trimmed().toLower();
    s.expr = s.expr.trimmed();
    if (!s.expr.isEmpty()) {
        s.kind = QStringLiteral("cron");
        s.atMs = 0;
        s.everyMs = 0;
        return;
    }
    if (s.kind.isEmpty() && s.atMs > 0)
        s.kind = QStringLiteral("at");
    else if (s.kind.isEmpty() && s.everyMs > 0)
        s.kind = QStringLiteral("every");
    if (s.kind == QLatin1String("every") && s.everyMs > 0) {
        s.kind = QStringLiteral("cron");
        // Go's longest duration (≈292 years) at most, so the nanoseconds fit.
        const qint64 ms = qMin<qint64>(s.everyMs, CronJob::kLongestEveryMs);
        s.expr = QStringLiteral("@every ") + CronExpression::goDurationString(ms * 1000000LL);
        s.everyMs = 0;
        s.atMs = 0;
    }
}

QString CronJob::effectiveExpression() const
{
    if (!schedule.tz.trimmed().isEmpty())
        return QStringLiteral("CRON_TZ=%1 %2").arg(schedule.tz.trimmed(), schedule.expr);
    return schedule.expr;
}

QJsonObject CronJob::toJson() const
{
    CronJob job = *this;
    job.normalize();
    QJsonObject scheduleJson{{"kind", job.schedule.kind}};
    putNumber(scheduleJson, "atMs", job.schedule.atMs);
    putNumber(scheduleJson, "everyMs", job.schedule.everyMs);
    putText(scheduleJson, "expr", job.schedule.expr);
    putText(scheduleJson, "tz", job.schedule.tz);
    QJsonObject payloadJson{
        {"kind", job.payload.kind.isEmpty() ? QStringLiteral("agent_turn") : job.payload.kind},
        {"message", job.payload.message},
        {"deliver", job.payload.deliver}};
    putText(payloadJson, "channel", job.payload.channel);
    putText(payloadJson, "to", job.payload.to);
    QJsonObject stateJson;
    putNumber(stateJson, "nextRunAtMs", job.state.nextRunAtMs);
    putNumber(stateJson, "lastRunAtMs", job.state.lastRunAtMs);
    putText(stateJson, "lastStatus", job.state.lastStatus);
    putText(stateJson, "lastError", job.state.lastError);
    putNumber(stateJson, "lastDurationMs", job.state.lastDurationMs);
    putNumber(stateJson, "lastScheduleDelayMs", job.state.lastScheduleDelayMs);
    putNumber(stateJson, "totalRuns", job.state.totalRuns);
    putNumber(stateJson, "totalFailures", job.state.totalFailures);
    putNumber(stateJson, "consecutiveFailures", job.state.consecutiveFailures);
    return QJsonObject{{"id", job.id},
                       {"name", job.name},
                       {"enabled", job.enabled},
                       {"schedule", scheduleJson},
                       {"payload", payloadJson},
                       {"state", stateJson},
                       {"createdAtMs", job.createdAtMs},
                       {"updatedAtMs", job.updatedAtMs},
                       {"deleteAfterRun", job.deleteAfterRun}};
}

CronJob CronJob::fromJson(const QJsonObject &object)
{
    CronJob job;
    job.id = object.value("id").isString() ? object.value("id").toString()
                                           : QString::number(integer(object.value("id")));
    job.name = object.value("name").toString();
    job.enabled = object.value("enabled").toBool(false);
    const QJsonObject schedule = object.value("schedule").toObject();
    job.schedule.kind = schedule.value("kind").toString();
    job.schedule.atMs = integer(schedule.value("atMs"));
    job.schedule.everyMs = integer(schedule.value("everyMs"));
    job.schedule.expr = schedule.value("expr").toString();
    job.schedule.tz = schedule.value("tz").toString();
    const QJsonObject payload = object.value("payload").toObject();
    job.payload.kind = payload.value("kind").toString(QStringLiteral("agent_turn"));
    job.payload.message = payload.value("message").toString();
    job.payload.deliver = payload.value("deliver").toBool();
    job.payload.channel = payload.value("channel").toString();
    job.payload.to = payload.value("to").toString();
    const QJsonObject state = object.value("state").toObject();
    job.state.nextRunAtMs = integer(state.value("nextRunAtMs"));
    job.state.lastRunAtMs = integer(state.value("lastRunAtMs"));
    job.state.lastStatus = state.value("lastStatus").toString();
    job.state.lastError = state.value("lastError").toString();
    job.state.lastDurationMs = integer(state.value("lastDurationMs"));
    job.state.lastScheduleDelayMs = integer(state.value("lastScheduleDelayMs"));
    job.state.totalRuns = integer(state.value("totalRuns"));
    job.state.totalFailures = integer(state.value("totalFailures"));
    job.state.consecutiveFailures = integer(state.value("consecutiveFailures"));
    job.createdAtMs = integer(object.value("createdAtMs"));
    job.updatedAtMs = integer(object.value("updatedAtMs"));
    job.deleteAfterRun = object.value("deleteAfterRun").toBool();
    job.normalize();
    return job;
}

namespace CronJobs {

bool parse(const QByteArray &bytes, QList<CronJob> *jobs, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = parseError.error != QJsonParseError::NoError
                     ? QStringLiteral("jobs.json is not JSON: %1").arg(parseError.errorString())
                     : QStringLiteral("jobs.json is not a JSON object");
        return false;
    }
    const QJsonValue list = document.object().value("jobs");
    if (!list.isArray() && !list.isNull() && !list.isUndefined()) {
        *error = QStringLiteral("jobs.json: \"jobs\" is not a list");
        return false;
    }
    jobs->clear();
    // An id written twice (a hand edit, a copy and paste) is one job: the later one, in the
    // first one's place. Two jobs with one id could never be told apart again.
    QHash<QString, qsizetype> seen;
    for (const QJsonValue &value : list.toArray()) {
        if (!value.isObject())
            continue;
        const CronJob job = CronJob::fromJson(value.toObject());
        const auto found = seen.constFind(job.id);
        if (found != seen.cend()) {
            (*jobs)[*found] = job;
        } else {
            seen.insert(job.id, jobs->size());
            jobs->append(job);
        }
    }
    return true;
}

QByteArray serialize(const QList<CronJob> &jobs)
{
    QJsonArray list;
    for (const CronJob &job : jobs)
        list.append(job.toJson());
    return JsonUtil::pretty(QJsonObject{{"version", 1}, {"jobs", list}});
}

} // namespace CronJobs
