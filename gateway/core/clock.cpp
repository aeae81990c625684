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
