#include "exectool.h"

#include "core/background.h"
#include "core/clock.h"
#include "core/logcategories.h"
#include "core/safefile.h"
#include "core/workspacepaths.h"
#include "skills/skillcatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <QJsonArray>
#include <QProcess>
#include <QTimer>
#include <climits>
#include <csignal>
#include <unistd.h>

namespace {

// One process of a tool (`exec`, `skill_exec`) in its own session (so in its own process
// group), its output capped. A timeout or a cancel kills the whole group, background children
// included, and the task waits for the process to be reaped (QProcess reaps asynchronously; its
// destructor would block the event loop instead) before it deletes itself. What it runs may be
// worked out on the file pool first (prepare), and how its end reads is the tool's (Format).
class ExecTask final : public ToolTask
{
public:
    struct Launch
    {
        QString error; // the tool's refusal, reported instead of running anything
        QString program;
        QStringList arguments;
        QString workingDirectory;
    };
    struct Ended
    {
        int exitCode = 0;
        bool timedOut = false;
        double timeoutSec = 0;
        QString output; // stdout, or everything when merged
        QString errors; // stderr when kept apart
        bool truncated = false;
    };
    using Format = std::function<ToolOutcome(const Ended &ended)>;

    ExecTask(const ToolContext &context, qint64 timeoutMs, bool mergeChannels, Format format)
        : m_process(new QProcess(this)), m_timeoutMs(timeoutMs), m_cap(context.outputCapBytes),
          m_format(std::move(format))
    {
        m_process->setProcessChannelMode(mergeChannels ? QProcess::MergedChannels
                                                       : QProcess::SeparateChannels);
        m_process->setChildProcessModifier([] { ::setsid(); });
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            killGroup();
        });
        connect(m_process, &QProcess::started, this, [this] {
            m_pid = pid_t(m_process->processId());
            if (isCancelled() || m_timedOut)
                killGroup(); // ended before it even started
        });
        connect(m_process, &QProcess::readyReadStandardOutput, this,
                [this] { collect(&m_output, m_process->readAllStandardOutput()); });
        connect(m_process, &QProcess::readyReadStandardError, this,
                [this] { collect(&m_errors, m_process->readAllStandardError()); });
        connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus) {
            m_timer.stop();
            m_exited = true;
            collect(&m_output, m_process->readAllStandardOutput());
            collect(&m_errors, m_process->readAllStandardError());
            if (isCancelled()) {
                deleteLater();
                return;
            }
            complete(m_format(Ended{exitCode, m_timedOut, m_timeoutMs / 1000.0,
                                    QString::fromUtf8(m_output), QString::fromUtf8(m_errors),
                                    m_truncated}));
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            m_exited = true; // never ran: nothing to reap
            if (isCancelled())
                deleteLater();
            else
                complete(ToolOutcome::fail(QStringLiteral("cannot start %1").arg(m_program)));
        });
    }

    void launch(const Launch &launch)
    {
        if (!launch.error.isEmpty())
            return complete(ToolOutcome::fail(launch.error));
        m_launched = true;
        m_program = launch.program;
        m_process->setWorkingDirectory(launch.workingDirectory);
        m_timer.start(int(qMin<qint64>(m_timeoutMs, INT_MAX)));
        m_process->start(launch.program, launch.arguments);
        m_pid = pid_t(m_process->processId());
    }

    // Works out what to run on the file pool (paths checked there), then runs it.
    void prepareThenLaunch(std::function<Launch()> prepare)
    {
        Background::run(this, std::move(prepare), [this](const Launch &prepared) {
            if (!isCancelled())
                launch(prepared);
        });
    }

protected:
    void stop() override
    {
        m_timer.stop();
        if (!m_launched || m_exited) {
            deleteLater(); // a pending preparation goes with it (its watcher is our child)
            return;
        }
        // finished() follows the kill; the task deletes itself there.
        killGroup();
    }

private:
    void killGroup()
    {
        if (m_pid > 0)
            ::kill(-m_pid, SIGKILL);
        else
            m_process->kill();
    }

    void collect(QByteArray *into, const QByteArray &chunk)
    {
        const qint64 room = m_cap - m_output.size() - m_errors.size();
        if (room > 0)
            into->append(chunk.left(room));
        if (chunk.size() > room)
            m_truncated = true;
    }

    QProcess *m_process;
    QTimer m_timer;
    qint64 m_timeoutMs;
    qint64 m_cap;
    Format m_format;
    QString m_program;
    QByteArray m_output;
    QByteArray m_errors;
    pid_t m_pid = 0;
    bool m_launched = false;
    bool m_truncated = false;
    bool m_timedOut = false;
    bool m_exited = false;
};

} // namespace

ToolSpec ExecTool::spec() const
{
    return {
        QStringLiteral("exec"),
        QStringLiteral("Run a shell command in the workspace and return its exit code and output."),
        QJsonObject{
            {"type", "object"},
            {"properties",
             QJsonObject{
                 {"command", QJsonObject{{"type", "string"}, {"description", "Shell command"}}},
                 {"timeout_sec",
                  QJsonObject{{"type", "integer"},
                              {"description", "Optional, at most the configured limit"}}}}},
            {"required", QJsonArray{"command"}}}};
}

ToolTask *ExecTool::start(const QJsonObject &arguments, const ToolContext &context)
{
    if (!context.shellEnabled)
        return ToolTask::finishedWith(ToolOutcome::fail(
            QStringLiteral("the shell tool is disabled (tools.shell.enabled is false)")));
    const QString command = arguments.value("command").toString().trimmed();
    if (command.isEmpty())
        return ToolTask::finishedWith(ToolOutcome::fail(QStringLiteral("command is required")));
    qint64 timeoutMs = context.shellTimeoutMs;
    if (arguments.value("timeout_sec").toInt() > 0)
        timeoutMs = qMin<qint64>(timeoutMs, arguments.value("timeout_sec").toInt() * 1000LL);
    qCInfo(lcTools).noquote() << "exec:" << command.left(200);
    auto *task = new ExecTask(context, timeoutMs, true, [](const ExecTask::Ended &ended) {
        QString text = ended.output;
        if (ended.truncated)
            text += QStringLiteral("\n[output truncated]");
        if (ended.timedOut)
            return ToolOutcome::fail(
                QStringLiteral("command timed out after %1 s; output so far:\n%2")
                    .arg(ended.timeoutSec)
                    .arg(text));
        return ToolOutcome::ok(QStringLiteral("exit code %1\n%2").arg(ended.exitCode).arg(text));
    });
    task->launch(
        {QString(), QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command}, context.workspace});
    return task;
}

ToolSpec SkillExecTool::spec() const
{
    const auto text = [](const char *description) {
        return QJsonObject{{"type", "string"}, {"description", QLatin1String(description)}};
    };
    return {QStringLiteral("skill_exec"),
            QStringLiteral("Execute an atomic skill script from skills/<name>/scripts/*. Keeps "
                           "core agent lean by delegating complex logic to scripts."),
            QJsonObject{
                {"type", "object"},
                {"properties",
                 QJsonObject{{"skill", text("Skill name (its folder)")},
                             {"script", text("Script path relative to the skill, usually "
                                             "scripts/*.sh|*.py")},
                             {"args", QJsonObject{{"type", "array"},
                                                  {"items", QJsonObject{{"type", "string"}}},
                                                  {"description", "Arguments"}}},
                             {"timeout_sec", QJsonObject{{"type", "integer"},
                                                         {"description", "Optional, at most the "
                                                                         "configured limit"}}},
                             {"reason", text("Why it runs (kept in the audit log)")}}},
                {"required", QJsonArray{"skill", "script"}}}};
}

ToolTask *SkillExecTool::start(const QJsonObject &arguments, const ToolContext &context)
{
    const QString skill = arguments.value("skill").toString().trimmed();
    const QString script = arguments.value("script").toString().trimmed();
    if (skill.isEmpty() || script.isEmpty())
        return ToolTask::finishedWith(
            ToolOutcome::fail(QStringLiteral("skill and script are required")));
    if (!SkillCatalog::isValidName(skill) || skill.endsWith(QLatin1String(".disabled")))
        return ToolTask::finishedWith(
            ToolOutcome::fail(QStringLiteral("skill not found: %1").arg(skill)));
    if (QDir::isAbsolutePath(script) || script.contains(QLatin1String("..")))
        return ToolTask::finishedWith(ToolOutcome::fail(
            QStringLiteral("script must be relative path inside skill directory")));
    const QString clean = QDir::cleanPath(script);
    if (!clean.startsWith(QLatin1String("scripts/")))
        return ToolTask::finishedWith(
            ToolOutcome::fail(QStringLiteral("script must be under scripts/ directory")));
    QStringList args;
    for (const QJsonValue &arg : arguments.value("args").toArray())
        args << arg.toString();
    qint64 timeoutMs = context.shellTimeoutMs;
    if (arguments.value("timeout_sec").toInt() > 0)
        timeoutMs = qMin<qint64>(timeoutMs, arguments.value("timeout_sec").toInt() * 1000LL);
    const QString reason = arguments.value("reason").toString();
    qCInfo(lcTools).noquote() << "skill_exec:" << skill << clean;
    auto *task = new ExecTask(context, timeoutMs, false, [](const ExecTask::Ended &ended) {
        QString text = ended.output.trimmed();
        if (!ended.errors.trimmed().isEmpty())
            text += QStringLiteral("\nSTDERR:\n") + ended.errors.trimmed();
        if (ended.truncated)
            text += QStringLiteral("\n[output truncated]");
        if (text.trimmed().isEmpty())
            text = QStringLiteral("(no output)");
        if (ended.timedOut)
            return ToolOutcome::fail(
                QStringLiteral("skill execution failed: timed out after %1 s\n%2")
                    .arg(ended.timeoutSec)
                    .arg(text));
        if (ended.exitCode != 0)
            return ToolOutcome::fail(QStringLiteral("skill execution failed: exit status %1\n%2")
                                         .arg(ended.exitCode)
                                         .arg(text));
        return ToolOutcome::ok(text);
    });
    const ToolContext where = context;
    task->prepareThenLaunch([where, skill, clean, args, reason]() -> ExecTask::Launch {
        // The skill's folder: the workspace's, else the config folder's.
        QString folder;
        for (const QString &root : {where.workspace, where.configDir}) {
            const QFileInfo info(root + QStringLiteral("/skills/") + skill);
            // A linked skill folder could point anywhere: not a skill to run.
            if (!root.isEmpty() && info.isDir() && !info.isSymLink()) {
                folder = info.absoluteFilePath();
                break;
            }
        }
        if (folder.isEmpty())
            return {QStringLiteral("skill not found: %1").arg(skill), {}, {}, {}};
        if (!QFileInfo(folder + QStringLiteral("/SKILL.md")).isFile())
            return {QStringLiteral("SKILL.md missing for skill: %1").arg(skill), {}, {}, {}};
        // Confined to the skill's folder, symlinks included.
        const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(folder, clean);
        if (!resolved.ok)
            return {
                QStringLiteral("script must be relative path inside skill directory"), {}, {}, {}};
        if (!QFileInfo(resolved.absolute).isFile())
            return {QStringLiteral("script not found: %1").arg(resolved.absolute), {}, {}, {}};
        const QString suffix = QFileInfo(resolved.absolute).suffix().toLower();
        const QString interpreter = suffix == QLatin1String("sh")   ? QStringLiteral("bash")
                                    : suffix == QLatin1String("py") ? QStringLiteral("python3")
                                                                    : QString();
        if (interpreter.isEmpty())
            return {QStringLiteral("unsupported script extension: .%1").arg(suffix), {}, {}, {}};
        const QString program = QStandardPaths::findExecutable(interpreter);
        if (program.isEmpty())
            return {QStringLiteral("%1 is not installed").arg(interpreter), {}, {}, {}};
        // clawgo's audit trail of skill runs.
        const QByteArray line =
            QJsonDocument(QJsonObject{{"time", Clock::rfc3339(Clock::nowUtc())},
                                      {"skill", skill},
                                      {"script", clean},
                                      {"args", QJsonArray::fromStringList(args)},
                                      {"reason", reason}})
                .toJson(QJsonDocument::Compact) +
            '\n';
        if (!where.workspace.isEmpty() &&
            QDir().mkpath(where.workspace + QStringLiteral("/memory"))) {
            QString ignored; // never through a link or a FIFO
            SafeFile::append(where.workspace + QStringLiteral("/memory/skill-audit.jsonl"), line,
                             &ignored);
        }
        return {QString(), program, QStringList{resolved.absolute} + args, folder};
    });
    return task;
}
