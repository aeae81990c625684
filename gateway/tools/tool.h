#pragma once

#include "core/toolspec.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <map>
#include <memory>

class CronService;

// What a tool may touch, from the config of the running gateway.
struct ToolContext
{
    QString workspace;
    QString configDir;                  // its skills/ is the second root of skill_exec
    bool allowOutsideWorkspace = false; // tools.filesystem.allow_outside_workspace
    // Files uploaded through /api/upload, which chats reference by absolute path: the
    // read-only tools (read_file, list_dir) may read them; nothing may write there.
    QString uploadsFolder;
    bool shellEnabled = true;      // tools.shell.enabled
    qint64 shellTimeoutMs = 60000; // tools.shell.timeout (nanoseconds in the file)
    qint64 outputCapBytes = 64 * 1024;
    bool allowPrivateFetch = false; // tools.web.fetch.allow_private
    qint64 fetchCapBytes = 1024 * 1024;
    int fetchTimeoutMs = 20000;
    // The chat the turn answers, where a reminder set in it comes back (the `remind` tool): a
    // channel's chat, or "desktop" and the session for the window and API clients; empty for
    // internal sessions (cron:, heartbeat:).
    QString channel;
    QString chatId;
    QPointer<CronService> cron; // the jobs of the cron and remind tools; null without them
};

struct ToolOutcome
{
    QString content;
    bool error = false;
    static ToolOutcome ok(const QString &content) { return {content, false}; }
    static ToolOutcome fail(const QString &message) { return {message, true}; }
};

// One running tool call. It reports once, through finished(), and then deletes itself. cancel()
// is an action, not a deletion (DESIGN.md, decision 14): after it, finished() is never emitted,
// and the task first releases what it holds (kills a process group, aborts a request) and
// deletes itself only once nothing of it can still call back. Whoever started a task keeps a
// QPointer to it and never deletes it.
class ToolTask : public QObject
{
    Q_OBJECT

public:
    void cancel();
    bool isCancelled() const { return m_cancelled; }

    // A task that reports `outcome` on the next turn of the event loop (arguments refused
    // before any work started).
    static ToolTask *finishedWith(const ToolOutcome &outcome);
    // A task whose work is a function run on the file pool (Background): file and memory tools,
    // which must not touch the disk on the event loop. The function gets copies of everything it
    // needs; a cancelled task drops its result when it arrives.
    static ToolTask *onPool(std::function<ToolOutcome()> work);

Q_SIGNALS:
    void finished(const ToolOutcome &outcome);

protected:
    ToolTask() = default;
    // Reports (unless cancelled) and schedules the task's deletion.
    void complete(const ToolOutcome &outcome);
    // Releases the task's resources after cancel(). The default deletes the task at once; a
    // task whose resources end asynchronously deletes itself when they have.
    virtual void stop();

private:
    bool m_cancelled = false;
    bool m_completed = false;
};

// A tool the model can call.
class Tool
{
public:
    virtual ~Tool() = default;
    virtual ToolSpec spec() const = 0;
    // Starts a call; never returns null. The task belongs to itself (see ToolTask).
    virtual ToolTask *start(const QJsonObject &arguments, const ToolContext &context) = 0;
};

// The tools of the agent, offered to the model sorted by name so the prompt is stable.
class ToolRegistry
{
public:
    void add(std::unique_ptr<Tool> tool);
    Tool *find(const QString &name) const;
    QList<ToolSpec> specs() const;
    // The built-in tools, filtered by `context` (no exec when the shell is disabled).
    static std::unique_ptr<ToolRegistry> builtIn(const ToolContext &context);

private:
    std::map<QString, std::unique_ptr<Tool>> m_tools;
};
