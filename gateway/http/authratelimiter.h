#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>

// Counts failed authentications per client address in a sliding window. A client over the
// limit is refused before its token is even looked at, until the window has moved on.
class AuthRateLimiter
{
public:
    void setLimits(int maxFailures, qint64 windowMs);
    // Milliseconds until the client may try again; 0 when it is not blocked.
    qint64 retryAfterMs(const QHostAddress &client);
    void recordFailure(const QHostAddress &client);
    void recordSuccess(const QHostAddress &client);

private:
    void prune(QList<qint64> &failures, qint64 now) const;

    int m_maxFailures = 10;
    qint64 m_windowMs = 60 * 1000;
    QHash<QString, QList<qint64>> m_failures;
};
