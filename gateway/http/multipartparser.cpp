#include "multipartparser.h"

namespace {
constexpr qsizetype kMaxHeaderBlock = 16 * 1024;
}

MultipartParser::MultipartParser(const QByteArray &boundary) : m_delimiter("\r\n--" + boundary)
{
    // The first boundary may start the body without a leading CRLF.
    m_buffer = "\r\n";
}

QByteArray MultipartParser::boundaryOf(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    if ((semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower() !=
        "multipart/form-data")
        return QByteArray();
    for (const auto &param : headerParameters(contentType))
        if (param.first == "boundary")
            return param.second.isEmpty() || param.second.size() > 200 ? QByteArray()
                                                                       : param.second;
    return QByteArray();
}

bool MultipartParser::fail(const QByteArray &error)
{
    m_state = State::Failed;
    m_error = error;
    return false;
}

QList<QPair<QByteArray, QByteArray>> MultipartParser::headerParameters(const QByteArray &value)
{
    // RFC 9110 parameters: `; name=token` or `; name="quoted \"string\""`, so a `;` inside
    // quotes is part of the value.
    QList<QPair<QByteArray, QByteArray>> params;
    qsizetype i = value.indexOf(';');
    while (i >= 0 && i < value.size()) {
        ++i; // past ';'
        while (i < value.size() && (value.at(i) == ' ' || value.at(i) == '\t'))
            ++i;
        const qsizetype nameStart = i;
        while (i < value.size() && value.at(i) != '=' && value.at(i) != ';')
            ++i;
        const QByteArray name = value.mid(nameStart, i - nameStart).trimmed().toLower();
        QByteArray parsed;
        if (i < value.size() && value.at(i) == '=') {
            ++i;
            while (i < value.size() && (value.at(i) == ' ' || value.at(i) == '\t'))
                ++i;
            if (i < value.size() && value.at(i) == '"') {
                ++i;
                while (i < value.size() && value.at(i) != '"') {
                    if (value.at(i) == '\\' && i + 1 < value.size())
                        ++i;
                    parsed += value.at(i);
                    ++i;
                }
                ++i; // closing quote
                while (i < value.size() && value.at(i) != ';')
                    ++i;
            } else {
                const qsizetype start = i;
                while (i < value.size() && value.at(i) != ';')
                    ++i;
                parsed = value.mid(start, i - start).trimmed();
            }
        }
        if (!name.isEmpty())
            params.append({name, parsed});
        if (i >= value.size() || value.at(i) != ';')
            break;
    }
    return params;
}

QByteArray MultipartParser::decodeExtendedValue(const QByteArray &value, bool *ok)
{
    // RFC 8187: charset'language'percent-encoded (UTF-8 and ISO-8859-1 are what clients use).
    *ok = false;
    const qsizetype first = value.indexOf('\'');
    const qsizetype second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0)
        return QByteArray();
    const QByteArray charset = value.left(first).trimmed().toLower();
    const QByteArray decoded = QByteArray::fromPercentEncoding(value.mid(second + 1));
    if (charset == "utf-8") {
        *ok = true;
        return decoded;
    }
    if (charset == "iso-8859-1") {
        *ok = true;
        return QString::fromLatin1(decoded).toUtf8();
    }
    return QByteArray();
}

bool MultipartParser::parseHeaders(const QByteArray &block)
{
    PartHeaders headers;
    for (const QByteArray &rawLine : block.split('\n')) {
        const QByteArray line = rawLine.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-type") {
            headers.contentType = value;
        } else if (name == "content-disposition") {
            bool haveExtended = false;
            for (const auto &param : headerParameters(value)) {
                if (param.first == "name") {
                    headers.name = param.second;
                } else if (param.first == "filename" && !haveExtended) {
                    headers.filename = param.second;
                    headers.hasFilename = true;
                } else if (param.first == "filename*") {
                    // The extended form wins over the plain one (RFC 6266 §4.3).
                    bool ok = false;
                    const QByteArray decoded = decodeExtendedValue(param.second, &ok);
                    if (ok) {
                        headers.filename = decoded;
                        headers.hasFilename = true;
                        haveExtended = true;
                    }
                }
            }
        }
    }
    if (onPartBegin && !onPartBegin(headers))
        return fail("aborted");
    return true;
}

bool MultipartParser::feed(const QByteArray &bytes)
{
    if (m_state == State::Failed)
        return false;
    if (m_state == State::Done)
        return true; // epilogue is ignored
    m_buffer.append(bytes);
    while (true) {
        switch (m_state) {
        case State::Preamble: {
            const qsizetype at = m_buffer.indexOf(m_delimiter);
            if (at < 0) {
                // Keep only what could still be the start of the delimiter.
                if (m_buffer.size() > m_delimiter.size())
                    m_buffer = m_buffer.right(m_delimiter.size());
                return true;
            }
            m_buffer.remove(0, at + m_delimiter.size());
            m_state = State::AfterBoundary;
            break;
        }
        case State::AfterBoundary: {
            if (m_buffer.size() < 2)
                return true;
            if (m_buffer.startsWith("--")) {
                m_state = State::Done;
                m_buffer.clear();
                return true;
            }
            const qsizetype lineEnd = m_buffer.indexOf("\r\n");
            if (lineEnd < 0)
                return m_buffer.size() > 256 ? fail("malformed multipart body") : true;
            m_buffer.remove(0, lineEnd + 2); // transport padding after the boundary
            m_state = State::Headers;
            break;
        }
        case State::Headers: {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_buffer.startsWith("\r\n")) { // a part without headers
                    m_buffer.remove(0, 2);
                    if (!parseHeaders(QByteArray()))
                        return false;
                    m_state = State::Body;
                    break;
                }
                return m_buffer.size() > kMaxHeaderBlock ? fail("multipart part headers too large")
                                                         : true;
            }
            const QByteArray block = m_buffer.left(end);
            m_buffer.remove(0, end + 4);
            if (!parseHeaders(block))
                return false;
            m_state = State::Body;
            break;
        }
        case State::Body: {
            const qsizetype at = m_buffer.indexOf(m_delimiter);
            if (at < 0) {
                // Everything but a possible partial delimiter at the end is part data.
                const qsizetype safe = m_buffer.size() - (m_delimiter.size() - 1);
                if (safe > 0) {
                    if (onPartData && !onPartData(m_buffer.left(safe)))
                        return fail("aborted");
                    m_buffer.remove(0, safe);
                }
                return true;
            }
            if (at > 0 && onPartData && !onPartData(m_buffer.left(at)))
                return fail("aborted");
            m_buffer.remove(0, at + m_delimiter.size());
            if (onPartEnd && !onPartEnd())
                return fail("aborted");
            m_state = State::AfterBoundary;
            break;
        }
        case State::Done:
        case State::Failed:
            return m_state == State::Done;
        }
    }
}
