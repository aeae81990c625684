#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <functional>

struct InboundMessage
{
    QString channel; // "weixin"
    QString senderId;
    QString chatId; // "<bot_id>|<user_id>" for Weixin
    QString content;
    QString messageId; // when upstream has one
    QJsonObject metadata;
    QString sessionKey() const { return channel + QLatin1Char(':') + chatId; }
};

struct OutboundMessage
{
    QString channel;
    QString chatId;
    QString content;
    // Told whether the channel delivered it ("" or the error), when someone needs to know
    // (a scheduled job); replies to inbound messages go without.
    std::function<void(const QString &error)> done = {};
};

// Between the channels and the agent (spec/channels.md §1): inbound messages are deduplicated
// (same message id within 10 min, same content in the same chat within 12 s) and bounded (at most
// `capacity` waiting or running turns; beyond that a message is refused and the refusal
// reported, never dropped silently). Replies go out as outbound messages.
class MessageBus : public QObject
{
    Q_OBJECT

public:
    explicit MessageBus(int capacity = 100, QObject *parent = nullptr);
    void setDedupeWindows(qint64 messageIdTtlMs, qint64 contentWindowMs);

    // False with the reason ("duplicate", "overloaded") when the message is not taken.
    bool publishInbound(const InboundMessage &message, QString *reason = nullptr);
    // A consumer finished a message taken from inbound(): its slot is free again.
    void release();
    void publishOutbound(const OutboundMessage &message);
    int inFlight() const { return m_inFlight; }
    int refused() const { return m_refused; }

Q_SIGNALS:
    void inbound(const InboundMessage &message);
    void outbound(const OutboundMessage &message);
    void overloaded(const QString &channel, int refusedSoFar);

private:
    void prune(qint64 now);

    int m_capacity;
    int m_inFlight = 0;
    int m_refused = 0;
    qint64 m_idTtlMs = 600 * 1000;
    qint64 m_contentWindowMs = 12 * 1000;
    QHash<QString, qint64> m_seenIds;
    QHash<QString, qint64> m_seenContent;
};
