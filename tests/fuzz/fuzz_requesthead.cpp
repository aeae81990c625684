// The request head and the guard: whatever bytes arrive, parsing ends in one of its four
// results, and a complete head goes through framing, the Host syntax check, the guard and the
// query decoder without crashing.

#include "http/apiresponse.h"
#include "http/requestguard.h"
#include "http/requesthead.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    RequestHead head;
    const auto result = RequestHead::parse(bytes, &head, 64 * 1024, 100);
    if (result != RequestHead::ParseResult::Complete)
        return 0;
    RequestHead::Framing framing;
    head.framing(&framing);
    head.keepAlive();
    head.isWebSocketUpgrade();
    isValidHostHeader(head.header("host"));
    const QByteArray authority = head.absoluteAuthority();
    isValidHostHeader(authority);
    const QByteArray rawPath = head.rawPath();
    const QByteArray rawQuery = head.rawQuery();
    ApiRequest::parseQuery(rawQuery);
    static RequestGuard guard = [] {
        RequestGuard g;
        RequestGuard::Policy policy;
        policy.token = QStringLiteral("cg_fuzz_token");
        policy.allowedHosts = {QStringLiteral("clawgo.lan")};
        policy.allowedOrigins = {QStringLiteral("https://dash.example")};
        g.setPolicy(policy);
        return g;
    }();
    const QUrl url = QUrl::fromEncoded("http://localhost" + rawPath +
                                       (rawQuery.isEmpty() ? QByteArray() : '?' + rawQuery));
    GuardInput input{head.method, url, head.headers, QHostAddress::LocalHost,
                     head.isWebSocketUpgrade(), authority.isEmpty() ? QByteArray() : authority};
    guard.check(input, true);
    guard.corsHeaders(head.header("origin"));
    guard.preflightHeaders(input);
    return 0;
}
