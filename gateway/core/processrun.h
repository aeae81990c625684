#pragma once

#include <QByteArray>
#include <QObject>
#include <QStringList>
#include <functional>

// A helper program run for an API request (clawhub, uv, bun): started with QProcess (no shell),
// its output captured up to a cap, a deadline, killed when the client that asked leaves, and
// the result delivered on the event loop once. Never waits on the event loop.
namespace ProcessRun {

struct Options
{
    QString program;
    QStringList arguments;
    QString workingDirectory;
    int timeoutMs = 60 * 1000;
    qint64 outputCap = 256 * 1024;
    bool mergeChannels = true; // else only stdout is kept
};

struct Result
{
    QString error; // "" when it ran and exited 0; else what went wrong, in words
    int exitCode = 0;
    QByteArray output;
};

// The process is `owner`'s child until it ends; `done` is not called once `owner` is gone.
// `client`, when given, stops the run when destroyed. The program runs in its own process
// group, which a deadline or a leaving client kills whole.
void start(QObject *owner, QObject *client, const Options &options,
           std::function<void(const Result &)> done);

} // namespace ProcessRun
