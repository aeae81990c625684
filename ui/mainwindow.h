#pragma once

#include <QMainWindow>

class ChatPage;
class ConfigPage;
class GatewayHost;
class LogsPage;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;
class StatusPage;
class WeixinPage;

// The window: a sidebar of pages (Chat, Config, Logs, Status) over the in-process gateway, and
// the tray icon. Closing hides to the tray when there is one; otherwise it quits.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum Page
    {
        ChatPageIndex,
        WeixinPageIndex,
        ConfigPageIndex,
        LogsPageIndex,
        StatusPageIndex
    };

    explicit MainWindow(GatewayHost *host, QWidget *parent = nullptr);
    // The one way out (menu, tray, signals): always quits, whatever windows or dialogs are open.
    void quitApplication();
    void showPage(Page page);
    ChatPage *chatPage() const { return m_chat; }
    ConfigPage *configPage() const { return m_config; }
    LogsPage *logsPage() const { return m_logs; }
    StatusPage *statusPage() const { return m_status; }
    WeixinPage *weixinPage() const { return m_weixin; }
    void bringToFront();
    void copyApiUrl(); // and says so in the status bar
    int currentPage() const;
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    void openSetupWizard();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void setupTray();
    void updateTrayState(bool ok, const QString &detail);

    GatewayHost *m_host;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    ChatPage *m_chat;
    ConfigPage *m_config;
    LogsPage *m_logs;
    StatusPage *m_status;
    WeixinPage *m_weixin;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_quitting = false;
};
