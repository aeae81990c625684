#include "gatewayhost.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "channels/desktopchannel.h"
#include "channels/weixinchannel.h"
#include "core/configstore.h"
#include "cron/cronscheduler.h"
#include "cron/cronservice.h"
#include "providers/oauthflows.h"
#include "providers/providerruntime.h"

ChatHandle::~ChatHandle()
{
    cancel();
}

void ChatHandle::cancel()
{
    if (m_cancel) {
        auto cancel = std::move(m_cancel);
        m_cancel = nullptr;
        cancel();
    }
}

GatewayHost::GatewayHost(const GatewayOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_worker(new QObject)
{
    m_thread.setObjectName(QStringLiteral("gateway"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &GatewayHost::listenerChanged, this, [this](const QString &url) {
        m_apiUrl = url;
        m_running = true;
        m_lastError.clear(); // a successful rebind clears the error state by itself
    });
    connect(this, &GatewayHost::listenerFailed, this,
            [this](const QString &error) { m_lastError = error; });
}

GatewayHost::~GatewayHost()
{
    shutdown();
}

void GatewayHost::shutdown()
{
    if (m_shutDown || !m_thread.isRunning())
        return;
    m_shutDown = true;
    // Blocking: this runs after every event already queued for the gateway thread, whatever it
    // is busy with, and returns only once the gateway (and what it still had to write) is gone.
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            m_stopped = true;
            m_waiting.clear();
            if (m_gateway) {
                m_gateway->stop();
                delete m_gateway;
                m_gateway = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_running = false;
}

void GatewayHost::runOnGateway(std::function<void(Gateway &)> work)
{
    if (m_shutDown)
        return; // the gateway is gone: nothing left to do it
    QMetaObject::invokeMethod(
        m_worker,
        [this, work = std::move(work)]() mutable {
            if (m_gateway)
                work(*m_gateway);
            else if (!m_stopped)
                m_waiting.push_back(std::move(work)); // asked before start(): run once it exists
        },
        Qt::QueuedConnection);
}

void GatewayHost::start()
{
    m_thread.start();
    QMetaObject::invokeMethod(
        m_worker,
        [this] {
            auto *gateway = new Gateway(m_options);
            QString error;
            const bool ok = gateway->start(&error);
            const QString url = ok ? gateway->apiUrl() : QString();
            const QString token = gateway->token();
            const bool created = gateway->configStore()->createdOnLoad();
            const bool loadFailed = gateway->configLoadFailed();
            // Signals of the services, queued to the UI thread.
            connect(gateway->configStore(), &ConfigStore::changed, this,
                    &GatewayHost::configChanged);
            connect(gateway->configStore(), &ConfigStore::rejected, this,
                    &GatewayHost::configRejected);
            connect(gateway, &Gateway::listenerChanged, this, &GatewayHost::listenerChanged);
            connect(gateway, &Gateway::listenerFailed, this, &GatewayHost::listenerFailed);
            connect(gateway->weixin(), &WeixinChannel::changed, this, &GatewayHost::weixinChanged);
            connect(gateway->agent()->providerRuntime(), &ProviderRuntime::changed, this,
                    &GatewayHost::providersChanged);
            connect(gateway->agent()->sessions(), &SessionStore::preloaded, this,
                    &GatewayHost::sessionsPreloaded);
            connect(gateway->configStore(), &ConfigStore::keychainStatusChanged, this,
                    &GatewayHost::keychainChanged);
            connect(gateway->oauth(), &OAuthFlows::progress, this, &GatewayHost::oauthFlow);
            connect(gateway->cron(), &CronService::jobsChanged, this, &GatewayHost::cronChanged);
            connect(gateway->cron()->scheduler(), &CronScheduler::runStarted, this,
                    &GatewayHost::cronChanged);
            connect(gateway->cron()->scheduler(), &CronScheduler::runFinished, this,
                    &GatewayHost::cronChanged);
            connect(gateway->desktopChannel(), &DesktopChannel::delivered, this,
                    &GatewayHost::sessionMessage);
            // The values the window shows without asking, sent over whenever they change.
            connect(gateway->configStore(), &ConfigStore::changed, gateway, [this, gateway] {
                QMetaObject::invokeMethod(
                    this,
                    [this, token = gateway->token(), url = gateway->apiUrl()] {
                        m_token = token;
                        m_apiUrl = url;
                    },
                    Qt::QueuedConnection);
            });
            m_gateway = gateway;
            // What the window asked for while the gateway was being made (its pages load as
            // they are built, which is before start()), in the order it was asked.
            auto waiting = std::move(m_waiting);
            m_waiting.clear();
            for (auto &work : waiting)
                work(*gateway);
            QMetaObject::invokeMethod(
                this,
                [this, ok, error, url, token, created, loadFailed] {
                    m_configCreated = created;
                    m_configLoadFailed = loadFailed;
                    m_running = ok;
                    m_lastError = error;
                    m_apiUrl = url;
                    m_token = token;
                    m_startedAt = QDateTime::currentDateTime();
                    Q_EMIT started(ok, error);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

ChatHandle *GatewayHost::chat(const QString &session, const QString &text, QObject *parent)
{
    auto *handle = new ChatHandle(parent);
    // The job pointer is only touched on the gateway thread.
    auto job = std::make_shared<QPointer<ChatJob>>();
    QPointer<ChatHandle> target(handle);
    GatewayHost *host = this;
    runOnGateway([host, target, job, session, text](Gateway &gateway) {
        ChatJob *created = gateway.agent()->submit(session, text);
        *job = created;
        // Forwarded as posted calls to the host (UI thread), where the handle is checked.
        const auto forward = [host, target](auto emitSignal) {
            QMetaObject::invokeMethod(
                host,
                [target, emitSignal] {
                    if (target)
                        emitSignal(target.data());
                },
                Qt::QueuedConnection);
        };
        QObject::connect(created, &ChatJob::delta, created, [forward](const QString &text) {
            forward([text](ChatHandle *h) { Q_EMIT h->delta(text); });
        });
        QObject::connect(created, &ChatJob::finished, created, [forward](const QString &reply) {
            forward([reply](ChatHandle *h) { Q_EMIT h->finished(reply); });
        });
        QObject::connect(created, &ChatJob::failed, created, [forward](const QString &error) {
            forward([error](ChatHandle *h) { Q_EMIT h->failed(error); });
        });
    });
    handle->m_cancel = [this, job] {
        runOnGateway([job](Gateway &) {
            if (*job)
                (*job)->cancel();
        });
    };
    return handle;
}
