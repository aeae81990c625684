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
    const QList<QByteArray> parts = contentType.split(';');
    if (parts.isEmpty() || parts.first().trimmed().toLower() != "multipart/form-data")
        return QByteArray();
    for (const QByteArray &part : parts.mid(1)) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.toLower().startsWith("boundary=")) {
            QByteArray value = trimmed.mid(9);
            if (value.startsWith('"') && value.endsWith('"') && value.size() >= 2)
                value = value.mid(1, value.size() - 2);
            if (value.isEmpty() || value.size() > 200)
                return QByteArray();
            return value;
        }
    }
    return QByteArray();
}

bool MultipartParser::fail(const QByteArray &error)
{
    m_state = State::Failed;
    m_error = error;
    return false;
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
            for (const QByteArray &param : value.split(';')) {
                const QByteArray p = param.trimmed();
                const qsizetype eq = p.indexOf('=');
                if (eq <= 0)
                    continue;
                const QByteArray key = p.left(eq).trimmed().toLower();
                QByteArray v = p.mid(eq + 1).trimmed();
                if (v.startsWith('"') && v.endsWith('"') && v.size() >= 2)
                    v = v.mid(1, v.size() - 2);
                if (key == "name")
                    headers.name = v;
                else if (key == "filename") {
                    headers.filename = v;
                    headers.hasFilename = true;
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
