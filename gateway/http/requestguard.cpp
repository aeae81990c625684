#include "requestguard.h"

#include "core/logcategories.h"
#include "core/logtext.h"

#include <QCryptographicHash>
#include <QUrlQuery>

namespace {

bool isStateChanging(const QByteArray &method)
{
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Host header without its port; IPv6 literals keep their brackets stripped.
QString hostName(const QByteArray &hostHeader)
{
    const QString host = QString::fromLatin1(hostHeader).trimmed().toLower();
    if (host.startsWith(QLatin1Char('['))) {
        const qsizetype close = host.indexOf(QLatin1Char(']'));
        return close > 0 ? host.mid(1, close - 1) : QString();
    }
    const qsizetype colon = host.lastIndexOf(QLatin1Char(':'));
    return colon >= 0 ? host.left(colon) : host;
}

QByteArray firstCookie(const QByteArray &cookieHeader, const QByteArray &name)
{
    const QList<QByteArray> parts = cookieHeader.split(';');
    for (const QByteArray &part : parts) {
        const QByteArray trimmed = part.trimmed();
        const qsizetype eq = trimmed.indexOf('=');
        if (eq > 0 && trimmed.left(eq).trimmed() == name)
            return trimmed.mid(eq + 1).trimmed();
    }
    return QByteArray();
}

QByteArray queryToken(const QUrl &url)
{
    const QUrlQuery query(url);
    if (!query.hasQueryItem(QStringLiteral("token")))
        return QByteArray();
    return query.queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded).trimmed().toUtf8();
}

} // namespace

QByteArray GuardInput::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return QByteArray();
}

bool RequestGuard::hostAllowed(const QByteArray &hostHeader, const QStringList &allowedHosts)
{
    const QString name = hostName(hostHeader);
    if (name.isEmpty())
        return false;
    if (name == QLatin1String("localhost") || name.endsWith(QLatin1String(".localhost")))
        return true;
    // Literal addresses cannot be rebound by DNS.
    if (!QHostAddress(name).isNull())
        return true;
    for (const QString &allowed : allowedHosts)
        if (allowed.trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

bool RequestGuard::originAllowed(const QByteArray &origin, const QByteArray &hostHeader,
                                 const QStringList &allowedOrigins)
{
    const QByteArray trimmed = origin.trimmed();
    if (trimmed.isEmpty())
        return true; // not a browser, or a same-origin GET
    if (trimmed.compare("http://" + hostHeader.trimmed(), Qt::CaseInsensitive) == 0)
        return true;
    for (const QString &allowed : allowedOrigins)
        if (allowed.trimmed().toUtf8().compare(trimmed, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

bool RequestGuard::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    // Compare digests so neither the content nor the length leaks through timing.
    const QByteArray da = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray db = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    unsigned char diff = 0;
    for (qsizetype i = 0; i < da.size(); ++i)
        diff |= static_cast<unsigned char>(da.at(i) ^ db.at(i));
    return diff == 0;
}

bool RequestGuard::tokenAccepted(const GuardInput &input) const
{
    const QByteArray token = m_policy.token.trimmed().toUtf8();
    bool accepted = false;
    // Evaluate every transport so timing does not reveal which one was tried.
    const QByteArray authorization = input.header("authorization").trimmed();
    if (authorization.startsWith("Bearer "))
        accepted |= constantTimeEquals(authorization.mid(7), token);
    const QByteArray fromQuery = queryToken(input.url);
    if (!fromQuery.isEmpty())
        accepted |= constantTimeEquals(fromQuery, token);
    const QByteArray fromCookie = firstCookie(input.header("cookie"), "clawgo_webui_token");
    if (!fromCookie.isEmpty())
        accepted |= constantTimeEquals(fromCookie, token);
    const QByteArray referer = input.header("referer").trimmed();
    if (!referer.isEmpty()) {
        // Only a page of this very origin may lend its token (DESIGN.md, decision 3).
        const QUrl refererUrl = QUrl::fromEncoded(referer);
        const QByteArray refererOrigin =
            (refererUrl.scheme() + QStringLiteral("://") + refererUrl.authority()).toUtf8();
        const QByteArray ownOrigin = "http://" + input.host().trimmed();
        if (refererUrl.isValid() && refererOrigin.compare(ownOrigin, Qt::CaseInsensitive) == 0) {
            const QByteArray fromReferer = queryToken(refererUrl);
            if (!fromReferer.isEmpty())
                accepted |= constantTimeEquals(fromReferer, token);
        }
    }
    return accepted;
}

GuardDecision RequestGuard::check(const GuardInput &input, bool needsAuth)
{
    ++m_checked;
    GuardDecision decision;
    if (!hostAllowed(input.host(), m_policy.allowedHosts)) {
        static LogThrottle throttle;
        throttle.log(lcAuth(), QtWarningMsg,
                     QStringLiteral("refused Host %1 from %2")
                         .arg(LogText::clip(input.host()), input.peer.toString()),
                     QStringLiteral("refused Host headers"));
        decision.status = 403;
        decision.body = "forbidden: Host header not allowed\n";
        return decision;
    }
    const QByteArray origin = input.header("origin");
    if ((input.upgrade || isStateChanging(input.method)) &&
        !originAllowed(origin, input.host(), m_policy.allowedOrigins)) {
        static LogThrottle throttle;
        throttle.log(lcAuth(), QtWarningMsg,
                     QStringLiteral("refused Origin %1 for %2")
                         .arg(LogText::clip(origin), LogText::clip(input.url.path().toUtf8())),
                     QStringLiteral("refused Origins"));
        decision.status = 403;
        decision.body = "forbidden: Origin not allowed\n";
        return decision;
    }
    if (!needsAuth)
        return decision;
    if (m_policy.token.trimmed().isEmpty()) {
        // Second line of defence behind the config validation: whatever the config says, an API
        // reachable from other machines is never open without a token.
        if (!m_policy.loopbackListener) {
            decision.status = 403;
            decision.body = "forbidden: gateway.token is empty, and the API is only served "
                            "without a token on a loopback address\n";
        }
        return decision;
    }
    // The right token always passes, however many failures others caused: a wrong guesser can
    // never lock the real user out.
    if (tokenAccepted(input))
        return decision;
    if (const qint64 waitMs = m_limiter.retryAfterMs(input.peer)) {
        decision.status = 429;
        decision.body = "too many failed authentication attempts\n";
        decision.headers.append(
            HeaderPair{"Retry-After", QByteArray::number((waitMs + 999) / 1000)});
        return decision;
    }
    m_limiter.recordFailure(input.peer);
    static LogThrottle throttle;
    throttle.log(lcAuth(), QtInfoMsg,
                 QStringLiteral("unauthorized %1 %2 from %3")
                     .arg(LogText::clip(input.method), LogText::clip(input.url.path().toUtf8()),
                          input.peer.toString()),
                 QStringLiteral("unauthorized requests"));
    decision.status = 401;
    decision.body = "unauthorized\n";
    return decision;
}

HeaderList RequestGuard::corsHeaders(const QByteArray &origin) const
{
    HeaderList headers;
    const QByteArray trimmed = origin.trimmed();
    if (trimmed.isEmpty())
        return headers;
    for (const QString &allowed : m_policy.allowedOrigins) {
        if (allowed.trimmed().toUtf8().compare(trimmed, Qt::CaseInsensitive) == 0) {
            headers.append(HeaderPair{"Access-Control-Allow-Origin", trimmed});
            headers.append(HeaderPair{"Access-Control-Allow-Credentials", "true"});
            headers.append(HeaderPair{"Access-Control-Expose-Headers", "ETag, Retry-After"});
            headers.append(HeaderPair{"Vary", "Origin"});
            break;
        }
    }
    return headers;
}

HeaderList RequestGuard::preflightHeaders(const GuardInput &input) const
{
    HeaderList headers = corsHeaders(input.header("origin"));
    if (headers.isEmpty())
        return headers;
    const QByteArray method = input.header("access-control-request-method").trimmed();
    const QByteArray requested = input.header("access-control-request-headers").trimmed();
    headers.append(
        HeaderPair{"Access-Control-Allow-Methods",
                   method.isEmpty() ? "GET, POST, PUT, PATCH, DELETE, OPTIONS" : method});
    headers.append(HeaderPair{"Access-Control-Allow-Headers",
                              requested.isEmpty()
                                  ? "Authorization, Content-Type, If-Match, X-Requested-With, "
                                    "Accept, Origin, Cache-Control, Pragma"
                                  : requested});
    headers.append(HeaderPair{"Access-Control-Max-Age", "86400"});
    return headers;
}
