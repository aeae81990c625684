#pragma once

#include <QString>
#include <QStringList>
#include <optional>

struct CommandLine
{
    bool noGui = false;
    bool printToken = false;
    bool minimized = false;
    bool noKeychain = false;
    QString configPath;
    std::optional<QString> host;
    std::optional<int> port;
    QString error; // set when the command line (or an env twin) is invalid

    // Before any Qt object exists: does this invocation want a window at all?
    static bool wantsGui(int argc, char **argv);
    // Parses the options of the running application (QCoreApplication::arguments()).
    static CommandLine parse(const QStringList &arguments);
};
