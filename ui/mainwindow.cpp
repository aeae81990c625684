#include "mainwindow.h"

#include "aboutdialog.h"
#include "appicons.h"
#include "autostart.h"
#include "chatpage.h"
#include "configpage.h"
#include "core/configkeys.h"
#include "core/jsonutil.h"
#include "cronpage.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"
#include "logspage.h"
#include "providerspage.h"
#include "setupwizard.h"
#include "statuspage.h"
#include "weixinpage.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPainter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>

MainWindow::MainWindow(GatewayHost *host, QWidget *parent)
    : QMainWindow(parent), m_host(host), m_sidebar(new QListWidget(this)),
      m_pages(new QStackedWidget(this)), m_chat(new ChatPage(host, this)),
      m_config(new ConfigPage(host, this)), m_logs(new LogsPage(this)),
      m_status(new StatusPage(host, this)), m_weixin(new WeixinPage(host, this)),
      m_providers(new ProvidersPage(host, this)), m_cron(new CronPage(host, this))
{
    setWindowTitle(tr("ClawGo Desktop"));
    setWindowIcon(AppIcons::application());
    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    const QList<QPair<QString, QString>> pages{
        {QStringLiteral("chat"), tr("Chat")},           {QStringLiteral("weixin"), tr("Weixin")},
        {QStringLiteral("providers"), tr("Providers")}, {QStringLiteral("cron"), tr("Cron")},
        {QStringLiteral("config"), tr("Config")},       {QStringLiteral("logs"), tr("Logs")},
        {QStringLiteral("status"), tr("Status")}};
    for (const auto &page : pages)
        m_sidebar->addItem(new QListWidgetItem(AppIcons::page(page.first), page.second));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setAccessibleName(tr("Pages"));
    m_sidebar->setFixedWidth(140);
    // The Chat page is laid out with the window; the others join the stack one per turn of
    // the event loop once the window is up (or at once when one is asked for), so the first
    // layout does not measure six pages at the same time.
    m_pages->addWidget(m_chat);
    for (QWidget *page : pendingPages())
        page->hide();
    layout->addWidget(m_sidebar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    resize(1000, 680);
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= m_pages->count())
            addPendingPages(row + 1);
        m_pages->setCurrentIndex(row);
    });
    m_sidebar->setCurrentRow(ChatPageIndex);
    QTimer::singleShot(5, this, &MainWindow::addNextPendingPage);

    QMenu *fileMenu = menuBar()->addMenu(tr("&ClawGo"));
    fileMenu->addAction(tr("Set up a provider…"), this, &MainWindow::openSetupWizard);
    fileMenu->addAction(tr("Copy API URL"), this, &MainWindow::copyApiUrl);
    // Pages by keyboard: Ctrl+1 … Ctrl+7 in sidebar order.
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    for (int row = 0; row < m_sidebar->count(); ++row) {
        QAction *action = viewMenu->addAction(m_sidebar->item(row)->text(), this,
                                              [this, row] { showPage(Page(row)); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + row)));
    }
    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("About ClawGo Desktop"), this, &MainWindow::openAbout);
    statusBar()->showMessage(tr("Starting the gateway…"));
    connect(host, &GatewayHost::started, this, [this](bool ok, const QString &) {
        statusBar()->showMessage(ok ? tr("API at %1").arg(m_host->apiUrl())
                                    : tr("The gateway did not start: see the Status page"));
    });
    fileMenu->addSeparator();
    fileMenu->addAction(tr("Quit"), this, &MainWindow::quitApplication);

    setupTray();
    connect(m_chat, &ChatPage::notice, this,
            [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    connect(m_providers, &ProvidersPage::notice, this,
            [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    connect(m_cron, &CronPage::notice, this,
            [this](const QString &text) { statusBar()->showMessage(text, 4000); });
    // A job's history is the conversation of its session.
    connect(m_cron, &CronPage::openSession, this, [this](const QString &session) {
        m_chat->showSession(session);
        showPage(ChatPageIndex);
    });
    // A reminder or a job's reply for one of the window's chats: into that chat, and on the
    // desktop through the tray (a click opens the chat).
    connect(host, &GatewayHost::sessionMessage, this,
            [this](const QString &session, const QString &text) {
                m_chat->messageArrived(session);
                m_notifiedSession = session;
                if (m_tray)
                    m_tray->showMessage(tr("ClawGo Desktop"),
                                        text.size() > 240 ? text.left(239) + QChar(0x2026) : text,
                                        QSystemTrayIcon::Information, 15000);
            });
    connect(m_status, &StatusPage::summaryChanged, this, [this](const QString &summary) {
        if (m_tray)
            m_tray->setToolTip(tr("ClawGo Desktop") + QLatin1Char('\n') + summary);
    });
    connect(host, &GatewayHost::started, this,
            [this](bool ok, const QString &error) { updateTrayState(ok, error); });
    connect(host, &GatewayHost::listenerChanged, this,
            [this] { updateTrayState(true, QString()); });
    connect(host, &GatewayHost::listenerFailed, this, [this](const QString &error) {
        updateTrayState(false, error);
        if (m_tray)
            m_tray->showMessage(tr("ClawGo Desktop"), tr("The API listener failed: %1").arg(error),
                                QSystemTrayIcon::Warning);
    });
    // The window's own settings (window.* in desktop.json), now and after every change.
    const auto readSettings = [this] {
        GatewayCalls::readConfig(m_host, this, [this](const GatewayCalls::SavedConfig &current) {
            applyWindowSettings(current.config);
        });
    };
    readSettings();
    connect(host, &GatewayHost::configChanged, this, readSettings);
    connect(host, &GatewayHost::configRejected, this, [this](const QStringList &errors) {
        if (m_tray)
            m_tray->showMessage(tr("ClawGo Desktop"),
                                tr("The edited config was refused: %1").arg(errors.value(0)),
                                QSystemTrayIcon::Warning);
    });
}

QList<QWidget *> MainWindow::pendingPages() const
{
    const QList<QWidget *> all{m_chat, m_weixin, m_providers, m_cron, m_config, m_logs, m_status};
    return all.mid(m_pages->count());
}

void MainWindow::addPendingPages(int count)
{
    while (m_pages->count() < count && !pendingPages().isEmpty())
        m_pages->addWidget(pendingPages().first());
}

void MainWindow::addNextPendingPage()
{
    if (pendingPages().isEmpty())
        return;
    addPendingPages(m_pages->count() + 1);
    QTimer::singleShot(5, this, &MainWindow::addNextPendingPage);
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(page);
}

void MainWindow::setupTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(AppIcons::tray(true), this);
    auto *menu = new QMenu(this);
    menu->addAction(tr("Show window"), this, &MainWindow::bringToFront);
    menu->addAction(tr("Copy API URL"), this, &MainWindow::copyApiUrl);
    menu->addAction(tr("Restart listener"), this, [this] {
        m_host->call(
            this,
            [](Gateway &gateway) {
                QString error;
                const bool ok = gateway.restartListener(&error);
                return qMakePair(ok, error);
            },
            [this](const QPair<bool, QString> &result) {
                updateTrayState(result.first, result.second);
            });
    });
    menu->addSeparator();
    menu->addAction(tr("Quit"), this, &MainWindow::quitApplication);
    m_tray->setContextMenu(menu);
    connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason reason) {
                if (reason == QSystemTrayIcon::Trigger)
                    isVisible() ? hide() : bringToFront();
            });
    m_tray->setToolTip(tr("ClawGo Desktop"));
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &MainWindow::openNotifiedSession);
    m_tray->show();
}

void MainWindow::openNotifiedSession()
{
    if (m_notifiedSession.isEmpty())
        return;
    m_chat->showSession(m_notifiedSession);
    showPage(ChatPageIndex);
    bringToFront();
}

void MainWindow::updateTrayState(bool ok, const QString &detail)
{
    if (!m_tray)
        return;
    m_tray->setIcon(AppIcons::tray(ok));
    m_tray->setToolTip(ok ? tr("ClawGo Desktop: %1").arg(m_host->apiUrl())
                          : tr("ClawGo Desktop: %1").arg(detail));
}

void MainWindow::openAbout()
{
    auto *about = new AboutDialog(m_host, this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void MainWindow::copyApiUrl()
{
    QApplication::clipboard()->setText(m_host->apiUrl());
    statusBar()->showMessage(tr("Copied %1").arg(m_host->apiUrl()), 4000);
}

int MainWindow::currentPage() const
{
    return m_sidebar->currentRow();
}

void MainWindow::bringToFront()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void MainWindow::openSetupWizard()
{
    auto *wizard = new SetupWizard(m_host, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &SetupWizard::saved, m_config, &ConfigPage::reload);
    wizard->open();
}

void MainWindow::applyWindowSettings(const QJsonObject &config)
{
    m_closeToTray = ConfigKeys::flag(config, QStringLiteral("window.close_to_tray"));
    m_closeExplained = ConfigKeys::flag(config, QStringLiteral("window.close_to_tray_explained"));
    const bool startAtLogin = ConfigKeys::flag(config, QStringLiteral("window.start_at_login"));
    // Written at start (the binary may have moved) and whenever the setting changes.
    if (m_startAtLogin != startAtLogin) {
        m_startAtLogin = startAtLogin;
        Autostart::apply(startAtLogin, m_host->configPath());
    }
}

void MainWindow::quitApplication()
{
    Q_EMIT quitRequested();
    // Not QApplication::quit(): in Qt 6 that first asks every window to close, and the
    // close-to-tray handler (or an open dialog) would cancel it. Quitting always quits.
    m_quitting = true;
    QCoreApplication::exit(0);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_tray && m_tray->isVisible() && m_closeToTray && !m_quitting) {
        hide(); // keeps running in the tray
        event->ignore();
        if (!m_closeExplained) {
            // Said once: where the window went, and how to quit instead.
            m_closeExplained = true;
            m_tray->showMessage(tr("ClawGo Desktop keeps running"),
                                tr("The gateway still answers in the tray. Quit from the tray "
                                   "menu, or turn \"Closing the window keeps ClawGo in the "
                                   "tray\" off on the Config page."),
                                QSystemTrayIcon::Information);
            m_host->post([](Gateway &gateway) {
                // Not "gui": the Config page must reload (its ETag is now old).
                gateway.configStore()->update(
                    QStringLiteral("window"), [](const QJsonObject &file) {
                        QJsonObject changed = file;
                        JsonUtil::setValueAt(
                            changed, QStringLiteral("window.close_to_tray_explained"), true);
                        return changed;
                    });
            });
        }
        return;
    }
    event->accept();
    quitApplication();
}
