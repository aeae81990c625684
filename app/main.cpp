// ClawGo Desktop: the clawgo gateway in-process, with a window or headless (--no-gui).

#include "commandline.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/paths.h"
#include "gateway.h"
#include "pidfile.h"
#include "singleinstance.h"
#include "unixsignals.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <sys/resource.h>

#ifdef CLAWGO_WITH_UI
#include "desktopapp.h"
#include "translations.h"
#include <QApplication>
#include <QSystemTrayIcon>
#endif

namespace {

// Every client is a file descriptor: take the hard limit the system grants (as Go's runtime
// does) so a thousand WebSocket clients fit, not the 1024 of the default soft limit.
void raiseFileLimit()
{
    struct rlimit files;
    if (::getrlimit(RLIMIT_NOFILE, &files) != 0 || files.rlim_cur >= files.rlim_max)
        return;
    files.rlim_cur = files.rlim_max == RLIM_INFINITY ? 65536 : qMin<rlim_t>(files.rlim_max, 65536);
    ::setrlimit(RLIMIT_NOFILE, &files);
}

void printLine(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char **argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    raiseFileLimit();
    // The application class must be chosen before any other Qt object exists.
    bool gui = CommandLine::wantsGui(argc, argv);
    std::unique_ptr<QCoreApplication> app;
#ifdef CLAWGO_WITH_UI
    if (gui)
        app = std::make_unique<QApplication>(argc, argv);
#else
    gui = false;
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("clawgo-desktop"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CLAWGO_VERSION));

    const CommandLine options = CommandLine::parse(QCoreApplication::arguments());
    if (!options.error.isEmpty()) {
        printLine(stderr, options.error);
        return 2;
    }
    const bool explicitHeadless = options.noGui;
    if (!gui && !explicitHeadless && !options.printToken)
        printLine(stderr,
                  QStringLiteral("No display found (DISPLAY and WAYLAND_DISPLAY are unset): "
                                 "running headless, as with --no-gui."));

    const QString configPath = Paths::resolveConfigPath(options.configPath);
    if (options.printToken) {
        ConfigStore store(configPath);
        QString error;
        if (!store.load(&error)) {
            printLine(stderr, error);
            return 1;
        }
        printLine(stdout, ConfigKeys::string(store.effective(), QStringLiteral("gateway.token")));
        return 0;
    }

    LogHub::install();
    LogHub::instance()->setStderrEnabled(!gui);
    // The log file is written by its own thread: what was logged is on disk before we exit.
    struct FlushLogsAtExit
    {
        ~FlushLogsAtExit() { LogHub::instance()->flush(); }
    } flushLogsAtExit;

    // One instance per config file.
    SingleInstance instance(configPath);
    qint64 otherPid = 0;
    if (!instance.acquire(&otherPid)) {
        const QString url = instance.recordedApiUrl();
        if (!gui) {
            printLine(
                stderr,
                QStringLiteral(
                    "ClawGo Desktop already runs for %1 (PID %2%3); not starting a second one.")
                    .arg(configPath)
                    .arg(otherPid)
                    .arg(url.isEmpty() ? QString() : QStringLiteral(", API at ") + url));
            return 3;
        }
        int code = 3;
        instance.activateRunning(3000, [&code](bool answered) {
            code = answered ? 0 : 3;
            QCoreApplication::exit(code);
        });
        app->exec();
        if (code != 0)
            printLine(stderr,
                      QStringLiteral("ClawGo Desktop already runs (PID %1) but did not answer.")
                          .arg(otherPid));
        return code;
    }

    GatewayOptions gatewayOptions;
    gatewayOptions.configPath = configPath;
    gatewayOptions.host = options.host;
    gatewayOptions.port = options.port;
    gatewayOptions.useKeychain = !options.noKeychain;

    UnixSignals signalHandler;
    QObject::connect(&signalHandler, &UnixSignals::terminateRequested, app.get(), [](int number) {
        qCInfo(lcApp) << "signal" << number << "received, shutting down";
        QCoreApplication::quit();
    });
    // After the signal handler: clawgo's CLI sends SIGHUP to the pid it finds here.
    const PidFile pidFile(configPath);

#ifdef CLAWGO_WITH_UI
    if (gui) {
        Translations::install();
        QApplication::setQuitOnLastWindowClosed(false); // the tray keeps it alive
        // The gateway runs on its own thread; the window only talks to it asynchronously.
        DesktopApp desktop(gatewayOptions);
        MainWindow &window = *desktop.window();
        GatewayHost &host = *desktop.host();
        QObject::connect(&instance, &SingleInstance::activationRequested, &window,
                         &MainWindow::bringToFront);
        // SIGTERM/SIGINT quit, even with the window open and a tray present.
        QObject::disconnect(&signalHandler, &UnixSignals::terminateRequested, app.get(), nullptr);
        QObject::connect(&signalHandler, &UnixSignals::terminateRequested, &window,
                         [&window](int number) {
                             qCInfo(lcApp) << "signal" << number << "received, shutting down";
                             window.quitApplication();
                         });
        QObject::connect(&signalHandler, &UnixSignals::reloadRequested, &host, [&host] {
            qCInfo(lcApp) << "SIGHUP received, reloading the config";
            host.post([](Gateway &gateway) { gateway.reloadConfig(QStringLiteral("signal")); });
        });
        bool announced = false;
        QObject::connect(&desktop, &DesktopApp::listening, &instance,
                         [&instance, &announced](const QString &apiUrl) {
                             instance.recordApiUrl(apiUrl);
                             if (announced)
                                 return;
                             announced = true;
                             printLine(stderr,
                                       QStringLiteral("ClawGo Desktop %1 with a window; API at %2")
                                           .arg(QStringLiteral(CLAWGO_VERSION), apiUrl));
                         });
        desktop.start(options.minimized);
        if (window.isVisible())
            QTimer::singleShot(0, &window, [&sinceStart] {
                printLine(
                    stderr,
                    QStringLiteral("Window shown %1 ms after start").arg(sinceStart.elapsed()));
            });
        const int code = app->exec();
        qCInfo(lcApp) << "stopped";
        return code;
    }
#endif

    Gateway gateway(gatewayOptions);
    QString error;
    if (!gateway.start(&error)) {
        qCCritical(lcApp).noquote() << error;
        return 1;
    }
    instance.recordApiUrl(gateway.apiUrl());
    if (gateway.configStore()->createdOnLoad())
        printLine(stderr, QStringLiteral("First run: created %1").arg(configPath));
    printLine(stderr, QStringLiteral("ClawGo Desktop %1 headless; API at %2")
                          .arg(QStringLiteral(CLAWGO_VERSION), gateway.apiUrl()));
    printLine(stderr, gateway.token().isEmpty()
                          ? QStringLiteral("API authentication is disabled (empty gateway.token).")
                          : QStringLiteral("The API token is gateway.token in %1; "
                                           "`clawgo-desktop --print-token` prints it.")
                                .arg(configPath));
    QObject::connect(&signalHandler, &UnixSignals::reloadRequested, &gateway, [&gateway] {
        qCInfo(lcApp) << "SIGHUP received, reloading the config";
        gateway.reloadConfig(QStringLiteral("signal"));
    });
    const int code = app->exec();
    gateway.stop();
    qCInfo(lcApp) << "stopped";
    return code;
}
