#include "channelbridge.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "core/logcategories.h"
#include "messagebus.h"

ChannelBridge::ChannelBridge(MessageBus *bus, AgentRuntime *agent, QObject *parent)
    : QObject(parent), m_bus(bus), m_agent(agent)
{
    connect(m_bus, &MessageBus::inbound, this, &ChannelBridge::onInbound);
    connect(m_bus, &MessageBus::outbound, this, [this](const OutboundMessage &message) {
        const auto sender = m_senders.constFind(message.channel.toLower());
        if (sender == m_senders.constEnd()) {
            qCWarning(lcChannels).noquote()
                << "no channel" << message.channel << "to send a reply through";
            if (message.done)
                message.done(QStringLiteral("unknown channel: %1").arg(message.channel));
            return;
        }
        (*sender)(message.chatId, message.content, message.done);
    });
}

void ChannelBridge::addChannel(const QString &name, Sender sender)
{
    m_senders.insert(name.toLower(), std::move(sender));
}

void ChannelBridge::send(const QString &channel, const QString &chatId, const QString &text,
                         Done done)
{
    if (!hasChannel(channel))
        return done(QStringLiteral("unknown channel: %1").arg(channel));
    if (chatId.trimmed().isEmpty())
        return done(QStringLiteral("no chat to send to on %1").arg(channel));
    m_bus->publishOutbound(OutboundMessage{channel.toLower(), chatId, text, std::move(done)});
}

ChannelBridge::Target ChannelBridge::targetOf(const QString &session) const
{
    if (session.isEmpty() || SessionStore::isInternalKey(session))
        return {};
    const qsizetype colon = session.indexOf(QLatin1Char(':'));
    if (colon > 0) {
        const QString channel = session.left(colon).toLower();
        if (channel != QLatin1String("desktop") && hasChannel(channel))
            return {channel, session.mid(colon + 1)};
    }
    if (!hasChannel(QStringLiteral("desktop")))
        return {};
    return {QStringLiteral("desktop"), session};
}

void ChannelBridge::onInbound(const InboundMessage &message)
{
    ChatJob *job = m_agent->submit(message.sessionKey(), message.content);
    const QString channel = message.channel;
    const QString chatId = message.chatId;
    connect(job, &ChatJob::finished, this, [this, channel, chatId](const QString &text) {
        m_bus->release();
        if (!text.trimmed().isEmpty())
            m_bus->publishOutbound(OutboundMessage{channel, chatId, text});
    });
    connect(job, &ChatJob::failed, this, [this, channel, chatId](const QString &error) {
        m_bus->release();
        m_bus->publishOutbound(
            OutboundMessage{channel, chatId, QStringLiteral("Error processing message: ") + error});
    });
}
