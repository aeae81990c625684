#include "exectool.h"

#include "core/logcategories.h"

#include <QJsonArray>
#include <QProcess>
#include <QTimer>
#include <climits>
#include <csignal>
#include <memory>
#include <unistd.h>

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

void ExecTool::run(const QJsonObject &arguments, const ToolContext &context, QObject *owner,
                   std::function<void(const ToolOutcome &)> done)
{
    if (!context.shellEnabled)
        return done(ToolOutcome::fail(
            QStringLiteral("the shell tool is disabled (tools.shell.enabled is false)")));
    const QString command = arguments.value("command").toString().trimmed();
    if (command.isEmpty())
        return done(ToolOutcome::fail(QStringLiteral("command is required")));
    qint64 timeoutMs = context.shellTimeoutMs;
    if (arguments.value("timeout_sec").toInt() > 0)
        timeoutMs = qMin<qint64>(timeoutMs, arguments.value("timeout_sec").toInt() * 1000LL);

    auto *process = new QProcess(owner);
    process->setWorkingDirectory(context.workspace);
    process->setProcessChannelMode(QProcess::MergedChannels);
    // Its own process group, so a timeout can end the command and everything it started.
    process->setChildProcessModifier([] { ::setsid(); });
    auto output = std::make_shared<QByteArray>();
    auto truncated = std::make_shared<bool>(false);
    auto timedOut = std::make_shared<bool>(false);
    auto finished = std::make_shared<bool>(false);
    const qint64 cap = context.outputCapBytes;
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    QObject::connect(process, &QProcess::readyRead, process, [process, output, truncated, cap] {
        const QByteArray chunk = process->readAll();
        const qint64 room = cap - output->size();
        if (room > 0)
            output->append(chunk.left(room));
        if (chunk.size() > room)
            *truncated = true;
    });
    QObject::connect(timer, &QTimer::timeout, process, [process, timedOut] {
        *timedOut = true;
        if (process->processId() > 0)
            ::kill(-pid_t(process->processId()), SIGKILL);
        process->kill();
    });
    QObject::connect(
        process, &QProcess::finished, process,
        [process, output, truncated, timedOut, finished, timeoutMs, cap,
         done](int exitCode, QProcess::ExitStatus) {
            if (*finished)
                return;
            *finished = true;
            const QByteArray rest = process->readAll();
            const qint64 room = cap - output->size();
            if (room > 0)
                output->append(rest.left(room));
            if (rest.size() > room)
                *truncated = true;
            QString text = QString::fromUtf8(*output);
            if (*truncated)
                text += QStringLiteral("\n[output truncated]");
            process->deleteLater();
            if (*timedOut)
                return done(ToolOutcome::fail(
                    QStringLiteral("command timed out after %1 s; output so far:\n%2")
                        .arg(timeoutMs / 1000.0)
                        .arg(text)));
            done(ToolOutcome::ok(QStringLiteral("exit code %1\n%2").arg(exitCode).arg(text)));
        });
    QObject::connect(process, &QProcess::errorOccurred, process,
                     [process, finished, done](QProcess::ProcessError error) {
                         if (error != QProcess::FailedToStart || *finished)
                             return;
                         *finished = true;
                         process->deleteLater();
                         done(ToolOutcome::fail(QStringLiteral("cannot start the shell")));
                     });
    qCInfo(lcTools).noquote() << "exec:" << command.left(200);
    timer->start(int(qMin<qint64>(timeoutMs, INT_MAX)));
    process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
}
