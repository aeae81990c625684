#pragma once

#include <QJsonObject>
#include <QMainWindow>
#include <optional>

class ChatPage;
class ConfigPage;
class CronPage;
class GatewayHost;
class LogsPage;
class ProvidersPage;
class QListWidget;
class QStackedWidget;
class QSystemTrayIcon;
class StatusPage;
class WeixinPage;

// The window: a sidebar of pages (Chat, Weixin, Providers, Cron, Config, Logs, Status) over the
// in-process gateway, and the tray icon, which also shows what scheduled jobs and reminders send
// to the window's chats. Closing hides to the tray when there is one; otherwise it
// quits.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum Page
    {
        ChatPageIndex,
        WeixinPageIndex,
        ProvidersPageIndex,
        CronPageIndex,
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
    ProvidersPage *providersPage() const { return m_providers; }
    CronPage *cronPage() const { return m_cron; }
    // The session whose message the tray showed last (a click on it opens that session).
    QString lastNotifiedSession() const { return m_notifiedSession; }
    void openNotifiedSession();
    void bringToFront();
    void copyApiUrl(); // and says so in the status bar
    void openAbout();
    int currentPage() const;
    bool closesToTray() const { return m_closeToTray; } // window.close_to_tray as last read
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    void openSetupWizard();

Q_SIGNALS:
    void quitRequested(); // quitApplication() ran: the event loop is told to end

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void applyWindowSettings(const QJsonObject &config);
    void setupTray();
    void updateTrayState(bool ok, const QString &detail);

    GatewayHost *m_host;
    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    // Pages built with the window but not in the stack yet, and how they join it.
    QList<QWidget *> pendingPages() const;
    void addPendingPages(int count);
    void addNextPendingPage();

    ChatPage *m_chat;
    ConfigPage *m_config;
    LogsPage *m_logs;
    StatusPage *m_status;
    WeixinPage *m_weixin;
    ProvidersPage *m_providers;
    CronPage *m_cron;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_notifiedSession;
    bool m_quitting = false;
    // window.* settings as last read from the config.
    bool m_closeToTray = true;
    bool m_closeExplained = false;
    std::optional<bool> m_startAtLogin; // what the autostart entry was last set to
};
