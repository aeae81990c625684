#include "cronexpression.h"

#include <QHash>
#include <QMutex>

#include <QRegularExpression>
#include <QStringList>
#include <limits>

namespace {

constexpr quint64 kStarBit = quint64(1) << 63;

struct Bounds
{
    int min;
    int max;
    const QHash<QString, int> *names;
};

const QHash<QString, int> &monthNames()
{
    static const QHash<QString, int> names{{"jan", 1}, {"feb", 2},  {"mar", 3},  {"apr", 4},
                                           {"may", 5}, {"jun", 6},  {"jul", 7},  {"aug", 8},
                                           {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12}};
    return names;
}

const QHash<QString, int> &dayNames()
{
    static const QHash<QString, int> names{{"sun", 0}, {"mon", 1}, {"tue", 2}, {"wed", 3},
                                           {"thu", 4}, {"fri", 5}, {"sat", 6}};
    return names;
}

const Bounds kMinutes{0, 59, nullptr};
const Bounds kHours{0, 23, nullptr};
const Bounds kDom{1, 31, nullptr};
const Bounds kMonths{1, 12, &monthNames()};
const Bounds kDow{0, 6, &dayNames()};

quint64 bits(int min, int max, int step)
{
    quint64 value = 0;
    if (step == 1) // the common case, without a loop
        return ~(std::numeric_limits<quint64>::max() << (max + 1)) &
               (std::numeric_limits<quint64>::max() << min);
    for (int i = min; i <= max; i += step)
        value |= quint64(1) << i;
    return value;
}

quint64 all(const Bounds &bounds)
{
    return bits(bounds.min, bounds.max, 1) | kStarBit;
}

// strconv.Atoi, as robfig reports it.
bool parseInt(const QString &text, int *value, QString *error)
{
    bool ok = false;
    const qlonglong number = text.toLongLong(&ok);
    if (!ok || text.startsWith(QLatin1Char('+')) || text.trimmed() != text) {
        *error = QStringLiteral("failed to parse int from %1: strconv.Atoi: parsing \"%1\": "
                                "invalid syntax")
                     .arg(text);
        return false;
    }
    if (number < 0) {
        *error = QStringLiteral("negative number (%1) not allowed: %2").arg(number).arg(text);
        return false;
    }
    *value = int(qMin<qlonglong>(number, std::numeric_limits<int>::max()));
    return true;
}

bool parseIntOrName(const QString &text, const Bounds &bounds, int *value, QString *error)
{
    if (bounds.names) {
        const auto it = bounds.names->constFind(text.toLower());
        if (it != bounds.names->constEnd()) {
            *value = *it;
            return true;
        }
    }
    return parseInt(text, value, error);
}

bool parseRange(const QString &expr, const Bounds &bounds, quint64 *out, QString *error)
{
    const QStringList rangeAndStep = expr.split(QLatin1Char('/'));
    const QStringList lowAndHigh = rangeAndStep.first().split(QLatin1Char('-'));
    const bool single = lowAndHigh.size() == 1;
    int start = 0;
    int end = 0;
    int step = 1;
    quint64 extra = 0;
    if (lowAndHigh.first() == QLatin1String("*") || lowAndHigh.first() == QLatin1String("?")) {
        start = bounds.min;
        end = bounds.max;
        extra = kStarBit;
    } else {
        if (!parseIntOrName(lowAndHigh.first(), bounds, &start, error))
            return false;
        switch (lowAndHigh.size()) {
        case 1:
            end = start;
            break;
        case 2:
            if (!parseIntOrName(lowAndHigh.at(1), bounds, &end, error))
                return false;
            break;
        default:
            *error = QStringLiteral("too many hyphens: %1").arg(expr);
            return false;
        }
    }
    switch (rangeAndStep.size()) {
    case 1:
        break;
    case 2:
        if (!parseInt(rangeAndStep.at(1), &step, error))
            return false;
        if (single) // "N/step" is "N-max/step"
            end = bounds.max;
        if (step > 1)
            extra = 0;
        break;
    default:
        *error = QStringLiteral("too many slashes: %1").arg(expr);
        return false;
    }
    if (start < bounds.min) {
        *error = QStringLiteral("beginning of range (%1) below minimum (%2): %3")
                     .arg(start)
                     .arg(bounds.min)
                     .arg(expr);
        return false;
    }
    if (end > bounds.max) {
        *error = QStringLiteral("end of range (%1) above maximum (%2): %3")
                     .arg(end)
                     .arg(bounds.max)
                     .arg(expr);
        return false;
    }
    if (start > end) {
        *error = QStringLiteral("beginning of range (%1) beyond end of range (%2): %3")
                     .arg(start)
                     .arg(end)
                     .arg(expr);
        return false;
    }
    if (step == 0) {
        *error = QStringLiteral("step of range should be a positive number: %1").arg(expr);
        return false;
    }
    *out = bits(start, end, step) | extra;
    return true;
}

bool parseField(const QString &field, const Bounds &bounds, quint64 *out, QString *error)
{
    quint64 value = 0;
    for (const QString &part : field.split(QLatin1Char(','))) {
        quint64 range = 0;
        if (!parseRange(part, bounds, &range, error))
            return false;
        value |= range;
    }
    *out = value;
    return true;
}

// The smallest listed value in (from, end), or `end` when there is none.
int nextListed(quint64 set, int from, int end)
{
    for (int value = from + 1; value < end; ++value)
        if (set & (quint64(1) << value))
            return value;
    return end;
}

bool has(quint64 set, int value)
{
    return (set >> value) & 1;
}

// Go's fmtFrac: the fraction of v / 10^prec without trailing zeros (".5"), or nothing.
QString fraction(quint64 *v, int prec)
{
    QString digits;
    bool print = false;
    for (int i = 0; i < prec; ++i) {
        const quint64 digit = *v % 10;
        print = print || digit != 0;
        if (print)
            digits.prepend(QChar(char('0' + digit)));
        *v /= 10;
    }
    return print ? QLatin1Char('.') + digits : QString();
}

} // namespace

std::optional<qint64> CronExpression::parseGoDurationNs(const QString &text, QString *error)
{
    const auto invalid = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QString quoted = QLatin1Char('"') + text + QLatin1Char('"');
    QString s = text;
    bool negative = false;
    if (!s.isEmpty() && (s.at(0) == QLatin1Char('-') || s.at(0) == QLatin1Char('+'))) {
        negative = s.at(0) == QLatin1Char('-');
        s.remove(0, 1);
    }
    if (s == QLatin1String("0"))
        return 0;
    if (s.isEmpty())
        return invalid(QStringLiteral("time: invalid duration ") + quoted);
    static const QHash<QString, quint64> units{
        {"ns", 1ULL},
        {"us", 1000ULL},
        {QStringLiteral("\u00b5s"), 1000ULL},
        {QStringLiteral("\u03bcs"), 1000ULL},
        {"ms", 1000000ULL},
        {"s", 1000000000ULL},
        {"m", 60ULL * 1000000000ULL},
        {"h", 3600ULL * 1000000000ULL},
    };
    constexpr quint64 kLimit = quint64(1) << 63;
    quint64 total = 0;
    const auto isDigit = [](QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); };
    while (!s.isEmpty()) {
        if (!(s.at(0) == QLatin1Char('.') || isDigit(s.at(0))))
            return invalid(QStringLiteral("time: invalid duration ") + quoted);
        quint64 whole = 0;
        qsizetype i = 0;
        for (; i < s.size() && isDigit(s.at(i)); ++i) {
            if (whole > (kLimit - 1) / 10)
                return invalid(QStringLiteral("time: invalid duration ") + quoted);
            whole = whole * 10 + quint64(s.at(i).unicode() - '0');
            if (whole > kLimit)
                return invalid(QStringLiteral("time: invalid duration ") + quoted);
        }
        const bool pre = i > 0;
        s.remove(0, i);
        quint64 frac = 0;
        double scale = 1.0;
        bool post = false;
        if (!s.isEmpty() && s.at(0) == QLatin1Char('.')) {
            s.remove(0, 1);
            qsizetype j = 0;
            bool overflow = false;
            for (; j < s.size() && isDigit(s.at(j)); ++j) {
                if (overflow)
                    continue;
                if (frac > (kLimit - 1) / 10) { // further digits no longer change the value
                    overflow = true;
                    continue;
                }
                frac = frac * 10 + quint64(s.at(j).unicode() - '0');
                scale *= 10;
            }
            post = j > 0;
            s.remove(0, j);
        }
        if (!pre && !post)
            return invalid(QStringLiteral("time: invalid duration ") + quoted);
        qsizetype u = 0;
        while (u < s.size() && s.at(u) != QLatin1Char('.') && !isDigit(s.at(u)))
            ++u;
        if (u == 0)
            return invalid(QStringLiteral("time: missing unit in duration ") + quoted);
        const QString unitName = s.left(u);
        s.remove(0, u);
        const auto unit = units.constFind(unitName);
        if (unit == units.constEnd())
            return invalid(
                QStringLiteral("time: unknown unit \"%1\" in duration %2").arg(unitName, quoted));
        if (whole > kLimit / *unit)
            return invalid(QStringLiteral("time: invalid duration ") + quoted);
        quint64 value = whole * *unit;
        if (frac > 0) {
            value += quint64(double(frac) * (double(*unit) / scale));
            if (value > kLimit)
                return invalid(QStringLiteral("time: invalid duration ") + quoted);
        }
        total += value;
        if (total > kLimit)
            return invalid(QStringLiteral("time: invalid duration ") + quoted);
    }
    if (negative)
        return total == kLimit ? std::numeric_limits<qint64>::min() : -qint64(total);
    if (total > kLimit - 1)
        return invalid(QStringLiteral("time: invalid duration ") + quoted);
    return qint64(total);
}

QString CronExpression::goDurationString(qint64 nanoseconds)
{
    const bool negative = nanoseconds < 0;
    quint64 u = negative ? quint64(0) - quint64(nanoseconds) : quint64(nanoseconds);
    QString out;
    if (u < 1000000000ULL) {
        if (u == 0)
            return QStringLiteral("0s");
        QString unit;
        int prec = 0;
        if (u < 1000ULL) {
            unit = QStringLiteral("ns");
        } else if (u < 1000000ULL) {
            prec = 3;
            unit = QStringLiteral("\u00b5s");
        } else {
            prec = 6;
            unit = QStringLiteral("ms");
        }
        const QString frac = fraction(&u, prec);
        out = QString::number(u) + frac + unit;
    } else {
        const QString frac = fraction(&u, 9);
        out = QString::number(u % 60) + frac + QLatin1Char('s');
        u /= 60;
        if (u > 0) {
            out = QString::number(u % 60) + QLatin1Char('m') + out;
            u /= 60;
            if (u > 0)
                out = QString::number(u) + QLatin1Char('h') + out;
        }
    }
    return negative ? QLatin1Char('-') + out : out;
}

namespace {

// A zone by IANA name. Making a QTimeZone reads its rules from the system's zone files; 10 000
// jobs in a handful of zones read them a handful of times. Jobs are parsed on the gateway thread
// and the window's editor on the UI thread, hence the lock; unknown names are not kept, so
// nobody fills the cache with them.
QTimeZone namedZone(const QByteArray &name)
{
    static QMutex lock;
    static QHash<QByteArray, QTimeZone> zones;
    {
        QMutexLocker locked(&lock);
        const auto found = zones.constFind(name);
        if (found != zones.cend())
            return *found;
    }
    QTimeZone zone(name);
    if (zone.isValid()) {
        QMutexLocker locked(&lock);
        if (zones.size() < 1000)
            zones.insert(name, zone);
    }
    return zone;
}

} // namespace

std::optional<CronExpression> CronExpression::parse(const QString &specIn,
                                                    const QTimeZone &defaultZone, QString *error)
{
    QString spec = specIn;
    const auto fail = [error](const QString &why) -> std::optional<CronExpression> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (spec.isEmpty())
        return fail(QStringLiteral("empty spec string"));
    CronExpression expression;
    expression.m_zone = defaultZone;
    if (spec.startsWith(QLatin1String("TZ=")) || spec.startsWith(QLatin1String("CRON_TZ="))) {
        const qsizetype space = spec.indexOf(QLatin1Char(' '));
        const qsizetype equals = spec.indexOf(QLatin1Char('='));
        const QString name =
            space < 0 ? spec.mid(equals + 1) : spec.mid(equals + 1, space - equals - 1);
        const QTimeZone zone = namedZone(name.toUtf8());
        // Go's LoadLocation takes "UTC" and "Local" too; an empty name is UTC.
        if (name.isEmpty() || name == QLatin1String("UTC")) {
            expression.m_zone = QTimeZone::utc();
        } else if (name == QLatin1String("Local")) {
            expression.m_zone = defaultZone;
        } else if (!zone.isValid()) {
            return fail(QStringLiteral("provided bad location %1: unknown time zone %1").arg(name));
        } else {
            expression.m_zone = zone;
        }
        spec = space < 0 ? QString() : spec.mid(space).trimmed();
    }
    if (spec.startsWith(QLatin1Char('@'))) {
        const auto fixed = [&](quint64 minute, quint64 hour, quint64 dom, quint64 month,
                               quint64 dow) {
            expression.m_minute = minute;
            expression.m_hour = hour;
            expression.m_dom = dom;
            expression.m_month = month;
            expression.m_dow = dow;
            return std::optional<CronExpression>(expression);
        };
        if (spec == QLatin1String("@yearly") || spec == QLatin1String("@annually"))
            return fixed(1, 1, 1 << 1, 1 << 1, all(kDow));
        if (spec == QLatin1String("@monthly"))
            return fixed(1, 1, 1 << 1, all(kMonths), all(kDow));
        if (spec == QLatin1String("@weekly"))
            return fixed(1, 1, all(kDom), all(kMonths), 1);
        if (spec == QLatin1String("@daily") || spec == QLatin1String("@midnight"))
            return fixed(1, 1, all(kDom), all(kMonths), all(kDow));
        if (spec == QLatin1String("@hourly"))
            return fixed(1, all(kHours), all(kDom), all(kMonths), all(kDow));
        if (spec.startsWith(QLatin1String("@every "))) {
            const QString text = spec.mid(7);
            QString why;
            const std::optional<qint64> ns = parseGoDurationNs(text, &why);
            if (!ns)
                return fail(QStringLiteral("failed to parse duration %1: %2").arg(spec, why));
            // Whole seconds, at least one (robfig's Every).
            const qint64 seconds = *ns < 1000000000LL ? 1 : *ns / 1000000000LL;
            expression.m_everySeconds = seconds;
            return expression;
        }
        return fail(QStringLiteral("unrecognized descriptor: %1").arg(spec));
    }
    static const QRegularExpression spaces(QStringLiteral("\\s+")); // compiled once
    const QStringList fields = spec.split(spaces, Qt::SkipEmptyParts);
    if (fields.size() != 5)
        return fail(QStringLiteral("expected exactly 5 fields, found %1: [%2]")
                        .arg(fields.size())
                        .arg(fields.join(QLatin1Char(' '))));
    QString why;
    if (!parseField(fields.at(0), kMinutes, &expression.m_minute, &why) ||
        !parseField(fields.at(1), kHours, &expression.m_hour, &why) ||
        !parseField(fields.at(2), kDom, &expression.m_dom, &why) ||
        !parseField(fields.at(3), kMonths, &expression.m_month, &why) ||
        !parseField(fields.at(4), kDow, &expression.m_dow, &why))
        return fail(why);
    return expression;
}

QDateTime CronExpression::next(const QDateTime &afterIn) const
{
    // The upcoming whole second.
    const qint64 afterMs = afterIn.toMSecsSinceEpoch();
    const qint64 floorSec = afterMs >= 0 ? afterMs / 1000 : (afterMs - 999) / 1000;
    if (m_everySeconds > 0)
        return QDateTime::fromSecsSinceEpoch(floorSec + m_everySeconds, m_zone);
    QDateTime t = QDateTime::fromSecsSinceEpoch(floorSec + 1, m_zone);
    bool added = false;
    const int yearLimit = t.date().year() + 5;
    const auto dayMatches = [this](const QDateTime &when) {
        const bool domMatch = has(m_dom, when.date().day());
        const bool dowMatch = has(m_dow, when.date().dayOfWeek() % 7); // Sunday = 0
        if ((m_dom & kStarBit) || (m_dow & kStarBit))
            return domMatch && dowMatch;
        return domMatch || dowMatch;
    };
wrap:
    if (t.date().year() > yearLimit)
        return QDateTime();
    while (!has(m_month, t.date().month())) {
        if (!added) {
            added = true;
            t = QDateTime(QDate(t.date().year(), t.date().month(), 1), QTime(0, 0), m_zone);
        }
        t = t.addMonths(1);
        if (t.date().month() == 1)
            goto wrap;
    }
    while (!dayMatches(t)) {
        if (!added) {
            added = true;
            t = QDateTime(t.date(), QTime(0, 0), m_zone);
        }
        t = t.addDays(1);
        // Where midnight does not exist (a daylight-saving jump), robfig moves to the hour
        // nearest midnight.
        const int hour = t.time().hour();
        if (hour != 0)
            t = t.addSecs(hour > 12 ? qint64(24 - hour) * 3600 : -qint64(hour) * 3600);
        if (t.date().day() == 1)
            goto wrap;
    }
    while (!has(m_hour, t.time().hour())) {
        if (!added) {
            added = true;
            t = QDateTime(t.date(), QTime(t.time().hour(), 0), m_zone);
        }
        // robfig steps an hour at a time; the next listed hour (or the next midnight) is
        // reached at once, unless the clock changes in between: then hour by hour as robfig.
        const QTime now = t.time();
        const int target = nextListed(m_hour, now.hour(), 24);
        const QDateTime jumped = t.addSecs(qint64(target - now.hour()) * 3600);
        const bool same = jumped.time() == QTime(target % 24, now.minute(), now.second()) &&
                          jumped.date() == t.date().addDays(target / 24);
        t = same ? jumped : t.addSecs(3600);
        if (t.time().hour() == 0)
            goto wrap;
    }
    while (!has(m_minute, t.time().minute())) {
        if (!added) {
            added = true;
            t = QDateTime::fromSecsSinceEpoch(t.toSecsSinceEpoch() / 60 * 60, m_zone);
        }
        // The same for minutes: the next listed one (or the next hour) at once, unless the
        // clock changes in between.
        const QTime now = t.time();
        const int target = nextListed(m_minute, now.minute(), 60);
        const QDateTime jumped = t.addSecs(qint64(target - now.minute()) * 60);
        const bool same =
            jumped.time() == QTime((now.hour() + target / 60) % 24, target % 60, now.second()) &&
            jumped.date() == t.date().addDays((now.hour() + target / 60) / 24);
        t = same ? jumped : t.addSecs(60);
        if (t.time().minute() == 0)
            goto wrap;
    }
    if (t.time().second() != 0) {
        // Runs are on whole minutes: on to the next one, then everything is checked again.
        added = true;
        t = t.addSecs(60 - t.time().second());
        goto wrap;
    }
    return t.toTimeZone(afterIn.timeZone().isValid() ? afterIn.timeZone() : m_zone);
}
