#pragma once

#include <QByteArray>
#include <QString>

namespace LogText {

// Text a client chose (a Host header, an Origin, a path) made fit for one log line: control
// characters escaped and cut to `maxChars`, with the original length noted when cut. A client can
// then neither forge log lines nor make one line as large as its request.
QString clip(const QByteArray &text, int maxChars = 120);

} // namespace LogText

#include <QLoggingCategory>
#include <QMutex>

// Collapses a flood of one kind of log line: the first `perMinute` of a minute are logged, the
// rest are counted and reported as one line ("… 2000 more like this in the last minute") with
// the first line of the next minute. A client that triggers a warning on every request then
// costs a few lines a minute, not one line per request. Thread-safe.
class LogThrottle
{
public:
    explicit LogThrottle(int perMinute = 20) : m_perMinute(perMinute) {}
    // True when this occurrence may be logged. `suppressedBefore` (if not null) receives how
    // many were dropped in the minute that just ended (to be logged first), or 0.
    bool allow(qint64 *suppressedBefore = nullptr);
    // Logs `message` unless the minute's budget is spent; first reports how many lines of this
    // kind (`what`, e.g. "refused Host headers") the previous minute dropped.
    void log(const QLoggingCategory &category, QtMsgType type, const QString &message,
             const QString &what);

private:
    QMutex m_mutex;
    int m_perMinute;
    qint64 m_windowStartMs = 0;
    int m_inWindow = 0;
    qint64 m_suppressed = 0;
};
