#pragma once

#include "colorscheme.h"
#include "gateway.h"
#include "gatewayhost.h"
#include "mainwindow.h"

#include <QObject>

// The window and its gateway, put together in the one order the program uses: the window
// (and every page, which asks the gateway for its data while it is built) exists before the
// gateway starts, so the pages must fill themselves from answers that come after start().
// main() and the tests both go through here, so a test of "start the window on this home"
// starts it exactly as a user does.
class DesktopApp : public QObject
{
    Q_OBJECT

public:
    explicit DesktopApp(const GatewayOptions &options, QObject *parent = nullptr);
    ~DesktopApp() override;

    // Starts the gateway; shows the window unless `minimized` and a tray can hold it.
    void start(bool minimized);
    GatewayHost *host() { return &m_host; }
    MainWindow *window() { return &m_window; }
    ColorScheme *colorScheme() { return &m_colorScheme; }

Q_SIGNALS:
    // The gateway listens at apiUrl (after start() or a later rebind).
    void listening(const QString &apiUrl);

private:
    ColorScheme m_colorScheme; // the desktop's light/dark preference, followed live
    GatewayHost m_host;        // declared first: the window goes before the gateway it talks to
    MainWindow m_window;
};
