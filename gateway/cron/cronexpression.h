#pragma once

#include <QDateTime>
#include <QString>
#include <QTimeZone>
#include <optional>

// A cron schedule in the dialect clawgo's jobs are written in (robfig/cron v3 with the
// Minute|Hour|Dom|Month|Dow|Descriptor parser; spec/agent.md §5.3):
//  - exactly five fields `min hour dom month dow`; `*`, `?`, lists, ranges, steps (`5/10` means
//    5 to the field's end in steps of 10), month names JAN–DEC and weekday names SUN–SAT in any
//    case, weekday 0–6 (0 = Sunday); when both dom and dow are restricted a day matches when
//    either does;
//  - descriptors @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly and
//    `@every <Go duration>` (whole seconds, at least one, a fixed delay after the previous run);
//  - a `CRON_TZ=<IANA zone> ` or `TZ=<IANA zone> ` prefix; otherwise the default zone given.
// Next times follow robfig's walk, daylight-saving quirks included: a time that does not exist
// on a spring-forward day is skipped that day, and one that exists twice on an autumn-back day
// runs twice (tst_cron shows both).
class CronExpression
{
public:
    // Parses `spec`; on failure returns nothing and sets `error` to robfig's message.
    static std::optional<CronExpression> parse(const QString &spec, const QTimeZone &defaultZone,
                                               QString *error);
    // Go's time.ParseDuration: "300ms", "1h30m", "-1.5h", "0"; units ns, us (µs), ms, s, m, h.
    static std::optional<qint64> parseGoDurationNs(const QString &text, QString *error = nullptr);
    // Go's Duration.String(): 3 600 000 ms → "1h0m0s" (what clawgo writes for `@every`).
    static QString goDurationString(qint64 nanoseconds);

    // The first run strictly after `after` (whole seconds); invalid when none comes within five
    // years (Feb 30).
    QDateTime next(const QDateTime &after) const;
    bool isEvery() const { return m_everySeconds > 0; }
    QTimeZone zone() const { return m_zone; }

private:
    quint64 m_minute = 0;
    quint64 m_hour = 0;
    quint64 m_dom = 0;
    quint64 m_month = 0;
    quint64 m_dow = 0;
    QTimeZone m_zone;
    qint64 m_everySeconds = 0;
};
