// The multipart parser fed in pieces (the first byte picks the piece size), plus the header
// parameter and extended-value decoders on the same bytes.

#include "http/multipartparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArray bytes(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    MultipartParser::headerParameters(bytes.left(4096));
    bool ok = false;
    MultipartParser::decodeExtendedValue(bytes.left(4096), &ok);
    MultipartParser::boundaryOf("multipart/form-data; " + bytes.left(512));
    MultipartParser parser("fuzzboundary");
    qint64 received = 0;
    parser.onPartBegin = [](const MultipartParser::PartHeaders &) { return true; };
    parser.onPartData = [&received](const QByteArray &chunk) {
        received += chunk.size();
        return true;
    };
    parser.onPartEnd = [] { return true; };
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        if (!parser.feed(bytes.mid(at, piece)))
            break;
    return received < 0 ? 1 : 0;
}
