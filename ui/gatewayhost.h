#pragma once

#include "core/configstore.h"
#include "gateway.h"
#include "providers/llmtypes.h"

#include <QDateTime>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>

class ChatJob;

// A chat turn seen from the window: signals arrive on the UI thread.
class ChatHandle : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~ChatHandle() override;
    void cancel();

Q_SIGNALS:
    void delta(const QString &text);
    void finished(const QString &reply);
    void failed(const QString &error);

private:
    friend class GatewayHost;
    std::function<void()> m_cancel;
};

// Runs the in-process gateway on its own thread, so the window never waits for its disk or
// network work, and offers the window asynchronous calls into it (the same services the API
// uses, never its HTTP port). Results and signals arrive on the UI thread.
class GatewayHost : public QObject
{
    Q_OBJECT

public:
    explicit GatewayHost(const GatewayOptions &options, QObject *parent = nullptr);
    ~GatewayHost() override;

    void start(); // emits started()
    bool isRunning() const { return m_running; }
    QString apiUrl() const { return m_apiUrl; }
    QString token() const { return m_token; }
    QString configPath() const { return m_options.configPath; }
    QDateTime startedAt() const { return m_startedAt; }
    QString lastError() const { return m_lastError; }
    bool configCreated() const { return m_configCreated; } // first run: the file was just made

    ChatHandle *chat(const QString &session, const QString &text, QObject *parent = nullptr);
    void sessions(QObject *context, std::function<void(const QStringList &)> done);
    void history(const QString &session, QObject *context,
                 std::function<void(const QList<ChatMessage> &)> done);
    // The saved config (defaults merged), its ETag, and the validation of a candidate.
    void readConfig(QObject *context,
                    std::function<void(const QJsonObject &saved, const QByteArray &etag)> done);
    void saveConfig(const QJsonObject &fileConfig, const QByteArray &etag, QObject *context,
                    std::function<void(const ConfigStore::SaveResult &)> done);
    void restartListener(QObject *context, std::function<void(bool ok, const QString &error)> done);
    // Checks that the configured provider answers (a real, tiny call).
    void testProvider(const ProviderSettings &settings, QObject *context,
                      std::function<void(bool ok, const QString &message)> done);
    void providerSettings(
        QObject *context,
        std::function<void(bool ok, const ProviderSettings &, const QString &error)> done);

    // Weixin: the same channel object the /api/weixin routes use.
    void weixinStatus(QObject *context, std::function<void(const QJsonObject &status)> done);
    void weixinStartLogin(QObject *context, std::function<void(const QString &error)> done);
    void weixinCancelLogin(const QString &loginId, QObject *context, std::function<void()> done);
    // `action` is "remove" or "default".
    void weixinAccountAction(const QString &action, const QString &botId, QObject *context,
                             std::function<void(const QString &error)> done);
    void weixinQrSvg(const QString &loginId, QObject *context,
                     std::function<void(const QByteArray &svg)> done);

Q_SIGNALS:
    void started(bool ok, const QString &error);
    void configChanged(const QStringList &sections, const QString &source);
    void configRejected(const QStringList &errors, const QString &source);
    void listenerChanged(const QString &apiUrl);
    void listenerFailed(const QString &error);
    void weixinChanged();

private:
    // Runs `work` on the gateway thread (with the gateway), then nothing: work replies itself.
    void onGateway(std::function<void(Gateway *)> work);
    // Delivers `result` on the UI thread, unless `context` is gone.
    static void toUi(QObject *context, std::function<void()> result);

    GatewayOptions m_options;
    QThread m_thread;
    QObject *m_worker;
    Gateway *m_gateway = nullptr; // lives on m_thread; only touched there
    bool m_running = false;
    QString m_apiUrl;
    QString m_token;
    QString m_lastError;
    QDateTime m_startedAt;
    bool m_configCreated = false;
};
