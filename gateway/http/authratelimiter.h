#pragma once

#include <QHash>
#include <QHostAddress>
#include <QList>

// Counts failed authentications per client in a sliding window. A client over the limit gets
// 429 for its further failures until the window has moved on; a request with the right token is
// never refused (RequestGuard checks the token first). A "client" is what an attacker cannot
// multiply cheaply: every loopback address is one client (127.0.0.2, .3, … are the same machine),
// an IPv6 client is its /64, an IPv4-mapped address its IPv4 address.
class AuthRateLimiter
{
public:
    void setLimits(int maxFailures, qint64 windowMs);
    // Milliseconds until the client's failures are counted again; 0 when it is not over the limit.
    qint64 retryAfterMs(const QHostAddress &client);
    void recordFailure(const QHostAddress &client);
    static QString clientKey(const QHostAddress &address);

private:
    void prune(QList<qint64> &failures, qint64 now) const;

    int m_maxFailures = 10;
    qint64 m_windowMs = 60 * 1000;
    QHash<QString, QList<qint64>> m_failures;
};
