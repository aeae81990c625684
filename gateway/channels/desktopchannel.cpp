#include "desktopchannel.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "core/clock.h"
#include "core/eventbus.h"
#include "core/logcategories.h"

#include <QTimer>

namespace {

// Messages waiting for busy sessions; beyond this a new one is refused, never piled up.
constexpr int kMostWaiting = 1000;

} // namespace

DesktopChannel::DesktopChannel(AgentRuntime *agent, EventBus *events, QObject *parent)
    : QObject(parent), m_agent(agent), m_events(events), m_retry(new QTimer(this))
{
    m_retry->setInterval(250);
    connect(m_retry, &QTimer::timeout, this, &DesktopChannel::deliverWaiting);
}

void DesktopChannel::setRetryIntervalMs(int ms)
{
    m_retry->setInterval(ms);
}

QString DesktopChannel::send(const QString &session, const QString &text)
{
    if (session.trimmed().isEmpty())
        return QStringLiteral("no session to send to");
    if (SessionStore::isInternalKey(session))
        return QStringLiteral("%1 is an internal session and takes no messages").arg(session);
    const bool queued = std::any_of(m_waiting.cbegin(), m_waiting.cend(),
                                    [&session](const Waiting &w) { return w.session == session; });
    if (!queued && !m_agent->isBusy(session)) {
        deliver(session, text);
        return QString();
    }
    if (m_waiting.size() >= kMostWaiting)
        return QStringLiteral("too many messages are waiting for busy sessions");
    m_waiting.append({session, text}); // after the turn, in order
    m_retry->start();
    return QString();
}

void DesktopChannel::deliverWaiting()
{
    QList<Waiting> still;
    QSet<QString> busy;
    for (const Waiting &waiting : std::as_const(m_waiting)) {
        if (busy.contains(waiting.session) || m_agent->isBusy(waiting.session)) {
            busy.insert(waiting.session); // the ones after it wait too
            still.append(waiting);
            continue;
        }
        deliver(waiting.session, waiting.text);
    }
    m_waiting = still;
    if (m_waiting.isEmpty())
        m_retry->stop();
}

void DesktopChannel::deliver(const QString &session, const QString &text)
{
    ChatMessage message{QStringLiteral("assistant"), text, {}, {}, {}};
    message.time = Clock::nowUtc();
    m_agent->sessions()->append(session, message);
    qCInfo(lcChannels).noquote() << "message for session" << session << "of the desktop chat";
    m_events->publish(QJsonObject{{"type", "session_message"},
                                  {"session", session},
                                  {"role", "assistant"},
                                  {"content", text}});
    Q_EMIT delivered(session, text);
}
