#include "exectool.h"

#include "core/logcategories.h"

#include <QJsonArray>
#include <QProcess>
#include <QTimer>
#include <climits>
#include <csignal>
#include <unistd.h>

namespace {

// One `exec` call: `/bin/sh -c <command>` in its own session (so in its own process group),
// output merged and capped. A timeout or a cancel kills the whole group, background children
// included, and the task waits for the shell to be reaped (QProcess reaps asynchronously; its
// destructor would block the event loop instead) before it deletes itself.
class ExecTask final : public ToolTask
{
public:
    ExecTask(const QString &command, const ToolContext &context, qint64 timeoutMs)
        : m_process(new QProcess(this)), m_timeoutMs(timeoutMs), m_cap(context.outputCapBytes)
    {
        m_process->setWorkingDirectory(context.workspace);
        m_process->setProcessChannelMode(QProcess::MergedChannels);
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
        connect(m_process, &QProcess::readyRead, this, [this] { collect(m_process->readAll()); });
        connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus) {
            m_timer.stop();
            m_exited = true;
            collect(m_process->readAll());
            if (isCancelled()) {
                deleteLater();
                return;
            }
            QString text = QString::fromUtf8(m_output);
            if (m_truncated)
                text += QStringLiteral("\n[output truncated]");
            if (m_timedOut)
                return complete(ToolOutcome::fail(
                    QStringLiteral("command timed out after %1 s; output so far:\n%2")
                        .arg(m_timeoutMs / 1000.0)
                        .arg(text)));
            complete(ToolOutcome::ok(QStringLiteral("exit code %1\n%2").arg(exitCode).arg(text)));
        });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
            if (error != QProcess::FailedToStart)
                return;
            m_exited = true; // never ran: nothing to reap
            if (isCancelled())
                deleteLater();
            else
                complete(ToolOutcome::fail(QStringLiteral("cannot start the shell")));
        });
        qCInfo(lcTools).noquote() << "exec:" << command.left(200);
        m_timer.start(int(qMin<qint64>(timeoutMs, INT_MAX)));
        m_process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
        m_pid = pid_t(m_process->processId());
    }

protected:
    void stop() override
    {
        m_timer.stop();
        if (m_exited) {
            deleteLater();
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

    void collect(const QByteArray &chunk)
    {
        const qint64 room = m_cap - m_output.size();
        if (room > 0)
            m_output.append(chunk.left(room));
        if (chunk.size() > room)
            m_truncated = true;
    }

    QProcess *m_process;
    QTimer m_timer;
    qint64 m_timeoutMs;
    qint64 m_cap;
    QByteArray m_output;
    pid_t m_pid = 0;
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
    return new ExecTask(command, context, timeoutMs);
}
