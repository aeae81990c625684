#pragma once

#include "gateway.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>
#include <type_traits>
#include <vector>

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
// network work, and is the window's one typed bridge to it (the same services the API uses,
// never its HTTP port).
//
// The rule of the bridge: a function given to call() runs on the gateway thread and touches
// only the gateway; its result travels back by value and is delivered on the UI thread, where
// (and only where) the UI context is checked. Nothing reads the gateway from the UI thread, and
// nothing looks at a UI object from the gateway thread.
class GatewayHost : public QObject
{
    Q_OBJECT

public:
    explicit GatewayHost(const GatewayOptions &options, QObject *parent = nullptr);
    // Shuts the gateway down (see shutdown()).
    ~GatewayHost() override;

    void start(); // emits started()
    // Deletes the gateway on its thread and waits for it: listener closed, running turns
    // cancelled, pending saves (config, accounts, sessions) written. Blocks the caller, so it
    // is for quitting only.
    void shutdown();

    bool isRunning() const { return m_running; }
    QString apiUrl() const { return m_apiUrl; }
    QString token() const { return m_token; }
    QString configPath() const { return m_options.configPath; }
    // What the command line or environment layered over the file (--host, --port).
    const GatewayOptions &options() const { return m_options; }
    QDateTime startedAt() const { return m_startedAt; }
    QString lastError() const { return m_lastError; }
    bool configCreated() const { return m_configCreated; } // first run: the file was just made
    bool configLoadFailed() const { return m_configLoadFailed; } // start failed on the file

    // Runs `work(gateway)` on the gateway thread and hands its result to `done` on the UI
    // thread, unless `context` is gone by then (or the gateway is).
    template <typename Work, typename Done> void call(QObject *context, Work work, Done done)
    {
        using Result = std::decay_t<std::invoke_result_t<Work, Gateway &>>;
        callLater<Result>(
            context,
            [work = std::move(work)](Gateway &gateway,
                                     std::function<void(Result)> deliver) mutable {
                deliver(work(gateway));
            },
            std::move(done));
    }
    // The same for work that finishes later: `work(gateway, deliver)` calls deliver(result)
    // once, on the gateway thread.
    template <typename Result, typename Work, typename Done>
    void callLater(QObject *context, Work work, Done done)
    {
        QPointer<QObject> target(context); // only ever dereferenced on the UI thread
        // The host outlives the gateway thread (shutdown() ends the thread first), so answers
        // can always be posted to it.
        GatewayHost *host = this;
        runOnGateway([host, target, work = std::move(work),
                      done = std::move(done)](Gateway &gateway) mutable {
            work(gateway, [host, target, done](Result result) {
                QMetaObject::invokeMethod(
                    host,
                    [target, done, result = std::move(result)]() mutable {
                        if (target)
                            done(std::move(result));
                    },
                    Qt::QueuedConnection);
            });
        });
    }
    // Work with no answer for the window.
    void post(std::function<void(Gateway &)> work) { runOnGateway(std::move(work)); }

    // A chat turn whose deltas and end arrive on the UI thread through the handle.
    ChatHandle *chat(const QString &session, const QString &text, QObject *parent = nullptr);

Q_SIGNALS:
    void started(bool ok, const QString &error);
    void configChanged(const QStringList &sections, const QString &source);
    void configRejected(const QStringList &errors, const QString &source);
    void listenerChanged(const QString &apiUrl);
    void listenerFailed(const QString &error);
    void weixinChanged();
    void providersChanged();  // the provider runtime recorded something
    void sessionsPreloaded(); // every session on disk has been read (titles are known)
    void keychainChanged();   // the keychain answered, or credentials moved
    void oauthFlow(const QJsonObject &event); // a provider sign-in's progress (oauth_flow)
    void cronChanged();                       // the scheduled jobs changed, or one of them ran
    // A message for a session of the window's chat arrived (a reminder, a job's reply).
    void sessionMessage(const QString &session, const QString &text);

private:
    void runOnGateway(std::function<void(Gateway &)> work);

    GatewayOptions m_options;
    QThread m_thread;
    QObject *m_worker;            // lives on m_thread
    Gateway *m_gateway = nullptr; // lives on m_thread; only touched there
    // Work posted before the gateway existed, and whether it is gone (both gateway thread only).
    std::vector<std::function<void(Gateway &)>> m_waiting;
    bool m_stopped = false;
    bool m_running = false;
    QString m_apiUrl;
    QString m_token;
    QString m_lastError;
    QDateTime m_startedAt;
    bool m_configCreated = false;
    bool m_configLoadFailed = false;
    bool m_shutDown = false;
};
