#include "requesthead.h"

#include <QHostAddress>

namespace {

bool isTargetChar(unsigned char c)
{
    // Visible ASCII; no spaces or controls (a raw non-ASCII byte is tolerated as Go does).
    return c > 0x20 && c != 0x7f;
}

bool isValueChar(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

QByteArray trimmedView(const char *begin, const char *end)
{
    while (begin < end && (*begin == ' ' || *begin == '\t'))
        ++begin;
    while (end > begin && (end[-1] == ' ' || end[-1] == '\t'))
        --end;
    return QByteArray(begin, end - begin);
}

} // namespace

bool isHttpTokenChar(char ch)
{
    const auto c = static_cast<unsigned char>(ch);
    if (c >= '0' && c <= '9')
        return true;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isValidHostHeader(const QByteArray &value)
{
    if (value.isEmpty())
        return true; // allowed by RFC 9112 for some targets; the allowlist refuses it
    QByteArray host = value;
    QByteArray port;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        const QByteArray literal = host.mid(1, close - 1);
        const QByteArray rest = host.mid(close + 1);
        QHostAddress address;
        if (literal.isEmpty() || !address.setAddress(QString::fromLatin1(literal)) ||
            address.protocol() != QAbstractSocket::IPv6Protocol)
            return false;
        if (rest.isEmpty())
            return true;
        if (!rest.startsWith(':'))
            return false;
        port = rest.mid(1);
    } else {
        const qsizetype colon = host.indexOf(':');
        if (colon >= 0) {
            port = host.mid(colon + 1);
            host = host.left(colon);
            if (port.isEmpty())
                return true; // "host:" is allowed by the grammar
        }
        if (host.isEmpty() || host.size() > 255)
            return false;
        for (const char ch : std::as_const(host)) {
            const auto c = static_cast<unsigned char>(ch);
            const bool ok = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
            if (!ok)
                return false;
        }
    }
    if (port.isEmpty())
        return true;
    if (port.size() > 5)
        return false;
    for (const char c : std::as_const(port))
        if (c < '0' || c > '9')
            return false;
    return port.toInt() <= 65535;
}

RequestHead::ParseResult RequestHead::parse(const char *data, qsizetype size, RequestHead *head,
                                            qint64 maxHeadBytes, int maxHeaders)
{
    head->headers.clear();
    head->error.clear();
    const char *const begin = data;
    const char *const end = data + qMin<qsizetype>(size, maxHeadBytes + 4);
    const char *p = begin;
    // Skip blank lines before the request line.
    while (p < end && (*p == '\r' || *p == '\n')) {
        if (*p == '\r' && (p + 1 >= end || p[1] != '\n'))
            break;
        p += (*p == '\r') ? 2 : 1;
    }
    bool requestLine = true;
    const char *lineStart = p;
    while (true) {
        const char *nl =
            static_cast<const char *>(memchr(lineStart, '\n', size_t(end - lineStart)));
        if (!nl) {
            if (end - begin > maxHeadBytes)
                return ParseResult::TooLarge;
            // A NUL or a bare CR in what has arrived already condemns the head.
            for (const char *q = lineStart; q < end; ++q) {
                if (*q == '\0') {
                    head->error = "NUL in the request head";
                    return ParseResult::Malformed;
                }
                if (*q == '\r' && q + 1 < end) {
                    head->error = "bare CR in the request head";
                    return ParseResult::Malformed;
                }
            }
            return ParseResult::Incomplete;
        }
        if (nl + 1 - begin > maxHeadBytes)
            return ParseResult::TooLarge;
        const char *lineEnd = nl;
        if (lineEnd > lineStart && lineEnd[-1] == '\r')
            --lineEnd;
        for (const char *q = lineStart; q < lineEnd; ++q) {
            if (*q == '\r' || *q == '\0') {
                head->error =
                    *q == '\r' ? "bare CR in the request head" : "NUL in the request head";
                return ParseResult::Malformed;
            }
        }
        if (requestLine) {
            requestLine = false;
            const char *sp1 =
                static_cast<const char *>(memchr(lineStart, ' ', size_t(lineEnd - lineStart)));
            const char *sp2 =
                sp1 ? static_cast<const char *>(memchr(sp1 + 1, ' ', size_t(lineEnd - sp1 - 1)))
                    : nullptr;
            if (!sp1 || !sp2 || sp1 == lineStart || sp2 == sp1 + 1 || sp2 + 1 >= lineEnd ||
                memchr(sp2 + 1, ' ', size_t(lineEnd - sp2 - 1))) {
                head->error = "malformed request line";
                return ParseResult::Malformed;
            }
            head->method = QByteArray(lineStart, sp1 - lineStart);
            head->target = QByteArray(sp1 + 1, sp2 - sp1 - 1);
            head->version = QByteArray(sp2 + 1, lineEnd - sp2 - 1);
            for (const char c : std::as_const(head->method))
                if (!isHttpTokenChar(c)) {
                    head->error = "malformed request method";
                    return ParseResult::Malformed;
                }
            for (const char c : std::as_const(head->target))
                if (!isTargetChar(static_cast<unsigned char>(c))) {
                    head->error = "malformed request target";
                    return ParseResult::Malformed;
                }
            if (head->version != "HTTP/1.1" && head->version != "HTTP/1.0") {
                head->error = "unsupported HTTP version";
                return ParseResult::Malformed;
            }
            if (!head->target.startsWith('/') && !head->target.startsWith("http://") &&
                !head->target.startsWith("https://") && head->target != "*") {
                head->error = "malformed request target";
                return ParseResult::Malformed;
            }
        } else if (lineEnd == lineStart) {
            head->headSize = nl + 1 - begin;
            return ParseResult::Complete;
        } else {
            if (*lineStart == ' ' || *lineStart == '\t') {
                head->error = "obsolete line folding in a header";
                return ParseResult::Malformed;
            }
            const char *colon =
                static_cast<const char *>(memchr(lineStart, ':', size_t(lineEnd - lineStart)));
            if (!colon || colon == lineStart) {
                head->error = "malformed header line";
                return ParseResult::Malformed;
            }
            for (const char *q = lineStart; q < colon; ++q)
                if (!isHttpTokenChar(*q)) {
                    head->error = "malformed header name";
                    return ParseResult::Malformed;
                }
            for (const char *q = colon + 1; q < lineEnd; ++q)
                if (!isValueChar(static_cast<unsigned char>(*q))) {
                    head->error = "control character in a header value";
                    return ParseResult::Malformed;
                }
            if (head->headers.size() >= maxHeaders)
                return ParseResult::TooLarge;
            head->headers.append(HeaderPair{QByteArray(lineStart, colon - lineStart).toLower(),
                                            trimmedView(colon + 1, lineEnd)});
        }
        lineStart = nl + 1;
    }
}

QByteArray RequestHead::header(const QByteArray &lowerName) const
{
    for (const auto &header : headers)
        if (header.first == lowerName)
            return header.second;
    return QByteArray();
}

bool RequestHead::hasHeader(const QByteArray &lowerName) const
{
    return headerCount(lowerName) > 0;
}

int RequestHead::headerCount(const QByteArray &lowerName) const
{
    int count = 0;
    for (const auto &header : headers)
        count += header.first == lowerName ? 1 : 0;
    return count;
}

bool RequestHead::isWebSocketUpgrade() const
{
    if (header("upgrade").toLower() != "websocket")
        return false;
    for (const QByteArray &token : header("connection").split(','))
        if (token.trimmed().toLower() == "upgrade")
            return true;
    return false;
}

bool RequestHead::framing(Framing *out) const
{
    *out = Framing();
    const int lengths = headerCount("content-length");
    const int codings = headerCount("transfer-encoding");
    if (lengths > 1) {
        out->error = "more than one Content-Length";
        return false;
    }
    if (codings > 0) {
        if (lengths > 0) {
            out->error = "both Content-Length and Transfer-Encoding";
            return false;
        }
        if (codings > 1 || header("transfer-encoding").trimmed().toLower() != "chunked") {
            out->error = "unsupported transfer encoding";
            out->status = 501;
            return false;
        }
        out->chunked = true;
        return true;
    }
    if (lengths == 1) {
        const QByteArray value = header("content-length");
        if (value.isEmpty() || value.size() > 15) {
            out->error = "invalid Content-Length";
            return false;
        }
        qint64 length = 0;
        for (const char c : value) {
            if (c < '0' || c > '9') {
                out->error = "invalid Content-Length";
                return false;
            }
            length = length * 10 + (c - '0');
        }
        out->contentLength = length;
    }
    return true;
}

bool RequestHead::keepAlive() const
{
    const QByteArray connection = header("connection").toLower();
    bool close = false;
    bool keep = false;
    for (const QByteArray &token : connection.split(',')) {
        const QByteArray t = token.trimmed();
        close |= t == "close";
        keep |= t == "keep-alive";
    }
    if (close)
        return false;
    return isHttp11() || keep;
}

QByteArray RequestHead::absoluteAuthority() const
{
    if (target.startsWith('/') || target == "*")
        return QByteArray();
    const qsizetype scheme = target.indexOf("://");
    if (scheme < 0)
        return QByteArray();
    const qsizetype start = scheme + 3;
    qsizetype stop = start;
    while (stop < target.size() && target.at(stop) != '/' && target.at(stop) != '?' &&
           target.at(stop) != '#')
        ++stop;
    return target.mid(start, stop - start);
}

QByteArray RequestHead::rawPath() const
{
    qsizetype start = 0;
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf("://");
        start = scheme < 0 ? target.size() : target.indexOf('/', scheme + 3);
        if (start < 0)
            return QByteArrayLiteral("/");
    }
    qsizetype stop = target.indexOf('?', start);
    const qsizetype hash = target.indexOf('#', start);
    if (stop < 0 || (hash >= 0 && hash < stop))
        stop = hash;
    return stop < 0 ? target.mid(start) : target.mid(start, stop - start);
}

QByteArray RequestHead::rawQuery() const
{
    const qsizetype question = target.indexOf('?');
    if (question < 0)
        return QByteArray();
    const qsizetype hash = target.indexOf('#', question);
    return hash < 0 ? target.mid(question + 1) : target.mid(question + 1, hash - question - 1);
}
