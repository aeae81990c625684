#include "clock.h"

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
