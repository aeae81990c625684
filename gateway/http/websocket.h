#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QUrl>

class QTcpSocket;
class QTimer;

// The server side of one WebSocket connection (RFC 6455), taken over from the HTTP connection
// after the handshake. Strict where the RFC says "must": client frames must be masked, reserved
// bits and opcodes, fragmented or oversized control frames and invalid UTF-8 in text close the
// connection with the matching code. Bounded: a message over the size limit closes with 1009, and
// a client that does not read what it is sent (or keeps pinging without reading the pongs) is
// closed with 1013 once its send queue is full, so it never slows the others or grows memory.
class WebSocket final : public QObject
{
    Q_OBJECT

public:
    struct Limits
    {
        qint64 maxMessageBytes = 1024 * 1024;
        qint64 maxQueuedBytes = 4 * 1024 * 1024;
        int closeTimeoutMs = 2000; // wait for the peer's close frame at most this long
    };
    enum CloseCode : quint16
    {
        Normal = 1000,
        GoingAway = 1001,
        ProtocolError = 1002,
        UnsupportedData = 1003,
        InvalidPayload = 1007,
        PolicyViolation = 1008,
        TooMuchData = 1009,
        InternalError = 1011,
        TryAgainLater = 1013,
    };

    // `pending`: bytes already read from `socket` after the handshake head.
    WebSocket(QTcpSocket *socket, const QByteArray &pending, const QUrl &requestUrl,
              const Limits &limits, QObject *parent = nullptr);
    ~WebSocket() override;

    // Sends one text message. False when the socket is closed or was just closed for being too
    // slow (its queue is full).
    bool sendText(const QByteArray &utf8);
    bool sendText(const QString &text) { return sendText(text.toUtf8()); }
    // A ping control frame (payload cut to 125 bytes); pongReceived() follows from a live peer.
    bool ping(const QByteArray &payload);
    // A route that expects larger messages than the server's default (the AI Studio relay).
    void setMaxMessageBytes(qint64 bytes);
    // Starts the closing handshake; disconnected() follows.
    void close(quint16 code = Normal, const QByteArray &reason = QByteArray());
    bool isOpen() const { return m_state == State::Open; }
    QHostAddress peerAddress() const { return m_peer; }
    QUrl requestUrl() const { return m_url; }
    qint64 bytesToWrite() const;
    quint16 closeCode() const { return m_closeCode; } // what we sent or received

    // The Sec-WebSocket-Accept value for a Sec-WebSocket-Key.
    static QByteArray acceptKey(const QByteArray &key);
    static bool isValidUtf8(const char *data, qsizetype size);

Q_SIGNALS:
    void textMessageReceived(const QString &text);
    void binaryMessageReceived(const QByteArray &data);
    void pongReceived();
    // The connection is gone (closed by either side, or failed); the object deletes itself next.
    void disconnected();

private:
    enum class State
    {
        Open,
        Closing, // our close frame is sent; waiting for the peer's
        Closed,
    };
    void onReadyRead();
    void processFrames();
    void handleFrame(quint8 opcode, bool fin, QByteArray payload);
    bool writeFrame(quint8 opcode, const QByteArray &payload);
    void fail(quint16 code, const QByteArray &reason);
    void onDisconnected();

    QPointer<QTcpSocket> m_socket;
    QUrl m_url;
    QHostAddress m_peer;
    Limits m_limits;
    QByteArray m_in;
    qsizetype m_inPos = 0;
    QByteArray m_message; // a fragmented message being assembled
    quint8 m_messageOpcode = 0;
    State m_state = State::Open;
    quint16 m_closeCode = 0;
    QTimer *m_closeTimer = nullptr;
    bool m_gone = false;
    bool m_discarding = false; // after a protocol error
};
