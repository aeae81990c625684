#include "messagebus.h"

#include "core/clock.h"
#include "core/logcategories.h"

MessageBus::MessageBus(int capacity, QObject *parent)
    : QObject(parent), m_capacity(qMax(1, capacity))
{}

void MessageBus::setDedupeWindows(qint64 messageIdTtlMs, qint64 contentWindowMs)
{
    m_idTtlMs = messageIdTtlMs;
    m_contentWindowMs = contentWindowMs;
}

void MessageBus::prune(qint64 now)
{
    for (auto it = m_seenIds.begin(); it != m_seenIds.end();)
        it = now - it.value() > m_idTtlMs ? m_seenIds.erase(it) : std::next(it);
    for (auto it = m_seenContent.begin(); it != m_seenContent.end();)
        it = now - it.value() > m_contentWindowMs ? m_seenContent.erase(it) : std::next(it);
}

bool MessageBus::publishInbound(const InboundMessage &message, QString *reason)
{
    const qint64 now = Clock::nowMs();
    prune(now);
    const QString idKey = message.channel + QLatin1Char('\n') + message.messageId;
    const QString contentKey =
        message.channel + QLatin1Char('\n') + message.chatId + QLatin1Char('\n') + message.content;
    if ((!message.messageId.isEmpty() && m_seenIds.contains(idKey)) ||
        m_seenContent.contains(contentKey)) {
        if (reason)
            *reason = QStringLiteral("duplicate");
        qCInfo(lcChannels).noquote()
            << "dropping a repeated" << message.channel << "message from" << message.chatId;
        return false;
    }
    if (m_inFlight >= m_capacity) {
        ++m_refused;
        if (reason)
            *reason = QStringLiteral("overloaded");
        qCWarning(lcChannels).noquote()
            << "message bus full (" << m_capacity << "turns waiting): refusing a" << message.channel
            << "message from" << message.chatId;
        Q_EMIT overloaded(message.channel, m_refused);
        return false;
    }
    if (!message.messageId.isEmpty())
        m_seenIds.insert(idKey, now);
    m_seenContent.insert(contentKey, now);
    ++m_inFlight;
    Q_EMIT inbound(message);
    return true;
}

void MessageBus::release()
{
    m_inFlight = qMax(0, m_inFlight - 1);
}

void MessageBus::publishOutbound(const OutboundMessage &message)
{
    Q_EMIT outbound(message);
}
