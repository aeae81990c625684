#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QTimeZone>

struct CronJob;

// Scheduled jobs in the user's words, for the Cron page: "every day at 09:00, Asia/Shanghai",
// "on weekdays at 07:30", "every 15 minutes", "once, 24/12/2026 18:00"; anything the words do
// not cover is shown as its expression.
namespace CronWords {

QString describe(const CronJob &job);
// A cron expression (with an optional CRON_TZ=/TZ= prefix); `zone` is the job's tz, if any.
QString describeExpression(const QString &expression, const QString &zone = QString());

struct Preview
{
    QString error;         // clawgo's text ("invalid cron expression: …"), empty when valid
    QList<QDateTime> runs; // the next runs, in the expression's zone
};
// The next `count` runs of `expression` after `from` (the editor's live preview).
Preview preview(const QString &expression, const QDateTime &from, int count = 5);

} // namespace CronWords
