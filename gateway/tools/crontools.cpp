#include "crontools.h"

#include "agent/sessionstore.h"
#include "channels/channelbridge.h"
#include "core/clock.h"
#include "cron/cronexpression.h"
#include "cron/cronservice.h"
#include "cron/cronstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace CronTools {

namespace {

// A tool whose work is one quick call on the event loop (the cron service lives there).
class LoopTool final : public Tool
{
public:
    using Work =
        std::function<ToolOutcome(const QJsonObject &arguments, const ToolContext &context)>;
    LoopTool(ToolSpec spec, Work work) : m_spec(std::move(spec)), m_work(std::move(work)) {}
    ToolSpec spec() const override { return m_spec; }
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override
    {
        return ToolTask::finishedWith(m_work(arguments, context));
    }

private:
    ToolSpec m_spec;
    Work m_work;
};

QJsonObject stringProperty(const QString &description)
{
    return QJsonObject{{"type", "string"}, {"description", description}};
}

// One action of the service, answered at once (its actions are synchronous).
struct Answer
{
    int status = 0;
    QJsonObject json;
    QString error;
};

Answer callService(CronService *cron, const QString &action, const QJsonObject &args)
{
    Answer answer;
    cron->handle(action, args,
                 [&answer](int status, const QJsonObject &json, const QString &error) {
                     answer = {status, json, error};
                 });
    return answer;
}

// A turn answering a messenger chat (Weixin, …) is driven by whoever writes in that chat: it
// sees and changes only the jobs that go to that chat, and sets reminders only for it. The
// window, API clients and the agent's own scheduled turns are the owner's and reach every job.
bool isMessengerTurn(const ToolContext &context)
{
    return !context.channel.isEmpty() &&
           context.channel.compare(QLatin1String("desktop"), Qt::CaseInsensitive) != 0;
}

bool belongsToTurn(const CronJob &job, const ToolContext &context)
{
    if (!isMessengerTurn(context))
        return true;
    return job.payload.channel.compare(context.channel, Qt::CaseInsensitive) == 0 &&
           (job.payload.to == context.chatId ||
            job.payload.to == context.channel + QLatin1Char(':') + context.chatId);
}

ToolOutcome cronAction(const QJsonObject &arguments, const ToolContext &context)
{
    if (!context.cron)
        return ToolOutcome::ok(QStringLiteral("Error: cron service not available"));
    QString action = arguments.value("action").toString().trimmed().toLower();
    if (action.isEmpty())
        action = QStringLiteral("list");
    const QString id = arguments.value("id").toString().trimmed();
    if (action == QLatin1String("list")) {
        QJsonArray jobs;
        for (const CronJob &job : context.cron->store()->jobs())
            if (belongsToTurn(job, context))
                jobs.append(job.toJson());
        return ToolOutcome::ok(
            QString::fromUtf8(QJsonDocument(jobs).toJson(QJsonDocument::Indented)));
    }
    if (action != QLatin1String("delete") && action != QLatin1String("enable") &&
        action != QLatin1String("disable"))
        return ToolOutcome::fail(QStringLiteral("unsupported action: %1").arg(action));
    if (id.isEmpty())
        return ToolOutcome::fail(
            QStringLiteral("missing required field: id for action=%1").arg(action));
    const std::optional<CronJob> job = context.cron->store()->job(id);
    if (!job || !belongsToTurn(*job, context))
        return ToolOutcome::ok(QStringLiteral("job not found: %1").arg(id));
    const Answer answer = callService(context.cron, action, QJsonObject{{"id", id}});
    if (answer.status != 200)
        return ToolOutcome::fail(answer.error);
    const QJsonObject result = answer.json.value("result").toObject();
    const bool done = result.value(action == QLatin1String("delete") ? "deleted" : "ok").toBool();
    if (!done)
        return ToolOutcome::ok(QStringLiteral("job not found: %1").arg(id));
    const QString verb = action == QLatin1String("delete")   ? QStringLiteral("deleted")
                         : action == QLatin1String("enable") ? QStringLiteral("enabled")
                                                             : QStringLiteral("disabled");
    return ToolOutcome::ok(QStringLiteral("%1 job: %2").arg(verb, id));
}

// Go's time.RFC1123: "Mon, 02 Jan 2006 15:04:05 MST".
QString rfc1123(const QDateTime &when)
{
    return QLocale::c().toString(when, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss ")) +
           when.timeZoneAbbreviation();
}

ToolOutcome remind(const QJsonObject &arguments, const ToolContext &context)
{
    if (!context.cron)
        return ToolOutcome::fail(QStringLiteral("cron service not available"));
    const QString message = arguments.value("message").toString().trimmed();
    if (message.isEmpty())
        return ToolOutcome::fail(QStringLiteral("message is required"));
    const QString timeExpr = arguments.value("time_expr").toString().trimmed();
    if (timeExpr.isEmpty())
        return ToolOutcome::fail(QStringLiteral("time_expr is required"));
    QString channel = arguments.value("channel").toString().trimmed();
    QString chatId = arguments.value("chat_id").toString().trimmed();
    if (channel.isEmpty())
        channel = context.channel;
    if (chatId.isEmpty())
        chatId = context.chatId;
    if (channel.isEmpty() || chatId.isEmpty())
        return ToolOutcome::fail(
            QStringLiteral("no chat to deliver the reminder to: give channel and chat_id"));
    if (isMessengerTurn(context) &&
        (channel.compare(context.channel, Qt::CaseInsensitive) != 0 || chatId != context.chatId))
        return ToolOutcome::fail(
            QStringLiteral("a reminder set in a chat can only be delivered to that chat"));
    if (channel.compare(QLatin1String("desktop"), Qt::CaseInsensitive) == 0 &&
        SessionStore::isInternalKey(chatId))
        return ToolOutcome::fail(
            QStringLiteral("%1 is an internal session and takes no messages").arg(chatId));
    if (!context.cron->channels() || !context.cron->channels()->hasChannel(channel))
        return ToolOutcome::fail(QStringLiteral("unknown channel: %1").arg(channel));
    QString why;
    const qint64 now = Clock::nowMs();
    const std::optional<ReminderTime> when =
        parseReminderTime(timeExpr, now, QTimeZone::systemTimeZone(), &why);
    if (!when)
        return ToolOutcome::fail(
            QStringLiteral("could not parse time expression '%1': %2").arg(timeExpr, why));
    const Answer answer = callService(context.cron, QStringLiteral("create"),
                                      QJsonObject{{"name", "Reminder"},
                                                  {"message", message},
                                                  {"kind", "at"},
                                                  {"atMs", double(when->atMs)},
                                                  {"deliver", true},
                                                  {"channel", channel},
                                                  {"to", chatId}});
    if (answer.status != 200)
        return ToolOutcome::fail(
            QStringLiteral("failed to schedule reminder: %1").arg(answer.error));
    const QString id = answer.json.value("result").toObject().value("id").toString();
    const QString at = rfc1123(QDateTime::fromMSecsSinceEpoch(when->atMs));
    if (when->inNs >= 0)
        return ToolOutcome::ok(QStringLiteral("Reminder set for %1 (in %2). Job ID: %3")
                                   .arg(at, CronExpression::goDurationString(when->inNs), id));
    return ToolOutcome::ok(QStringLiteral("Reminder set for %1. Job ID: %2").arg(at, id));
}

} // namespace

std::optional<ReminderTime> parseReminderTime(const QString &textIn, qint64 nowMs,
                                              const QTimeZone &zone, QString *error)
{
    const QString text = textIn.trimmed();
    if (const std::optional<qint64> ns = CronExpression::parseGoDurationNs(text)) {
        if (*ns <= 0) {
            *error = QStringLiteral("the time is not in the future");
            return std::nullopt;
        }
        // Go adds the duration to now as it is; milliseconds are what a job keeps.
        constexpr qint64 kMaxNs = qint64(10) * 365 * 24 * 3600 * 1000000000LL;
        if (*ns > kMaxNs) {
            *error = QStringLiteral("more than ten years ahead");
            return std::nullopt;
        }
        return ReminderTime{nowMs + *ns / 1000000, *ns};
    }
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, zone);
    for (const char *format :
         {"yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm", "yyyy-MM-dd H:mm:ss"}) {
        QDateTime at = QDateTime::fromString(text, QString::fromLatin1(format));
        if (at.isValid()) {
            at = QDateTime(at.date(), at.time(), zone);
            return ReminderTime{at.toMSecsSinceEpoch(), -1};
        }
    }
    for (const char *format : {"HH:mm", "HH:mm:ss", "H:mm", "H:mm:ss"}) {
        const QTime time = QTime::fromString(text, QString::fromLatin1(format));
        if (time.isValid()) {
            QDateTime at(now.date(), time, zone);
            if (at.toMSecsSinceEpoch() <= nowMs)
                at = QDateTime(now.date().addDays(1), time, zone);
            return ReminderTime{at.toMSecsSinceEpoch(), -1};
        }
    }
    *error = QStringLiteral("not a duration (10m, 1h30m) or a local time (2026-02-12 10:00, "
                            "15:04)");
    return std::nullopt;
}

std::unique_ptr<Tool> cronTool()
{
    return std::make_unique<LoopTool>(
        ToolSpec{QStringLiteral("cron"),
                 QStringLiteral("Manage scheduled jobs. Actions: list|delete|enable|disable. Use "
                                "this to inspect and remove your own timers."),
                 QJsonObject{
                     {"type", "object"},
                     {"properties",
                      QJsonObject{{"action", QJsonObject{{"type", "string"},
                                                         {"enum", QJsonArray{"list", "delete",
                                                                             "enable", "disable"}},
                                                         {"description", "Action (default list)"}}},
                                  {"id", stringProperty("Job ID (delete/enable/disable)")}}}}},
        &cronAction);
}

std::unique_ptr<Tool> remindTool()
{
    return std::make_unique<LoopTool>(
        ToolSpec{
            QStringLiteral("remind"), QStringLiteral("Set a reminder for a future time"),
            QJsonObject{
                {"type", "object"},
                {"properties",
                 QJsonObject{{"message", stringProperty("The reminder message")},
                             {"time_expr",
                              stringProperty("When to remind: a duration such as 10m or 1h, or a "
                                             "time such as '2026-02-12 10:00' or '15:04'")},
                             {"channel", stringProperty("Target channel (default: this chat's)")},
                             {"chat_id", stringProperty("Target chat ID (default: this chat)")}}},
                {"required", QJsonArray{"message", "time_expr"}}}},
        &remind);
}

} // namespace CronTools
