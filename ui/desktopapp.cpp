#include "desktopapp.h"

#include "core/logcategories.h"

#include <QSystemTrayIcon>

DesktopApp::DesktopApp(const GatewayOptions &options, QObject *parent)
    : QObject(parent), m_host(options), m_window(&m_host)
{
    connect(&m_host, &GatewayHost::started, this, [this](bool ok, const QString &error) {
        if (!ok) {
            qCCritical(lcApp).noquote() << error;
            m_window.bringToFront();
            m_window.showPage(MainWindow::StatusPageIndex);
            return;
        }
        Q_EMIT listening(m_host.apiUrl());
        if (m_host.configCreated())
            m_window.openSetupWizard();
    });
    connect(&m_host, &GatewayHost::listenerChanged, this, &DesktopApp::listening);
}

DesktopApp::~DesktopApp()
{
    m_window.hide();
    m_host.shutdown(); // pending saves are written before the window's pages go
}

void DesktopApp::start(bool minimized)
{
    m_host.start();
    if (!(minimized && QSystemTrayIcon::isSystemTrayAvailable()))
        m_window.show();
}
