#pragma once

#include "authratelimiter.h"
#include "requesthead.h"

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QUrl>

// What the guards need to know about a request; built from a peeked head (WebSocket upgrades)
// or from a parsed QHttpServerRequest.
struct GuardInput
{
    QByteArray method;
    QUrl url;
    HeaderList headers; // lower-case names
    QHostAddress peer;
    bool upgrade = false;
    // The authority the request names: an absolute-form target's, else the Host header.
    QByteArray authority;

    QByteArray header(const QByteArray &lowerName) const;
    QByteArray host() const { return authority.isNull() ? header("host") : authority; }
};

// The guard verdict: status 0 lets the request through.
struct GuardDecision
{
    int status = 0;
    QByteArray body;
    HeaderList headers;
    bool passed() const { return status == 0; }
};

// Every request check of DESIGN.md in one place: Host allowlist, Origin on upgrades and
// state-changing requests, the four token transports with constant-time comparison, and the
// rate limit on failed authentication. Also produces the CORS and security headers.
class RequestGuard
{
public:
    struct Policy
    {
        QString token; // empty: authentication disabled (only honoured on loopback)
        // The listener is bound to a loopback address: only then may an empty token open the API.
        bool loopbackListener = true;
        QStringList allowedHosts;
        QStringList allowedOrigins;
    };

    // Keeps the listener fact, which comes from the bound socket, not from the config.
    void setPolicy(const Policy &policy)
    {
        const bool loopback = m_policy.loopbackListener;
        m_policy = policy;
        m_policy.loopbackListener = loopback;
    }
    void setLoopbackListener(bool loopback) { m_policy.loopbackListener = loopback; }
    const Policy &policy() const { return m_policy; }
    AuthRateLimiter &rateLimiter() { return m_limiter; }

    // Host, then Origin, then (when `needsAuth`) the token: a right token always passes; a wrong
    // or missing one counts against the client's failure budget (429 once it is spent).
    GuardDecision check(const GuardInput &input, bool needsAuth);
    // Requests and upgrades checked since start (what the Status page counts as requests).
    quint64 requestsChecked() const { return m_checked; }

    static bool hostAllowed(const QByteArray &hostHeader, const QStringList &allowedHosts);
    static bool originAllowed(const QByteArray &origin, const QByteArray &hostHeader,
                              const QStringList &allowedOrigins);
    bool tokenAccepted(const GuardInput &input) const;
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

    // CORS answer headers for `origin` (empty unless the origin is allowed).
    HeaderList corsHeaders(const QByteArray &origin) const;
    HeaderList preflightHeaders(const GuardInput &input) const;

private:
    Policy m_policy;
    AuthRateLimiter m_limiter;
    quint64 m_checked = 0;
};
