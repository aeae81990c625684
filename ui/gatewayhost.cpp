#include "gatewayhost.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "channels/qrsvg.h"
#include "channels/weixinchannel.h"
#include "core/jsonutil.h"
#include "http/httpserver.h"
#include "providers/llmcall.h"

#include <QPointer>

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
}

GatewayHost::~GatewayHost()
{
    if (m_thread.isRunning()) {
        QMetaObject::invokeMethod(m_worker, [this] {
            delete m_gateway; // closes the listener and ends running turns
            m_gateway = nullptr;
        });
        m_thread.quit();
        m_thread.wait(); // shutdown only: the window is already gone
    }
}

void GatewayHost::toUi(QObject *context, std::function<void()> result)
{
    QMetaObject::invokeMethod(context, std::move(result), Qt::QueuedConnection);
}

void GatewayHost::onGateway(std::function<void(Gateway *)> work)
{
    QMetaObject::invokeMethod(
        m_worker,
        [this, work] {
            if (m_gateway)
                work(m_gateway);
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
            // Signals of the services, queued to the UI thread.
            connect(gateway->configStore(), &ConfigStore::changed, this,
                    &GatewayHost::configChanged);
            connect(gateway->configStore(), &ConfigStore::rejected, this,
                    &GatewayHost::configRejected);
            connect(gateway, &Gateway::listenerChanged, this, &GatewayHost::listenerChanged);
            connect(gateway, &Gateway::listenerFailed, this, &GatewayHost::listenerFailed);
            connect(gateway->weixin(), &WeixinChannel::changed, this, &GatewayHost::weixinChanged);
            connect(gateway->configStore(), &ConfigStore::changed, this, [this, gateway] {
                const QString token = gateway->token();
                const QString url = gateway->apiUrl();
                toUi(this, [this, token, url] {
                    m_token = token;
                    m_apiUrl = url;
                });
            });
            m_gateway = gateway;
            toUi(this, [this, ok, error, url, token, created] {
                m_configCreated = created;
                m_running = ok;
                m_lastError = error;
                m_apiUrl = url;
                m_token = token;
                m_startedAt = QDateTime::currentDateTime();
                Q_EMIT started(ok, error);
            });
        },
        Qt::QueuedConnection);
    connect(this, &GatewayHost::listenerChanged, this, [this](const QString &url) {
        m_apiUrl = url;
        m_running = true;
    });
    connect(this, &GatewayHost::listenerFailed, this,
            [this](const QString &error) { m_lastError = error; });
}

ChatHandle *GatewayHost::chat(const QString &session, const QString &text, QObject *parent)
{
    auto *handle = new ChatHandle(parent);
    QPointer<ChatHandle> target(handle);
    auto job = std::make_shared<QPointer<ChatJob>>(); // only dereferenced on the gateway thread
    onGateway([target, job, session, text](Gateway *gateway) {
        ChatJob *created = gateway->agent()->submit(session, text);
        *job = created;
        if (!target) {
            created->cancel();
            return;
        }
        connect(created, &ChatJob::delta, target.data(), &ChatHandle::delta);
        connect(created, &ChatJob::finished, target.data(), &ChatHandle::finished);
        connect(created, &ChatJob::failed, target.data(), &ChatHandle::failed);
    });
    handle->m_cancel = [this, job] {
        QMetaObject::invokeMethod(
            m_worker,
            [job] {
                if (*job)
                    (*job)->cancel();
            },
            Qt::QueuedConnection);
    };
    return handle;
}

void GatewayHost::sessions(QObject *context, std::function<void(const QStringList &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        gateway->agent()->sessions()->listKeys(gateway, [guard, done](const QStringList &keys) {
            if (guard)
                toUi(guard, [keys, done] { done(keys); });
        });
    });
}

void GatewayHost::history(const QString &session, QObject *context,
                          std::function<void(const QList<ChatMessage> &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, session](Gateway *gateway) {
        SessionStore *store = gateway->agent()->sessions();
        store->loadAsync(session, gateway, [guard, done, session, store] {
            const QList<ChatMessage> messages = store->messages(session);
            if (guard)
                toUi(guard, [messages, done] { done(messages); });
        });
    });
}

void GatewayHost::readConfig(QObject *context,
                             std::function<void(const QJsonObject &, const QByteArray &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        const QJsonObject saved = gateway->configStore()->savedConfig();
        const QByteArray etag = gateway->configStore()->etag();
        if (guard)
            toUi(guard, [saved, etag, done] { done(saved, etag); });
    });
}

void GatewayHost::saveConfig(const QJsonObject &fileConfig, const QByteArray &etag,
                             QObject *context,
                             std::function<void(const ConfigStore::SaveResult &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, fileConfig, etag](Gateway *gateway) {
        // The same path as POST /api/config: validation, atomic write, events ("gui").
        gateway->configStore()->save(fileConfig, QStringLiteral("gui"), etag, gateway,
                                     [guard, done](const ConfigStore::SaveResult &result) {
                                         if (guard)
                                             toUi(guard, [result, done] { done(result); });
                                     });
    });
}

void GatewayHost::restartListener(QObject *context, std::function<void(bool, const QString &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        QString error;
        const bool ok = gateway->restartListener(&error);
        if (guard)
            toUi(guard, [ok, error, done] { done(ok, error); });
    });
}

void GatewayHost::providerSettings(
    QObject *context, std::function<void(bool, const ProviderSettings &, const QString &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        ProviderSettings settings;
        QString error;
        const bool ok = gateway->agent()->resolveProvider(&settings, &error);
        if (guard)
            toUi(guard, [ok, settings, error, done] { done(ok, settings, error); });
    });
}

void GatewayHost::testProvider(const ProviderSettings &settingsIn, QObject *context,
                               std::function<void(bool, const QString &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, settingsIn](Gateway *gateway) {
        ProviderSettings settings = settingsIn;
        settings.maxTokens = 16;
        settings.stream = false;
        settings.timeoutSec = qMin(settings.timeoutSec, 20);
        auto *call = new LlmCall(
            settings, {{QStringLiteral("user"), QStringLiteral("Reply with OK."), {}, {}, {}}}, {},
            gateway);
        connect(call, &LlmCall::finished, call, [call, guard, done](const LlmResult &result) {
            call->deleteLater();
            const QString message = result.content.trimmed().left(80);
            if (guard)
                toUi(guard, [done, message] { done(true, message); });
        });
        connect(call, &LlmCall::failed, call, [call, guard, done](const QString &error) {
            call->deleteLater();
            if (guard)
                toUi(guard, [done, error] { done(false, error); });
        });
        call->start();
    });
}

void GatewayHost::weixinStatus(QObject *context, std::function<void(const QJsonObject &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        WeixinChannel *channel = gateway->weixin();
        channel->refreshLogins(channel, [guard, done, channel](const QString &error) {
            const QJsonObject status = channel->statusPayload(error);
            if (guard)
                toUi(guard, [status, done] { done(status); });
        });
    });
}

void GatewayHost::weixinStartLogin(QObject *context, std::function<void(const QString &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done](Gateway *gateway) {
        gateway->weixin()->startLogin(gateway->weixin(), [guard, done](const QString &error) {
            if (guard)
                toUi(guard, [error, done] { done(error); });
        });
    });
}

void GatewayHost::weixinCancelLogin(const QString &loginId, QObject *context,
                                    std::function<void()> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, loginId](Gateway *gateway) {
        gateway->weixin()->cancelLogin(loginId);
        if (guard)
            toUi(guard, done);
    });
}

void GatewayHost::weixinAccountAction(const QString &action, const QString &botId, QObject *context,
                                      std::function<void(const QString &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, action, botId](Gateway *gateway) {
        const QString error = action == QLatin1String("remove")
                                  ? gateway->weixin()->removeAccount(botId)
                                  : gateway->weixin()->setDefaultAccount(botId);
        if (guard)
            toUi(guard, [error, done] { done(error); });
    });
}

void GatewayHost::weixinQrSvg(const QString &loginId, QObject *context,
                              std::function<void(const QByteArray &)> done)
{
    QPointer<QObject> guard(context);
    onGateway([guard, done, loginId](Gateway *gateway) {
        const QString content = gateway->weixin()->qrContent(loginId);
        QString error;
        const QByteArray svg = content.isEmpty() ? QByteArray() : QrSvg::render(content, &error, 4);
        if (guard)
            toUi(guard, [svg, done] { done(svg); });
    });
}
