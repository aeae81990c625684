#include "authratelimiter.h"

#include "core/clock.h"

void AuthRateLimiter::setLimits(int maxFailures, qint64 windowMs)
{
    m_maxFailures = qMax(1, maxFailures);
    m_windowMs = qMax<qint64>(1, windowMs);
}

void AuthRateLimiter::prune(QList<qint64> &failures, qint64 now) const
{
    while (!failures.isEmpty() && failures.first() <= now - m_windowMs)
        failures.removeFirst();
}

QString AuthRateLimiter::clientKey(const QHostAddress &addressIn)
{
    QHostAddress address = addressIn;
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    if (mapped)
        address = QHostAddress(v4);
    if (address.isLoopback())
        return QStringLiteral("loopback");
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        Q_IPV6ADDR bytes = address.toIPv6Address();
        for (int i = 8; i < 16; ++i)
            bytes[i] = 0;
        return QHostAddress(bytes).toString() + QStringLiteral("/64");
    }
    return address.toString();
}

qint64 AuthRateLimiter::retryAfterMs(const QHostAddress &client)
{
    const QString key = clientKey(client);
    auto it = m_failures.find(key);
    if (it == m_failures.end())
        return 0;
    const qint64 now = Clock::nowMs();
    prune(*it, now);
    if (it->isEmpty()) {
        m_failures.erase(it);
        return 0;
    }
    if (it->size() < m_maxFailures)
        return 0;
    // Free again when enough old failures have left the window.
    const qint64 freeAt = it->at(it->size() - m_maxFailures) + m_windowMs;
    return qMax<qint64>(1, freeAt - now);
}

void AuthRateLimiter::recordFailure(const QHostAddress &client)
{
    QList<qint64> &failures = m_failures[clientKey(client)];
    failures.append(Clock::nowMs());
    // Bound memory per client: older entries no longer change the verdict.
    while (failures.size() > m_maxFailures * 2)
        failures.removeFirst();
    // Bound the number of tracked clients.
    if (m_failures.size() > 10000) {
        const qint64 now = Clock::nowMs();
        for (auto it = m_failures.begin(); it != m_failures.end();) {
            prune(*it, now);
            it = it->isEmpty() ? m_failures.erase(it) : std::next(it);
        }
    }
}
