#include "logtext.h"

#include "clock.h"
#include "loghub.h"

namespace LogText {

QString clip(const QByteArray &text, int maxChars)
{
    QString out;
    const qsizetype shown = qMin<qsizetype>(text.size(), maxChars);
    out.reserve(shown + 24);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(text.at(i));
        if (c < 0x20 || c == 0x7f)
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        else
            out += QChar(c); // Latin-1 view: the bytes as sent, never decoded into surprises
    }
    if (text.size() > shown)
        out += QStringLiteral("…(%1 bytes)").arg(text.size());
    return out;
}

} // namespace LogText

bool LogThrottle::allow(qint64 *suppressedBefore)
{
    QMutexLocker locker(&m_mutex);
    const qint64 now = Clock::monotonicMs();
    if (suppressedBefore)
        *suppressedBefore = 0;
    if (m_windowStartMs == 0 || now - m_windowStartMs >= 60 * 1000) {
        if (suppressedBefore)
            *suppressedBefore = m_suppressed;
        m_windowStartMs = now;
        m_inWindow = 0;
        m_suppressed = 0;
    }
    if (m_inWindow < m_perMinute) {
        ++m_inWindow;
        return true;
    }
    ++m_suppressed;
    return false;
}

void LogThrottle::log(const QLoggingCategory &category, QtMsgType type, const QString &message,
                      const QString &what)
{
    qint64 suppressed = 0;
    if (!allow(&suppressed))
        return;
    if (suppressed > 0)
        LogHub::write(category, type,
                      QStringLiteral("… %1 more %2 in the last minute").arg(suppressed).arg(what));
    LogHub::write(category, type, message);
}
