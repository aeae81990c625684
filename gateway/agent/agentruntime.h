#pragma once

#include "providers/llmtypes.h"
#include "tools/tool.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <functional>
#include <memory>

class AgentTurn;
class ConfigStore;
class SessionStore;

// A chat request on its way through the runtime. Emits delta() while the reply streams, then
// finished() or failed(). cancel() (or deleting it) stops the work, upstream call included.
class ChatJob : public QObject
{
    Q_OBJECT

public:
    ChatJob(const QString &session, const QString &content, QObject *parent = nullptr)
        : QObject(parent), m_session(session), m_content(content)
    {}
    QString session() const { return m_session; }
    QString content() const { return m_content; }
    void cancel() { Q_EMIT cancelRequested(); }

Q_SIGNALS:
    void delta(const QString &text);
    void finished(const QString &reply);
    void failed(const QString &error);
    void cancelRequested();

private:
    QString m_session;
    QString m_content;
};

// Runs chat turns: one at a time per session (later ones wait their turn), different sessions
// at once. Reads providers, tools and the workspace from the live config on every turn.
class AgentRuntime : public QObject
{
    Q_OBJECT

public:
    AgentRuntime(ConfigStore *config, QObject *parent = nullptr);
    ~AgentRuntime() override;

    // Queues `content` for `session`; the job belongs to the caller (delete = cancel).
    ChatJob *submit(const QString &session, const QString &content);
    SessionStore *sessions() const { return m_sessions; }
    QString workspace() const;
    // The provider a turn would use, or why there is none (with what to do about it).
    bool resolveProvider(ProviderSettings *settings, QString *error) const;
    ToolContext toolContext() const;
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
    // Folds the older part of a long session into its summary (agents.defaults.context_compaction),
    // then calls `done`.
    void compactIfDue(const QString &session, const ProviderSettings &provider,
                      std::function<void()> done);

    ConfigStore *m_config;
    SessionStore *m_sessions;
    QHash<QString, SessionQueue> m_queues;
};
