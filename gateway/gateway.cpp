#include "gateway.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "api/routes.h"
#include "channels/channelbridge.h"
#include "channels/desktopchannel.h"
#include "channels/messagebus.h"
#include "channels/weixinchannel.h"
#include "core/background.h"
#include "core/configdefaults.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/eventbus.h"
#include "core/gatewaypaths.h"
#include "core/hostnames.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/paths.h"
#include "core/secretredactor.h"
#include "core/secretstore.h"
#include "core/workspacebootstrap.h"
#include "http/requestguard.h"
#include "http/router.h"

#include "cron/cronservice.h"
#include "cron/heartbeat.h"
#include "providers/oauthflows.h"
#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>

Gateway::Gateway(const GatewayOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_config(new ConfigStore(options.configPath, this)),
      m_events(new EventBus(this)), m_guard(std::make_unique<RequestGuard>()),
      m_router(std::make_unique<Router>()),
      m_http(new HttpServer(m_guard.get(), m_router.get(), this))
{
    m_config->setDebounceInterval(options.configDebounceMs);
    m_http->setLimits(options.limits);
    QJsonObject overrides;
    if (options.host)
        JsonUtil::setValueAt(overrides, QStringLiteral("gateway.host"), *options.host);
    if (options.port)
        JsonUtil::setValueAt(overrides, QStringLiteral("gateway.port"), *options.port);
    m_config->setRuntimeOverrides(overrides);

    m_agent = new AgentRuntime(m_config, this);
    m_bus = new MessageBus(100, this);
    m_secrets = new SecretStore(options.useKeychain, this);
    m_secrets->setServiceName(options.keychainService);
    m_config->setSecretStore(m_secrets);
    m_weixin = new WeixinChannel(m_config, this);
    m_weixin->setBus(m_bus);
    // Channel messages go to the agent in their own session; replies go back the same way.
    m_bridge = new ChannelBridge(m_bus, m_agent, this);
    m_bridge->addChannel(
        QStringLiteral("weixin"),
        [this](const QString &chatId, const QString &text, ChannelBridge::Done done) {
            m_weixin->send(chatId, text, std::move(done));
        });
    // The window's chat and API clients: a message for one of their sessions lands in it.
    m_desktop = new DesktopChannel(m_agent, m_events, this);
    m_bridge->addChannel(
        QString::fromLatin1(DesktopChannel::name),
        [this](const QString &session, const QString &text, ChannelBridge::Done done) {
            const QString error = m_desktop->send(session, text);
            if (done)
                done(error);
        });
    m_services.config = m_config;
    m_services.events = m_events;
    m_services.agent = m_agent;
    m_oauth = new OAuthFlows(m_config, m_agent->providerRuntime(), m_events, this);
    m_services.oauth = m_oauth;
    // Reminders reach the person: a job's message (or reply) goes to its chat over the bus.
    m_cron = new CronService(m_config, m_agent, m_bridge, this);
    m_agent->setToolServices(m_cron, m_bridge);
    connect(m_cron, &CronService::jobsChanged, m_events, [this] {
        m_events->publish(QJsonObject{{"type", "cron_changed"}});
    });
    connect(m_cron, &CronService::storeFailed, m_events, [this](const QString &error) {
        m_events->publish(QJsonObject{{"type", "cron_error"}, {"error", error}});
    });
    m_heartbeat = new Heartbeat(m_config, m_agent, this);
    m_services.cron = m_cron;
    m_services.weixin = m_weixin;
    m_services.compiledChannels = QStringList{QStringLiteral("weixin")};
    m_services.chatCoalesceMs = options.chatCoalesceMs;
    m_services.logTailIntervalMs = options.logTailIntervalMs;
    m_services.uploadMaxBytes = options.uploadMaxBytes;
    m_services.uploadRunTag =
        QString::number(QRandomGenerator::system()->generate64() | 1, 36); // never empty
    registerRoutes(*m_router, m_services);

    connect(m_config, &ConfigStore::changed, this,
            [this](const QStringList &sections, const QString &source) {
                applyConfig(sections, false);
                m_events->publish(QJsonObject{{"type", "config_changed"}, {"source", source}});
            });
    connect(m_config, &ConfigStore::rejected, this,
            [this](const QStringList &errors, const QString &source) {
                m_events->publish(QJsonObject{{"type", "config_rejected"},
                                              {"source", source},
                                              {"error", QStringLiteral("invalid config: ") +
                                                            errors.join(QLatin1String("; "))},
                                              {"errors", QJsonArray::fromStringList(errors)}});
            });
}

Gateway::~Gateway()
{
    // The last save must not re-enter applyConfig() on a half-destroyed gateway.
    disconnect(m_config, nullptr, this, nullptr);
    m_weixin->flushPendingSave();
    // Every save asked for is on disk before the gateway is gone.
    m_config->finishSaves();
}

QString Gateway::bindHost() const
{
    return ConfigKeys::string(m_config->effective(), QStringLiteral("gateway.host"));
}

int Gateway::bindPort() const
{
    return ConfigKeys::integer(m_config->effective(), QStringLiteral("gateway.port"));
}

QString Gateway::token() const
{
    return ConfigKeys::string(m_config->effective(), QStringLiteral("gateway.token"));
}

QString Gateway::logFilePath() const
{
    return GatewayPaths::logFile(*m_config);
}

QString Gateway::workspacePath() const
{
    return GatewayPaths::workspace(*m_config);
}

bool Gateway::start(QString *error)
{
    if (!m_config->load(error)) {
        m_configLoadFailed = true;
        return false;
    }
    const QString host = bindHost();
    if (token().isEmpty() && !Hostnames::isLoopback(host)) {
        *error = QStringLiteral("refusing to listen on %1 with an empty gateway.token: anyone on "
                                "the network could drive the agent. Set a token or bind to "
                                "127.0.0.1.")
                     .arg(host);
        return false;
    }
    applyConfig(ConfigDefaults::sections(), true);
    QString workspaceError;
    const int created = WorkspaceBootstrap::ensureWorkspace(workspacePath(), &workspaceError);
    if (created < 0)
        qCWarning(lcConfig).noquote() << "workspace not ready:" << workspaceError;
    else if (created > 0)
        qCInfo(lcConfig).noquote()
            << "created workspace" << workspacePath() << "with" << created << "template files";
    // The channel does not need the API listener (the window uses it directly), so a port
    // that is taken does not keep it, or the keychain, from starting.
    m_secrets->probe(); // credentials kept in the keychain are read once it answers
    m_weixin->start();  // when channels.weixin.enabled
    m_cron->start();    // reads cron/jobs.json, then runs what is due
    m_heartbeat->start();
    const int port = bindPort();
    if (!m_http->listen(host, quint16(qBound(0, port, 65535)), error))
        return false;
    m_guard->setLoopbackListener(m_http->isLoopbackListener());
    m_agent->sessions()->preloadAll();
    cleanUploads();
    m_boundHost = host;
    m_boundPort = port;
    qCInfo(lcApp).noquote() << "gateway listening on" << apiUrl()
                            << (token().isEmpty() ? "(authentication disabled: empty gateway.token)"
                                                  : "");
    Q_EMIT listenerChanged(apiUrl());
    return true;
}

Gateway::Activity Gateway::activity() const
{
    Activity now;
    now.requests = m_guard->requestsChecked();
    now.connections = m_http->openConnections();
    now.webSockets = m_http->openWebSockets();
    now.activeChats = m_agent->activeTurns();
    now.weixinActive = m_weixin->isActive();
    const WeixinStatus weixin = m_weixin->status();
    now.weixinAccounts = int(weixin.accounts.size());
    for (const WeixinStatus::Account &account : weixin.accounts)
        now.weixinConnected += account.state.connected ? 1 : 0;
    return now;
}

void Gateway::cleanUploads()
{
    // Half-written uploads (a crash mid-upload) never got an answer: gone at start. Finished
    // ones are kept for a while, for the chats that reference them.
    const QString folder = uploadFolder();
    const int days =
        ConfigKeys::integer(m_config->effective(), QStringLiteral("uploads.retention_days"));
    // The sweep runs on the pool while the API already takes uploads: unfinished uploads of
    // this run carry its tag and are left alone; those of an earlier run (a crash) go.
    const QString ours = QLatin1Char('.') + m_services.uploadRunTag + QStringLiteral(".part");
    Background::post([folder, days, ours] {
        const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-days);
        int removed = 0;
        const QFileInfoList files = QDir(folder).entryInfoList(QDir::Files | QDir::Hidden);
        for (const QFileInfo &file : files) {
            const QString name = file.fileName();
            const bool unfinished = name.endsWith(QLatin1String(".part"));
            if (unfinished && name.endsWith(ours))
                continue;
            if ((unfinished || (days > 0 && file.lastModified().toUTC() < cutoff)) &&
                QFile::remove(file.absoluteFilePath()))
                ++removed;
        }
        if (removed > 0)
            qCInfo(lcApp) << "removed" << removed << "old or unfinished uploads";
    });
}

void Gateway::stop()
{
    m_http->close();
    m_weixin->flushPendingSave();
    m_config->finishSaves(); // shutdown: what was asked for is on disk before we return
}

bool Gateway::restartListener(QString *error)
{
    m_http->close();
    if (!m_http->listen(bindHost(), quint16(qBound(0, m_boundPort >= 0 ? bindPort() : 0, 65535)),
                        error)) {
        Q_EMIT listenerFailed(*error);
        return false;
    }
    m_guard->setLoopbackListener(m_http->isLoopbackListener());
    if (m_boundPort >= 0) {
        m_boundHost = bindHost();
        m_boundPort = bindPort();
    }
    m_rebindFailed = false;
    Q_EMIT listenerChanged(apiUrl());
    return true;
}

void Gateway::reloadConfig(const QString &source)
{
    m_config->reloadFromDisk(source);
}

QString Gateway::uploadFolder() const
{
    return GatewayPaths::uploads(*m_config);
}

quint16 Gateway::port() const
{
    return m_http->port();
}

QString Gateway::apiUrl() const
{
    QString host = m_http->address().toString();
    if (m_http->address().protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

void Gateway::applyLogging()
{
    const QJsonObject config = m_config->effective();
    LogHub::FileSettings settings;
    settings.enabled = ConfigKeys::flag(config, QStringLiteral("logging.enabled"));
    settings.path = logFilePath();
    settings.maxBytes =
        qMax<qint64>(1, ConfigKeys::integer(config, QStringLiteral("logging.max_size_mb"))) * 1024 *
        1024;
    settings.retentionDays = ConfigKeys::integer(config, QStringLiteral("logging.retention_days"));
    LogHub::instance()->configureFile(settings);
}

void Gateway::applyConfig(const QStringList &sections, bool initial)
{
    const QJsonObject effective = m_config->effective();
    LogHub::instance()->redactor().setKnownSecrets(SecretRedactor::secretValues(effective));
    if (sections.contains(QLatin1String("logging")))
        applyLogging();
    if (sections.contains(QLatin1String("agents")) || sections.contains(QLatin1String("models")))
        m_agent->reconfigure();
    if (sections.contains(QLatin1String("agents")) && m_heartbeat)
        m_heartbeat->configure();
    if (sections.contains(QLatin1String("cron")) && m_cron)
        m_cron->configure();
    if (sections.contains(QLatin1String("channels"))) {
        m_weixin->reconfigure();
        if (!initial)
            m_weixin->start();
    }
    if (sections.contains(QLatin1String("gateway"))) {
        RequestGuard::Policy policy;
        policy.token = ConfigKeys::string(effective, QStringLiteral("gateway.token"));
        policy.allowedHosts =
            ConfigKeys::strings(effective, QStringLiteral("gateway.allowed_hosts"));
        policy.allowedOrigins =
            ConfigKeys::strings(effective, QStringLiteral("gateway.allowed_origins"));
        m_guard->setPolicy(policy);
        if (!initial && (bindHost() != m_boundHost || bindPort() != m_boundPort)) {
            QString error;
            if (m_http->listen(bindHost(), quint16(qBound(0, bindPort(), 65535)), &error)) {
                m_guard->setLoopbackListener(m_http->isLoopbackListener());
                m_boundHost = bindHost();
                m_boundPort = bindPort();
                m_rebindFailed = false;
                qCInfo(lcApp).noquote() << "gateway rebound to" << apiUrl();
                Q_EMIT listenerChanged(apiUrl());
            } else {
                m_rebindFailed = true;
                qCCritical(lcApp).noquote()
                    << "rebinding failed, still listening on" << apiUrl() << ":" << error;
                Q_EMIT listenerFailed(error);
            }
        } else if (!initial && m_rebindFailed) {
            // The address was set back to the one still bound: nothing is failing any more,
            // and whoever shows the failure must hear so without a "Restart listener".
            m_rebindFailed = false;
            qCInfo(lcApp).noquote() << "listener settings match" << apiUrl() << "again";
            Q_EMIT listenerChanged(apiUrl());
        }
    }
}
