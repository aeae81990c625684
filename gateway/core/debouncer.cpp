#include "debouncer.h"

Debouncer::Debouncer(int delayMs, int maxWaitMs, std::function<void()> action, QObject *parent)
    : QObject(parent), m_action(std::move(action))
{
    m_delay.setSingleShot(true);
    m_deadline.setSingleShot(true);
    setDelays(delayMs, maxWaitMs);
    connect(&m_delay, &QTimer::timeout, this, &Debouncer::fire);
    connect(&m_deadline, &QTimer::timeout, this, &Debouncer::fire);
}

void Debouncer::setDelays(int delayMs, int maxWaitMs)
{
    m_delay.setInterval(delayMs);
    m_deadline.setInterval(qMax(delayMs, maxWaitMs));
}

void Debouncer::request()
{
    if (!m_deadline.isActive())
        m_deadline.start();
    m_delay.start();
}

void Debouncer::flush()
{
    if (m_delay.isActive())
        fire();
}

void Debouncer::cancel()
{
    m_delay.stop();
    m_deadline.stop();
}

void Debouncer::fire()
{
    cancel();
    m_action();
}
