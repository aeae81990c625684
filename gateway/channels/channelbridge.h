#pragma once

#include <QHash>
#include <QObject>
#include <functional>

class AgentRuntime;
class MessageBus;
struct InboundMessage;

// Between the channels and the agent (spec/channels.md §1.3–1.5), the piece every channel uses:
// each inbound message of the bus becomes a turn in the chat's own session
// ("<channel>:<chat id>"), and its reply (or the error, in words) goes back out on the bus to
// the channel it came from, which registered its sender here.
class ChannelBridge final : public QObject
{
    Q_OBJECT

public:
    // Sends `text` to a chat of the channel, then calls `done` with "" or the error (at once
    // when it cannot even try).
    using Done = std::function<void(const QString &error)>;
    using Sender = std::function<void(const QString &chatId, const QString &text, Done done)>;

    ChannelBridge(MessageBus *bus, AgentRuntime *agent, QObject *parent = nullptr);
    void addChannel(const QString &name, Sender sender);
    bool hasChannel(const QString &name) const { return m_senders.contains(name.toLower()); }
    // Sends `text` to a chat through the bus (a reminder, a scheduled job's reply); `done` gets
    // "" once the channel delivered it, or why not ("unknown channel: x", the channel's error).
    void send(const QString &channel, const QString &chatId, const QString &text, Done done);

    // Where a message for the chat of `session` goes: a channel's chat for "<channel>:<chat id>"
    // keys of a channel here, the desktop channel for the sessions of the window and of API
    // clients; nothing for internal sessions (cron:, heartbeat:, …).
    struct Target
    {
        QString channel;
        QString chatId;
    };
    Target targetOf(const QString &session) const;

private:
    void onInbound(const InboundMessage &message);

    MessageBus *m_bus;
    AgentRuntime *m_agent;
    QHash<QString, Sender> m_senders;
};
