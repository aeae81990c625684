#pragma once

#include "apiresponse.h"

// The one writer of HTTP answers (DESIGN.md, decision 17): status line with its reason phrase,
// the security headers of every answer, Cache-Control under /api/, CORS headers for allowed
// origins, framing and Connection handling. Routed, streamed, refused and error answers alike
// come through here.
namespace ResponseWriter {

struct Context
{
    bool headRequest = false; // HEAD: headers only
    bool apiPath = false;     // under /api/: Cache-Control: no-store
    bool close = false;       // Connection: close (the connection ends after this answer)
    bool http10KeepAlive = false;
    bool upgrade = false; // 101: Connection: Upgrade
    HeaderList cors;      // from the guard, for the request's Origin
};

QByteArray reasonPhrase(int status);
// Appends the serialized answer to `out` (a buffer the caller reuses).
void serialize(QByteArray &out, const ApiResponse &response, const Context &context);
// An interim "100 Continue".
QByteArray continueLine();

} // namespace ResponseWriter
