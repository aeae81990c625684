// ClawGo Desktop: the clawgo gateway in-process, with a window or headless (--no-gui).

#include "commandline.h"
#include "core/configstore.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/paths.h"
#include "gateway.h"
#include "unixsignals.h"

#include <QCoreApplication>
#include <cstdio>
#include <memory>

#ifdef CLAWGO_WITH_UI
#include "mainwindow.h"
#include <QApplication>
#endif

namespace {

void printLine(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toLocal8Bit() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

int main(int argc, char **argv)
{
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
        printLine(stdout,
                  JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.token")).toString());
        return 0;
    }

    LogHub::install();
    LogHub::instance()->setStderrEnabled(!gui);

    GatewayOptions gatewayOptions;
    gatewayOptions.configPath = configPath;
    gatewayOptions.host = options.host;
    gatewayOptions.port = options.port;
    Gateway gateway(gatewayOptions);
    QString error;
    if (!gateway.start(&error)) {
        qCCritical(lcApp).noquote() << error;
        if (gui)
            printLine(stderr, error);
        return 1;
    }
    if (gateway.configStore()->createdOnLoad())
        printLine(stderr, QStringLiteral("First run: created %1").arg(configPath));
    printLine(stderr, QStringLiteral("ClawGo Desktop %1 %2; API at %3")
                          .arg(QStringLiteral(CLAWGO_VERSION),
                               gui ? QStringLiteral("with a window") : QStringLiteral("headless"),
                               gateway.apiUrl()));
    printLine(stderr, gateway.token().isEmpty()
                          ? QStringLiteral("API authentication is disabled (empty gateway.token).")
                          : QStringLiteral("The API token is gateway.token in %1; "
                                           "`clawgo-desktop --print-token` prints it.")
                                .arg(configPath));

    UnixSignals signalHandler;
    QObject::connect(&signalHandler, &UnixSignals::terminateRequested, app.get(), [](int number) {
        qCInfo(lcApp) << "signal" << number << "received, shutting down";
        QCoreApplication::quit();
    });
    QObject::connect(&signalHandler, &UnixSignals::reloadRequested, &gateway, [&gateway] {
        qCInfo(lcApp) << "SIGHUP received, reloading the config";
        gateway.reloadConfig(QStringLiteral("signal"));
    });

#ifdef CLAWGO_WITH_UI
    std::unique_ptr<MainWindow> window;
    if (gui) {
        window = std::make_unique<MainWindow>(&gateway);
        window->show();
    }
#endif
    const int code = app->exec();
    gateway.stop();
    qCInfo(lcApp) << "stopped";
    return code;
}
