#pragma once

#include <QObject>
#include <QString>

class EventBus;
class SessionStore;

// The channel of the window's chat and of API clients: its chat id is a session key. What is
// sent to it (a reminder, a scheduled job's reply) is added to that session as an assistant
// message and announced as a `session_message` event on /api/events/live, and the window shows
// it as a desktop notification (delivered()). This is where a reminder set from /api/chat or the
// window comes back, where the reference sent it to a channel that does not exist.
class DesktopChannel final : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *name = "desktop";

    DesktopChannel(SessionStore *sessions, EventBus *events, QObject *parent = nullptr);
    void send(const QString &session, const QString &text);

Q_SIGNALS:
    void delivered(const QString &session, const QString &text);

private:
    SessionStore *m_sessions;
    EventBus *m_events;
};
