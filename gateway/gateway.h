#pragma once

#include "api/apiservices.h"
#include "http/httpserver.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

class AgentRuntime;
class OAuthFlows;
class CronService;
class DesktopChannel;
class Heartbeat;
class ChannelBridge;
class MessageBus;
class WeixinChannel;
class ConfigStore;
class EventBus;
class RequestGuard;
class SecretStore;
class Router;

struct GatewayOptions
{
    QString configPath;
    std::optional<QString> host; // --host / CLAWGO_HOST: layered over the file, never saved
    std::optional<int> port;     // --port / CLAWGO_PORT (0 picks a free port)
    int configDebounceMs = 300;
    int logTailIntervalMs = 250;
    int chatCoalesceMs = 50;
    qint64 uploadMaxBytes = 32 * 1024 * 1024;
    bool useKeychain = true; // --no-keychain: secrets stay in 0600 files
    QString keychainService = QStringLiteral("clawgo-desktop");
    ConnectionLimits limits;
};

// The composition root of the in-process gateway: config store, logging, event bus, the front
// door and the controllers. Used by the headless app, the window and the tests alike.
class Gateway : public QObject
{
    Q_OBJECT

public:
    explicit Gateway(const GatewayOptions &options, QObject *parent = nullptr);
    ~Gateway() override;

    // Loads the config (creating it on first run), prepares the workspace and binds.
    bool start(QString *error);
    // Shutdown: closes the listener and writes every pending save (blocking, once the event
    // loop is done serving).
    void stop();
    // SIGHUP and the window's "reload" both land here.
    void reloadConfig(const QString &source);
    // Closes and re-opens the listener on the configured address (the tray's "restart").
    bool restartListener(QString *error);

    ConfigStore *configStore() const { return m_config; }
    EventBus *events() const { return m_events; }
    RequestGuard *guard() const { return m_guard.get(); }
    HttpServer *httpServer() const { return m_http; }
    Router *router() const { return m_router.get(); }
    AgentRuntime *agent() const { return m_agent; }
    OAuthFlows *oauth() const { return m_oauth; }
    CronService *cron() const { return m_cron; }
    Heartbeat *heartbeat() const { return m_heartbeat; }
    DesktopChannel *desktopChannel() const { return m_desktop; }
    WeixinChannel *weixin() const { return m_weixin; }
    MessageBus *bus() const { return m_bus; }
    SecretStore *secrets() const { return m_secrets; }
    // start() failed because the config file could not be loaded (the store holds defaults).
    bool configLoadFailed() const { return m_configLoadFailed; }
    // The services the API controllers work with, for the window's calls of the same code.
    ApiServices &services() { return m_services; }
    quint16 port() const;
    QString apiUrl() const;
    QString token() const;
    QString logFilePath() const;
    QString workspacePath() const;
    QString uploadFolder() const; // <config folder>/uploads, 0700

    // What the gateway is doing now, for the window's Status page and tray tooltip.
    struct Activity
    {
        quint64 requests = 0; // checked since start (HTTP requests and upgrades)
        int connections = 0;  // open HTTP connections
        int webSockets = 0;   // open WebSocket clients
        int activeChats = 0;  // sessions with a turn under way
        bool weixinActive = false;
        int weixinAccounts = 0;
        int weixinConnected = 0;
    };
    Activity activity() const;

Q_SIGNALS:
    void listenerChanged(const QString &apiUrl);
    void listenerFailed(const QString &error);

private:
    void applyConfig(const QStringList &sections, bool initial);
    void applyLogging();
    void cleanUploads();
    QString bindHost() const;
    int bindPort() const;

    GatewayOptions m_options;
    ConfigStore *m_config;
    EventBus *m_events;
    std::unique_ptr<RequestGuard> m_guard;
    std::unique_ptr<Router> m_router;
    HttpServer *m_http;
    AgentRuntime *m_agent;
    OAuthFlows *m_oauth = nullptr;
    CronService *m_cron = nullptr;
    Heartbeat *m_heartbeat = nullptr;
    DesktopChannel *m_desktop = nullptr;
    MessageBus *m_bus;
    ChannelBridge *m_bridge;
    SecretStore *m_secrets;
    WeixinChannel *m_weixin;
    ApiServices m_services;
    QString m_boundHost;
    int m_boundPort = -1;
    bool m_rebindFailed = false;
    bool m_configLoadFailed = false; // the last rebind to the configured address failed
};
