#pragma once

#include "providers/llmtypes.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <functional>
#include <memory>

class QObject;

// What a tool may touch, from the config of the running gateway.
struct ToolContext
{
    QString workspace;
    bool allowOutsideWorkspace = false; // tools.filesystem.allow_outside_workspace
    bool shellEnabled = true;           // tools.shell.enabled
    qint64 shellTimeoutMs = 60000;      // tools.shell.timeout (nanoseconds in the file)
    qint64 outputCapBytes = 64 * 1024;
    bool allowPrivateFetch = false; // tools.web.fetch.allow_private
    qint64 fetchCapBytes = 1024 * 1024;
    int fetchTimeoutMs = 20000;
};

struct ToolOutcome
{
    QString content;
    bool error = false;
    static ToolOutcome ok(const QString &content) { return {content, false}; }
    static ToolOutcome fail(const QString &message) { return {message, true}; }
};

// A tool the model can call. run() may finish later; `owner` bounds the lifetime of any
// asynchronous work (a cancelled turn deletes it, and the work with it). `done` is called once.
class Tool
{
public:
    virtual ~Tool() = default;
    virtual ToolSpec spec() const = 0;
    virtual void run(const QJsonObject &arguments, const ToolContext &context, QObject *owner,
                     std::function<void(const ToolOutcome &)> done) = 0;
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
