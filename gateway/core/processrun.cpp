#include "processrun.h"

#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QTimer>
#include <csignal>
#include <memory>
#include <unistd.h>

namespace ProcessRun {

void start(QObject *owner, QObject *client, const Options &options,
           std::function<void(const Result &)> done)
{
    auto *process = new QProcess(owner);
    auto *deadline = new QTimer(process);
    deadline->setSingleShot(true);
    auto result = std::make_shared<Result>();
    auto over = std::make_shared<bool>(false);
    auto stoppedByClient = std::make_shared<bool>(false);
    const QString name = QFileInfo(options.program).fileName();
    process->setWorkingDirectory(options.workingDirectory);
    // Its own process group, so a deadline or a client leaving ends whatever it started too.
    process->setChildProcessModifier([] { ::setsid(); });
    const auto killGroup = [process] {
        const qint64 pid = process->processId();
        if (pid > 0)
            ::kill(-pid_t(pid), SIGKILL);
        else
            process->kill();
    };
    process->setProcessChannelMode(options.mergeChannels ? QProcess::MergedChannels
                                                         : QProcess::SeparateChannels);
    const qint64 cap = options.outputCap;
    QObject::connect(process, &QProcess::readyReadStandardOutput, process, [process, result, cap] {
        const QByteArray chunk = process->readAllStandardOutput();
        result->output.append(chunk.left(qMax<qint64>(0, cap - result->output.size())));
    });
    QObject::connect(process, &QProcess::readyReadStandardError, process,
                     [process] { process->readAllStandardError(); }); // not kept, not piling up
    // The owner may be going away (its children, this process among them, are deleted last):
    // then nobody is told.
    QPointer<QObject> alive(owner);
    const auto finish = [process, deadline, result, over, done, alive](const QString &error) {
        if (std::exchange(*over, true))
            return;
        deadline->stop();
        result->error = error;
        process->deleteLater();
        if (alive)
            done(*result);
    };
    QObject::connect(deadline, &QTimer::timeout, process, killGroup);
    if (client)
        QObject::connect(client, &QObject::destroyed, process, [killGroup, stoppedByClient] {
            *stoppedByClient = true;
            killGroup();
        });
    const int timeoutSec = options.timeoutMs / 1000;
    QObject::connect(
        process, &QProcess::finished, process,
        [finish, deadline, result, stoppedByClient, name, timeoutSec](int exitCode,
                                                                      QProcess::ExitStatus status) {
            result->exitCode = exitCode;
            if (status != QProcess::NormalExit)
                return finish(
                    *stoppedByClient || deadline->isActive()
                        ? QStringLiteral("%1 was stopped").arg(name)
                        : QStringLiteral("%1 took longer than %2 s").arg(name).arg(timeoutSec));
            finish(exitCode == 0 ? QString() : QStringLiteral("exit status %1").arg(exitCode));
        });
    QObject::connect(process, &QProcess::errorOccurred, process,
                     [finish, name](QProcess::ProcessError error) {
                         if (error == QProcess::FailedToStart)
                             finish(QStringLiteral("%1 could not be started").arg(name));
                     });
    deadline->start(options.timeoutMs);
    process->start(options.program, options.arguments);
}

} // namespace ProcessRun
