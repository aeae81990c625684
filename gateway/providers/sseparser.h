#pragma once

#include <QByteArray>
#include <QList>

// Incremental Server-Sent Events parser (spec/providers.md §1.7): bytes in, complete event
// payloads out. `data:` lines of one event are joined with "\n"; comments, `event:` and `id:`
// lines are ignored; CRLF and LF both end lines. Payloads are raw bytes, so a multi-byte
// character split across network reads is only decoded once its event is complete.
class SseParser
{
public:
    // Returns the payloads of the events completed by `bytes`.
    QList<QByteArray> feed(const QByteArray &bytes);
    // An event still open when the stream ends (no blank line after it); empty if none.
    QByteArray pendingEvent() const { return m_data; }
    bool overflowed() const { return m_overflow; }

    static constexpr qsizetype kMaxLineBytes = 2 * 1024 * 1024;

private:
    QByteArray m_line;
    QByteArray m_data;
    bool m_hasData = false;
    bool m_overflow = false;
};
