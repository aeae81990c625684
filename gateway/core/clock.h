#pragma once

#include <QDateTime>
#include <functional>

// Time source that tests can replace, so time-dependent code never needs real sleeps.
class Clock
{
public:
    using NowFunction = std::function<qint64()>; // milliseconds since the epoch

    static qint64 nowMs();
    static QDateTime nowUtc();
    // RFC 3339 with second precision and the local offset ("2026-05-11T19:48:35+08:00", "…Z"
    // in UTC), as clawgo writes timestamps.
    static QString rfc3339(const QDateTime &when);
    // A steady clock for network deadlines (never replaced, never jumps).
    static qint64 monotonicMs();
    // Replaces the time source for the whole process; pass nullptr to restore the system clock.
    static void setNowFunction(NowFunction now);

private:
    static NowFunction &function();
};
