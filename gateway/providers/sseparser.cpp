#include "sseparser.h"

QList<QByteArray> SseParser::feed(const QByteArray &bytes)
{
    QList<QByteArray> events;
    qsizetype start = 0;
    while (start < bytes.size()) {
        const qsizetype newline = bytes.indexOf('\n', start);
        if (newline < 0) {
            m_line.append(bytes.constData() + start, bytes.size() - start);
            if (m_line.size() > kMaxLineBytes) {
                m_overflow = true;
                m_line.clear();
            }
            break;
        }
        m_line.append(bytes.constData() + start, newline - start);
        start = newline + 1;
        if (m_line.endsWith('\r'))
            m_line.chop(1);
        if (m_line.isEmpty()) {
            if (m_hasData)
                events.append(m_data);
            m_data.clear();
            m_hasData = false;
        } else if (m_line.startsWith("data:")) {
            QByteArray value = m_line.mid(5);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (m_hasData)
                m_data.append('\n');
            m_data.append(value);
            m_hasData = true;
        }
        // ":" comments, "event:", "id:", "retry:" carry nothing we use.
        m_line.clear();
    }
    return events;
}
