#pragma once

#include "tool.h"

#include <QDateTime>
#include <memory>
#include <optional>

// The agent's tools over the cron jobs (spec/agent.md §5.7): `cron` lists, deletes, enables and
// disables jobs; `remind` sets a one-time reminder that is delivered to the chat the turn
// answers (ToolContext::channel/chatId) unless the model names another. Both run on the event
// loop against the gateway's CronService.
namespace CronTools {

std::unique_ptr<Tool> cronTool();
std::unique_ptr<Tool> remindTool();

struct ReminderTime
{
    qint64 atMs = 0;
    qint64 inNs = -1; // the duration given, for a relative time; -1 for a clock time
};
// `time_expr` of `remind`: a Go duration from now ("10m", "1h30m"), else a local time
// "2006-01-02 15:04[:05]" or "15:04[:05]" (today, or tomorrow once past) in `zone`.
std::optional<ReminderTime> parseReminderTime(const QString &text, qint64 nowMs,
                                              const QTimeZone &zone, QString *error);

} // namespace CronTools
