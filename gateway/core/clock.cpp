#include "clock.h"

#include <chrono>

Clock::NowFunction &Clock::function()
{
    static NowFunction now;
    return now;
}

qint64 Clock::nowMs()
{
    const NowFunction &now = function();
    return now ? now() : QDateTime::currentMSecsSinceEpoch();
}

QDateTime Clock::nowUtc()
{
    return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
}

void Clock::setNowFunction(NowFunction now)
{
    function() = std::move(now);
}

qint64 Clock::monotonicMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

QString Clock::rfc3339(const QDateTime &when)
{
    if (!when.isValid())
        return QString();
    const QDateTime local = when.toLocalTime();
    const int offset = local.offsetFromUtc();
    const QString text = local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (offset == 0)
        return text + QLatin1Char('Z');
    const int minutes = qAbs(offset) / 60;
    return text + (offset < 0 ? QLatin1Char('-') : QLatin1Char('+')) +
           QStringLiteral("%1:%2")
               .arg(minutes / 60, 2, 10, QLatin1Char('0'))
               .arg(minutes % 60, 2, 10, QLatin1Char('0'));
}
