#include "commandline.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstring>

bool CommandLine::wantsGui(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        for (const char *headless :
             {"--no-gui", "-h", "--help", "--help-all", "-v", "--version", "--print-token"})
            if (std::strcmp(arg, headless) == 0)
                return false;
    }
    // No display server: run headless instead of failing to open a window.
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

CommandLine CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "ClawGo Desktop: the clawgo agent gateway with a native window.\n"
                "Environment: CLAWGO_CONFIG, CLAWGO_HOST and CLAWGO_PORT are used when the "
                "matching option is not given."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption noGui(
        QStringLiteral("no-gui"),
        QCoreApplication::translate("main", "Run headless: no window, logs on stderr."));
    const QCommandLineOption config(
        QStringLiteral("config"),
        QCoreApplication::translate("main", "Config file (default ~/.clawgo/config.json)."),
        QStringLiteral("path"));
    const QCommandLineOption host(
        QStringLiteral("host"),
        QCoreApplication::translate("main", "Listen address, overriding gateway.host."),
        QStringLiteral("address"));
    const QCommandLineOption port(
        QStringLiteral("port"),
        QCoreApplication::translate("main",
                                    "Listen port, overriding gateway.port (0: any free port)."),
        QStringLiteral("port"));
    const QCommandLineOption printToken(
        QStringLiteral("print-token"),
        QCoreApplication::translate("main", "Print the API token and exit."));
    const QCommandLineOption minimized(
        QStringLiteral("minimized"),
        QCoreApplication::translate("main", "Start in the tray, without showing the window."));
    const QCommandLineOption noKeychain(
        QStringLiteral("no-keychain"),
        QCoreApplication::translate("main", "Keep bot tokens in the config file (0600) instead "
                                            "of the system keychain."));
    parser.addOptions({noGui, config, host, port, printToken, minimized, noKeychain});
    parser.process(arguments);

    CommandLine result;
    result.noGui = parser.isSet(noGui);
    result.printToken = parser.isSet(printToken);
    result.minimized = parser.isSet(minimized);
    result.noKeychain = parser.isSet(noKeychain);
    result.configPath = parser.value(config);
    QString hostValue =
        parser.isSet(host) ? parser.value(host) : qEnvironmentVariable("CLAWGO_HOST");
    if (!hostValue.trimmed().isEmpty())
        result.host = hostValue.trimmed();
    const QString portValue =
        parser.isSet(port) ? parser.value(port) : qEnvironmentVariable("CLAWGO_PORT");
    if (!portValue.trimmed().isEmpty()) {
        bool ok = false;
        const int value = portValue.trimmed().toInt(&ok);
        if (!ok || value < 0 || value > 65535)
            result.error = QStringLiteral("invalid port \"%1\": expected 0..65535").arg(portValue);
        else
            result.port = value;
    }
    return result;
}
