#include "desktopchannel.h"

#include "agent/sessionstore.h"
#include "core/clock.h"
#include "core/eventbus.h"
#include "core/logcategories.h"

DesktopChannel::DesktopChannel(SessionStore *sessions, EventBus *events, QObject *parent)
    : QObject(parent), m_sessions(sessions), m_events(events)
{}

void DesktopChannel::send(const QString &session, const QString &text)
{
    ChatMessage message{QStringLiteral("assistant"), text, {}, {}, {}};
    message.time = Clock::nowUtc();
    m_sessions->append(session, message);
    qCInfo(lcChannels).noquote() << "message for session" << session << "of the desktop chat";
    m_events->publish(QJsonObject{{"type", "session_message"},
                                  {"session", session},
                                  {"role", "assistant"},
                                  {"content", text}});
    Q_EMIT delivered(session, text);
}
