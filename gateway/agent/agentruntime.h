#pragma once

#include "providers/llmtypes.h"
#include "skills/skillcatalog.h"
#include "tools/tool.h"

#include <QDir>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <functional>
#include <memory>

namespace Background {
class SerialQueue;
}
class AgentTurn;
class AiStudioRelay;
class ChannelBridge;
class CronService;
class ConfigStore;
class ProviderRuntime;
class PromptCache;
class SessionStore;

// A chat request on its way through the runtime. Emits delta() while the reply streams, then
// finished() or failed(). The runtime owns it and deletes it after its last signal; callers
// keep a QPointer and never delete it. cancel() is the way to stop it: the upstream call is
// aborted, a running tool is killed, and no signal is emitted afterwards.
class ChatJob : public QObject
{
    Q_OBJECT

public:
    QString session() const { return m_session; }
    QString content() const { return m_content; }
    void cancel();
    bool isCancelled() const { return m_cancelled; }
    bool isOver() const { return m_over; } // finished, failed or cancelled

Q_SIGNALS:
    void delta(const QString &text);
    void finished(const QString &reply);
    void failed(const QString &error);
    void cancelRequested(); // for the runtime

private:
    friend class AgentRuntime;
    ChatJob(const QString &session, const QString &content, QObject *parent)
        : QObject(parent), m_session(session), m_content(content)
    {}
    QString m_session;
    QString m_content;
    bool m_cancelled = false;
    bool m_over = false;
};

// Runs chat turns: one at a time per session (later ones wait their turn), different sessions
// at once. Reads providers, tools and the workspace from the live config on every turn.
class AgentRuntime : public QObject
{
    Q_OBJECT

public:
    AgentRuntime(ConfigStore *config, QObject *parent = nullptr);
    ~AgentRuntime() override;

    // Queues `content` for `session`. The job belongs to the runtime (see ChatJob).
    ChatJob *submit(const QString &session, const QString &content);
    int activeTurns() const;                   // sessions with a turn (or its summary) under way
    bool isBusy(const QString &session) const; // a turn runs or waits for this session
    SessionStore *sessions() const { return m_sessions; }
    PromptCache *prompts() const { return m_prompts; }
    QString workspace() const;
    // The provider a turn would use, or why there is none (with what to do about it).
    bool resolveProvider(ProviderSettings *settings, QString *error) const;
    ProviderRuntime *providerRuntime() const { return m_providers; }
    // The providers a turn of `session` tries, in order, as the next turn would resolve them.
    QList<ProviderSettings> providerChain(const QString &session, QStringList *problems)
    {
        return chainFor(session, problems);
    }
    AiStudioRelay *relay() const { return m_relay; }
    // The model ("provider/model") a session's turns use instead of the primary; empty clears.
    // Kept in agents/main/session-models.json beside the sessions.
    void setSessionModel(const QString &session, const QString &model);
    QString sessionModel(const QString &session) const;
    // The tool context of a turn of `session` (its chat for reminders filled in).
    ToolContext toolContext(const QString &session = QString()) const;
    // Where skills are found: the workspace's and the config folder's.
    QList<SkillCatalog::Root> skillRoots() const;
    // The services the cron and remind tools use (set by the gateway once it has them).
    void setToolServices(CronService *cron, ChannelBridge *channels);
    // Re-reads paths from the config (called when it changes).
    void reconfigure();

private:
    // clawgo's daily summary (spec/agent.md §4.4) in <workspace>/memory/<today>.md.
    void noteInDailyMemory(const QString &workspace, const QString &session, const QString &request,
                           const QString &reply);
    struct SessionQueue
    {
        QQueue<QPointer<ChatJob>> waiting;
        bool busy = false; // a turn (or its summarising) is under way
    };
    void startNext(const QString &session);
    void run(ChatJob *job);
    // Ends a job after its last signal (or its cancel): the job is deleted on the next turn of
    // the event loop, never from inside a signal it is emitting.
    static void retire(ChatJob *job);
    // Folds the older part of a long session into its summary (agents.defaults.context_compaction),
    // then calls `done`.
    void compactIfDue(const QString &session, const ProviderSettings &provider,
                      std::function<void()> done);

    // The provider chain of the next turn of `session` (its pick, or the provider it fell back
    // to while the primary cools down), as settings; `problems` says which cannot be called.
    QList<ProviderSettings> chainFor(const QString &session, QStringList *problems);
    QList<ProviderSettings> resolvedChain(const QString &preferred, QStringList *problems);
    struct ResolvedChain
    {
        QList<ProviderSettings> chain;
        QStringList problems;
    };
    QHash<QString, ResolvedChain> m_chainCache; // by preferred model, for one config revision
    quint64 m_chainCacheRevision = 0;

    ConfigStore *m_config;
    AiStudioRelay *m_relay;
    ProviderRuntime *m_providers;
    void saveSessionModels();
    std::unique_ptr<Background::SerialQueue> m_modelWrites;
    QString m_sessionModelsFile;
    bool m_sessionModelsLoaded = true;
    bool m_saveModelsAfterLoad = false;
    QSet<QString> m_modelsClearedBeforeLoad;
    QHash<QString, QString> m_sessionModels; // picked in the window
    QHash<QString, QString> m_stickyModels;  // fell back to, while the primary cools down
    SessionStore *m_sessions;
    PromptCache *m_prompts;
    QHash<QString, SessionQueue> m_queues;
    QPointer<CronService> m_cron;
    QPointer<ChannelBridge> m_channels;
};
