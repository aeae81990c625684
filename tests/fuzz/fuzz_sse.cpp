// The provider stream parser fed in pieces (the first byte picks the piece size).

#include "providers/sseparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qsizetype piece = 1 + data[0] % 128;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    SseParser parser;
    qsizetype events = 0;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        events += parser.feed(bytes.mid(at, piece)).size();
    parser.pendingEvent();
    return events < 0 ? 1 : 0;
}
