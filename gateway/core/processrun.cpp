#include "processrun.h"

#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QTimer>
#include <memory>

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
    process->setProcessChannelMode(options.mergeChannels ? QProcess::MergedChannels
                                                         : QProcess::SeparateChannels);
    const qint64 cap = options.outputCap;
    QObject::connect(process, &QProcess::readyReadStandardOutput, process, [process, result, cap] {
        const QByteArray chunk = process->readAllStandardOutput();
        result->output.append(chunk.left(qMax<qint64>(0, cap - result->output.size())));
    });
    QObject::connect(process, &QProcess::readyReadStandardError, process,
                     [process] { process->readAllStandardError(); }); // not kept, not piling up
    const auto finish = [process, deadline, result, over, done](const QString &error) {
        if (std::exchange(*over, true))
            return;
        deadline->stop();
        result->error = error;
        process->deleteLater();
        done(*result);
    };
    QObject::connect(deadline, &QTimer::timeout, process, [process] { process->kill(); });
    if (client)
        QObject::connect(client, &QObject::destroyed, process, [process, stoppedByClient] {
            *stoppedByClient = true;
            process->kill();
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
