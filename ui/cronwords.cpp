#include "cronwords.h"

#include "cron/cronexpression.h"
#include "cron/cronjob.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>

namespace CronWords {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CronWords", text);
}

bool isAny(const QString &field)
{
    return field == QLatin1String("*") || field == QLatin1String("?");
}

std::optional<int> number(const QString &field, int low, int high)
{
    bool ok = false;
    const int value = field.toInt(&ok);
    if (!ok || value < low || value > high)
        return std::nullopt;
    return value;
}

// "*/15" or "0/15" → 15.
std::optional<int> everyStep(const QString &field, int high)
{
    static const QRegularExpression step(QStringLiteral("^(\\*|0)/(\\d+)$"));
    const QRegularExpressionMatch match = step.match(field);
    if (!match.hasMatch())
        return std::nullopt;
    return number(match.captured(2), 1, high);
}

std::optional<int> weekday(const QString &token)
{
    static const QStringList names{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
    const qsizetype named = names.indexOf(token.toUpper());
    if (named >= 0)
        return int(named);
    return number(token, 0, 6);
}

// The days of a day-of-week field (0 = Sunday), sorted Monday first; nothing for steps.
std::optional<QList<int>> weekdays(const QString &field)
{
    QList<int> days;
    for (const QString &part : field.split(QLatin1Char(','))) {
        const QStringList range = part.split(QLatin1Char('-'));
        if (range.size() == 1) {
            const auto day = weekday(part);
            if (!day)
                return std::nullopt;
            days << *day;
        } else if (range.size() == 2) {
            const auto from = weekday(range.at(0));
            const auto to = weekday(range.at(1));
            if (!from || !to || *from > *to)
                return std::nullopt;
            for (int day = *from; day <= *to; ++day)
                days << day;
        } else {
            return std::nullopt;
        }
    }
    const auto mondayFirst = [](int day) { return day == 0 ? 7 : day; };
    std::sort(days.begin(), days.end(),
              [&](int a, int b) { return mondayFirst(a) < mondayFirst(b); });
    days.erase(std::unique(days.begin(), days.end()), days.end());
    return days;
}

QString dayName(int day)
{
    return QLocale().dayName(day == 0 ? 7 : day, QLocale::LongFormat);
}

QString dayList(const QList<int> &days)
{
    const auto mondayFirst = [](int day) { return day == 0 ? 7 : day; };
    bool consecutive = days.size() > 2;
    for (qsizetype i = 1; consecutive && i < days.size(); ++i)
        consecutive = mondayFirst(days.at(i)) == mondayFirst(days.at(i - 1)) + 1;
    if (consecutive)
        return tr("%1 to %2").arg(dayName(days.first()), dayName(days.last()));
    QStringList names;
    for (int day : days)
        names << dayName(day);
    return names.join(tr(", "));
}

QString withZone(const QString &text, const QString &zone)
{
    return zone.isEmpty() ? text : tr("%1, %2").arg(text, zone);
}

QString fields(const QStringList &f)
{
    const QString &minute = f.at(0);
    const QString &hour = f.at(1);
    const QString &dom = f.at(2);
    const QString &month = f.at(3);
    const QString &dow = f.at(4);
    const bool everyDay = isAny(dom) && month == QLatin1String("*") && isAny(dow);
    const auto m = number(minute, 0, 59);
    const auto h = number(hour, 0, 23);
    if (m && h) {
        const QString time = QStringLiteral("%1:%2")
                                 .arg(*h, 2, 10, QLatin1Char('0'))
                                 .arg(*m, 2, 10, QLatin1Char('0'));
        if (everyDay)
            return tr("every day at %1").arg(time);
        if (isAny(dom) && month == QLatin1String("*")) {
            if (const auto days = weekdays(dow)) {
                if (*days == QList<int>{1, 2, 3, 4, 5})
                    return tr("on weekdays at %1").arg(time);
                if (*days == QList<int>{6, 0})
                    return tr("at weekends at %1").arg(time);
                if (days->size() == 1)
                    return tr("every %1 at %2").arg(dayName(days->first()), time);
                return tr("on %1 at %2").arg(dayList(*days), time);
            }
        }
        if (const auto day = number(dom, 1, 31); day && month == QLatin1String("*") && isAny(dow))
            return tr("on day %1 of every month at %2").arg(*day).arg(time);
        return QString();
    }
    if (!everyDay)
        return QString();
    if (minute == QLatin1String("*") && hour == QLatin1String("*"))
        return tr("every minute");
    if (const auto step = everyStep(minute, 59); step && hour == QLatin1String("*"))
        return *step == 1 ? tr("every minute") : tr("every %1 minutes").arg(*step);
    if (m && hour == QLatin1String("*"))
        return tr("every hour at minute %1").arg(*m);
    if (const auto step = everyStep(hour, 23); step && m) {
        const QString hours = *step == 1 ? tr("every hour") : tr("every %1 hours").arg(*step);
        return *m == 0 ? hours : tr("%1 at minute %2").arg(hours).arg(*m);
    }
    return QString();
}

} // namespace

QString describeExpression(const QString &expressionIn, const QString &zoneIn)
{
    QString expression = expressionIn.trimmed();
    QString zone = zoneIn.trimmed();
    for (const char *prefix : {"CRON_TZ=", "TZ="}) {
        if (expression.startsWith(QLatin1String(prefix))) {
            const qsizetype space = expression.indexOf(QLatin1Char(' '));
            if (space > 0) {
                zone = expression.mid(qsizetype(strlen(prefix)), space - qsizetype(strlen(prefix)));
                expression = expression.mid(space + 1).trimmed();
            }
        }
    }
    QString words;
    const QString lower = expression.toLower();
    if (lower == QLatin1String("@hourly"))
        words = tr("every hour");
    else if (lower == QLatin1String("@daily") || lower == QLatin1String("@midnight"))
        words = tr("every day at %1").arg(QStringLiteral("00:00"));
    else if (lower == QLatin1String("@weekly"))
        words = tr("every %1 at %2").arg(dayName(0), QStringLiteral("00:00"));
    else if (lower == QLatin1String("@monthly"))
        words = tr("on day %1 of every month at %2").arg(1).arg(QStringLiteral("00:00"));
    else if (lower == QLatin1String("@yearly") || lower == QLatin1String("@annually"))
        words = tr("every year on %1 at %2")
                    .arg(QLocale().toString(QDate(2000, 1, 1), QStringLiteral("d MMMM")),
                         QStringLiteral("00:00"));
    else if (lower.startsWith(QLatin1String("@every ")))
        words = tr("every %1").arg(expression.mid(7).trimmed());
    else {
        const QStringList parts = expression.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() == 5)
            words = fields(parts);
    }
    if (words.isEmpty())
        words = tr("cron: %1").arg(expression);
    return withZone(words, zone);
}

QString describe(const CronJob &job)
{
    if (job.schedule.kind == QLatin1String("at"))
        return tr("once, %1")
            .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(job.schedule.atMs),
                                    QLocale::ShortFormat));
    return describeExpression(job.schedule.expr, job.schedule.tz);
}

Preview preview(const QString &expression, const QDateTime &from, int count)
{
    Preview result;
    if (expression.trimmed().isEmpty()) {
        result.error = QStringLiteral("cron expression is required");
        return result;
    }
    QString why;
    const auto parsed =
        CronExpression::parse(expression.trimmed(), QTimeZone::systemTimeZone(), &why);
    if (!parsed) {
        result.error = QStringLiteral("invalid cron expression: %1").arg(why);
        return result;
    }
    QDateTime after = from.toTimeZone(parsed->zone());
    for (int i = 0; i < count; ++i) {
        after = parsed->next(after);
        if (!after.isValid())
            break;
        result.runs << after;
    }
    return result;
}

} // namespace CronWords
