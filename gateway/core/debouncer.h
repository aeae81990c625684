#pragma once

#include <QObject>
#include <QTimer>
#include <functional>

// Runs an action once after requests stop for `delay`, but never later than `maxWait` after the
// first request of a burst: a save that keeps being postponed by new changes (a cursor moving
// every second) still happens within `maxWait`, so a crash loses at most that much.
class Debouncer final : public QObject
{
    Q_OBJECT

public:
    Debouncer(int delayMs, int maxWaitMs, std::function<void()> action, QObject *parent = nullptr);
    void setDelays(int delayMs, int maxWaitMs);
    void request();
    bool isPending() const { return m_delay.isActive(); }
    // Runs the action now if one is pending (shutdown).
    void flush();
    void cancel();

private:
    void fire();

    QTimer m_delay;
    QTimer m_deadline;
    std::function<void()> m_action;
};
