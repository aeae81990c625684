#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <functional>

// Incremental multipart/form-data parser: bytes in as they arrive, parts out through callbacks,
// holding no more than one boundary's worth of data (a part's body is never buffered whole).
class MultipartParser
{
public:
    struct PartHeaders
    {
        QByteArray name;
        QByteArray filename; // empty: not a file field
        QByteArray contentType;
        bool hasFilename = false;
    };

    std::function<bool(const PartHeaders &)> onPartBegin; // false: abort
    std::function<bool(const QByteArray &)> onPartData;   // false: abort
    std::function<bool()> onPartEnd;                      // false: abort

    explicit MultipartParser(const QByteArray &boundary);
    // The boundary of a Content-Type header value; empty if it is not multipart/form-data.
    static QByteArray boundaryOf(const QByteArray &contentType);
    // The parameters after a header value's first `;`, names lower-cased, quoted strings
    // unquoted (a `;` inside quotes stays in the value).
    static QList<QPair<QByteArray, QByteArray>> headerParameters(const QByteArray &value);
    // An RFC 8187 extended value (`UTF-8''%e6%8a%a5.pdf`) as UTF-8.
    static QByteArray decodeExtendedValue(const QByteArray &value, bool *ok);

    // False on malformed input or when a callback aborted (see error()).
    bool feed(const QByteArray &bytes);
    bool finished() const { return m_state == State::Done; }
    QByteArray error() const { return m_error; }

private:
    enum class State
    {
        Preamble,
        Headers,
        Body,
        AfterBoundary,
        Done,
        Failed
    };
    bool fail(const QByteArray &error);
    bool parseHeaders(const QByteArray &block);

    QByteArray m_delimiter; // "\r\n--" + boundary
    QByteArray m_buffer;
    State m_state = State::Preamble;
    QByteArray m_error;
};
