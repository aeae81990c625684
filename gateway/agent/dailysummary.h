#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>

// The note clawgo appends to the day's memory file after every successful turn
// (spec/agent.md §4.4), so that the agent sees what it did earlier today:
//   ## HH:MM Main Agent | <first line of the request>
//
//   - Did: <the reply on one line, at most 320 bytes>
//   - Channel: <channel>
//   - Session: <session key>
namespace DailySummary {

// The entry for a finished turn; empty when none is due (an empty reply, or a heartbeat
// answered with HEARTBEAT_OK).
QString entry(const QDateTime &localNow, const QString &request, const QString &reply,
              const QString &sessionKey);

// Appends `entry` to <workspace>/memory/<date>.md, starting a new file with "# <date>".
// Safe to call from several threads at once.
bool append(const QString &workspace, const QDate &date, const QString &entry, QString *error);

// `text` cut to at most `maxBytes` UTF-8 bytes, ending in "..." when cut (never mid-character).
QString cutUtf8(const QString &text, int maxBytes);

} // namespace DailySummary
