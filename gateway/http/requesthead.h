#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

using HeaderPair = QPair<QByteArray, QByteArray>;
using HeaderList = QList<HeaderPair>;

// A parsed HTTP/1.x request head, read strictly: a bare CR or a NUL anywhere, an obsolete line
// fold, a header name that is not a token or a control character in a value make it malformed
// (they are how request smuggling and header injection start).
struct RequestHead
{
    enum class ParseResult
    {
        Incomplete,
        Complete,
        Malformed,
        TooLarge
    };

    QByteArray method;
    QByteArray target; // as sent: origin form (/path?query) or absolute form (http://host/path)
    QByteArray version;
    HeaderList headers;  // names lower-cased, values trimmed
    qint64 headSize = 0; // bytes up to and including the blank line (and leading blank lines)
    QByteArray error;    // why the head is malformed, for the 400 answer

    // Parses the head at the start of `data`. Blank lines before the request line are skipped,
    // as RFC 9112 §2.2 asks of servers.
    static ParseResult parse(const char *data, qsizetype size, RequestHead *head,
                             qint64 maxHeadBytes, int maxHeaders);
    static ParseResult parse(const QByteArray &data, RequestHead *head, qint64 maxHeadBytes,
                             int maxHeaders)
    {
        return parse(data.constData(), data.size(), head, maxHeadBytes, maxHeaders);
    }

    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
    int headerCount(const QByteArray &lowerName) const;
    bool isHttp11() const { return version == "HTTP/1.1"; }
    bool isWebSocketUpgrade() const;
    // The body framing the head announces. False (with `error`) when it is contradictory or
    // invalid: a Content-Length that is negative, not a number, too large or given twice, a
    // Transfer-Encoding other than chunked, or both at once.
    struct Framing
    {
        bool chunked = false;
        qint64 contentLength = 0; // when not chunked
        QByteArray error;
        int status = 400; // 501 for an unknown transfer coding
    };
    bool framing(Framing *framing) const;
    // True when the connection stays open after the answer (HTTP/1.1 unless "close",
    // HTTP/1.0 only with "keep-alive").
    bool keepAlive() const;
    // The authority of an absolute-form target ("host:port"), empty for origin form.
    QByteArray absoluteAuthority() const;
    // The path of the target, percent-encoded as sent, and its query (without '?').
    QByteArray rawPath() const;
    QByteArray rawQuery() const;
};

// RFC 9110 token characters (header names, methods).
bool isHttpTokenChar(char c);
// A syntactically valid Host header value: a registered name, an IPv4 address or a bracketed
// IPv6 literal, with an optional numeric port. `evil.com/.localhost`, `[::1]evil.com` and
// `127.0.0.1:abc` are not.
bool isValidHostHeader(const QByteArray &value);
