#pragma once

#include <QList>
#include <QObject>
#include <QString>

class AgentRuntime;
class EventBus;
class QTimer;

// The channel of the window's chat and of API clients: its chat id is a session key. What is
// sent to it (a reminder, a scheduled job's reply) is added to that session as an assistant
// message and announced as a `session_message` event on /api/events/live, and the window shows
// it as a desktop notification (delivered()). This is where a reminder set from /api/chat or the
// window comes back, where the reference sent it to a channel that does not exist. A message
// for a session whose turn is under way waits until the turn is over, so it never lands between
// a question and its tool calls. Internal sessions (cron:, heartbeat:, …) take no messages.
class DesktopChannel final : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *name = "desktop";

    DesktopChannel(AgentRuntime *agent, EventBus *events, QObject *parent = nullptr);
    // "" or why the message cannot go there.
    QString send(const QString &session, const QString &text);
    // How often a message waiting for a busy session looks again (250 ms; tests shorten it).
    void setRetryIntervalMs(int ms);

Q_SIGNALS:
    void delivered(const QString &session, const QString &text);

private:
    void deliverWaiting();
    void deliver(const QString &session, const QString &text);

    struct Waiting
    {
        QString session;
        QString text;
    };
    AgentRuntime *m_agent;
    EventBus *m_events;
    QTimer *m_retry;
    QList<Waiting> m_waiting;
};
