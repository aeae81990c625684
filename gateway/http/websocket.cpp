#include "websocket.h"

#include "core/logcategories.h"
#include "core/logtext.h"

#include <QCryptographicHash>
#include <QTcpSocket>
#include <QTimer>

namespace {

constexpr quint8 kContinuation = 0x0;
constexpr quint8 kText = 0x1;
constexpr quint8 kBinary = 0x2;
constexpr quint8 kClose = 0x8;
constexpr quint8 kPing = 0x9;
constexpr quint8 kPong = 0xA;

bool isValidCloseCode(quint16 code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

} // namespace

WebSocket::WebSocket(QTcpSocket *socket, const QByteArray &pending, const QUrl &requestUrl,
                     const Limits &limits, QObject *parent)
    : QObject(parent), m_socket(socket), m_url(requestUrl), m_peer(socket->peerAddress()),
      m_limits(limits), m_in(pending)
{
    socket->setParent(this);
    // Qt reads no further than this ahead of us, so a flooding client meets TCP back-pressure.
    socket->setReadBufferSize(256 * 1024);
    connect(socket, &QTcpSocket::readyRead, this, &WebSocket::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, &WebSocket::onDisconnected);
    connect(socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError && m_socket)
            m_socket->abort();
    });
    if (!m_in.isEmpty() || socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &WebSocket::onReadyRead, Qt::QueuedConnection);
}

WebSocket::~WebSocket() = default;

QByteArray WebSocket::acceptKey(const QByteArray &key)
{
    return QCryptographicHash::hash(key.trimmed() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

bool WebSocket::isValidUtf8(const char *data, qsizetype size)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data);
    const unsigned char *end = p + size;
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        quint32 codePoint;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            codePoint = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            codePoint = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            codePoint = c & 0x07;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            codePoint = (codePoint << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((extra == 1 && codePoint < 0x80) || (extra == 2 && codePoint < 0x800) ||
            (extra == 3 && codePoint < 0x10000) || codePoint > 0x10FFFF ||
            (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

qint64 WebSocket::bytesToWrite() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

void WebSocket::onReadyRead()
{
    if (!m_socket || m_state == State::Closed)
        return;
    if (m_discarding) {
        // After a protocol error the stream is out of step: drop what still arrives until the
        // peer answers our close by hanging up (or the close timer ends it).
        m_socket->read(m_socket->bytesAvailable());
        return;
    }
    // Read no more than the largest frame we accept (plus its header) ahead of the parser.
    const qint64 cap = m_limits.maxMessageBytes + 14 + 64 * 1024;
    while (m_socket->bytesAvailable() > 0 && m_in.size() - m_inPos < cap) {
        if (m_inPos > 0) {
            m_in.remove(0, m_inPos);
            m_inPos = 0;
        }
        const QByteArray chunk = m_socket->read(cap - m_in.size());
        if (chunk.isEmpty())
            break;
        m_in += chunk;
        processFrames();
        if (m_state == State::Closed)
            return;
    }
    processFrames();
}

void WebSocket::processFrames()
{
    while (m_state != State::Closed && !m_discarding) {
        const qsizetype available = m_in.size() - m_inPos;
        if (available < 2)
            break;
        const auto *p = reinterpret_cast<const unsigned char *>(m_in.constData() + m_inPos);
        const bool fin = p[0] & 0x80;
        const quint8 opcode = p[0] & 0x0F;
        const bool masked = p[1] & 0x80;
        quint64 length = p[1] & 0x7F;
        qsizetype header = 2;
        if (p[0] & 0x70)
            return fail(ProtocolError, "reserved bits set");
        if (!masked)
            return fail(ProtocolError, "client frames must be masked");
        if (length == 126) {
            if (available < 4)
                break;
            length = (quint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | p[i];
            if (length >> 63)
                return fail(ProtocolError, "invalid frame length");
            header = 10;
        }
        const bool control = opcode & 0x8;
        if (control) {
            if (opcode != kClose && opcode != kPing && opcode != kPong)
                return fail(ProtocolError, "reserved opcode");
            if (!fin || length > 125)
                return fail(ProtocolError, "invalid control frame");
        } else {
            if (opcode != kContinuation && opcode != kText && opcode != kBinary)
                return fail(ProtocolError, "reserved opcode");
            if (opcode == kContinuation && m_messageOpcode == 0)
                return fail(ProtocolError, "continuation without a message");
            if (opcode != kContinuation && m_messageOpcode != 0)
                return fail(ProtocolError, "new message inside a fragmented one");
            if (length > quint64(m_limits.maxMessageBytes) ||
                quint64(m_message.size()) + length > quint64(m_limits.maxMessageBytes))
                return fail(TooMuchData, "message too large");
        }
        header += 4;
        if (quint64(available) < quint64(header) + length)
            break;
        const unsigned char *mask = p + header - 4;
        QByteArray payload(reinterpret_cast<const char *>(p + header), qsizetype(length));
        char *data = payload.data();
        for (qsizetype i = 0; i < payload.size(); ++i)
            data[i] = char(data[i] ^ mask[i & 3]);
        m_inPos += header + qsizetype(length);
        handleFrame(opcode, fin, std::move(payload));
        if (m_discarding)
            return;
    }
    if (m_inPos > 0 && m_inPos == m_in.size()) {
        m_in.clear();
        m_inPos = 0;
    }
}

void WebSocket::handleFrame(quint8 opcode, bool fin, QByteArray payload)
{
    switch (opcode) {
    case kPing:
        if (m_state == State::Open)
            writeFrame(kPong, payload);
        return;
    case kPong:
        Q_EMIT pongReceived();
        return;
    case kClose: {
        quint16 code = 1005; // no status received
        if (payload.size() == 1)
            return fail(ProtocolError, "invalid close frame");
        if (payload.size() >= 2) {
            code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
            if (!isValidCloseCode(code))
                return fail(ProtocolError, "invalid close code");
            if (!isValidUtf8(payload.constData() + 2, payload.size() - 2))
                return fail(InvalidPayload, "invalid close reason");
        }
        if (m_state == State::Open) {
            // Echo the close and hang up once it is written.
            m_closeCode = code;
            QByteArray echo;
            if (code != 1005) {
                echo.append(char(code >> 8));
                echo.append(char(code & 0xFF));
            }
            writeFrame(kClose, echo);
        }
        m_state = State::Closed;
        if (m_socket)
            m_socket->disconnectFromHost();
        return;
    }
    default:
        break;
    }
    if (m_state != State::Open)
        return; // data after our close frame is discarded
    if (opcode != kContinuation)
        m_messageOpcode = opcode;
    if (m_message.isEmpty() && fin) {
        m_message = std::move(payload);
    } else {
        m_message += payload;
    }
    if (!fin)
        return;
    const quint8 type = m_messageOpcode;
    const QByteArray message = std::exchange(m_message, QByteArray());
    m_messageOpcode = 0;
    if (type == kText) {
        if (!isValidUtf8(message.constData(), message.size()))
            return fail(InvalidPayload, "text message is not UTF-8");
        Q_EMIT textMessageReceived(QString::fromUtf8(message));
    } else {
        Q_EMIT binaryMessageReceived(message);
    }
}

bool WebSocket::writeFrame(quint8 opcode, const QByteArray &payload)
{
    if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    if (opcode != kClose && m_socket->bytesToWrite() > m_limits.maxQueuedBytes) {
        // A reader this far behind is dropped rather than allowed to grow our memory.
        static LogThrottle throttle;
        throttle.log(lcHttp(), QtInfoMsg,
                     QStringLiteral("closing a WebSocket that does not read what it is sent (%1)")
                         .arg(m_peer.toString()),
                     QStringLiteral("WebSockets closed for not reading"));
        m_closeCode = TryAgainLater;
        m_state = State::Closed;
        m_socket->abort();
        return false;
    }
    char header[10];
    qsizetype headerSize = 2;
    header[0] = char(0x80 | opcode);
    const quint64 length = quint64(payload.size());
    if (length < 126) {
        header[1] = char(length);
    } else if (length <= 0xFFFF) {
        header[1] = 126;
        header[2] = char(length >> 8);
        header[3] = char(length & 0xFF);
        headerSize = 4;
    } else {
        header[1] = 127;
        for (int i = 0; i < 8; ++i)
            header[2 + i] = char((length >> (56 - 8 * i)) & 0xFF);
        headerSize = 10;
    }
    m_socket->write(header, headerSize);
    m_socket->write(payload);
    m_socket->flush();
    return true;
}

bool WebSocket::ping(const QByteArray &payload)
{
    return m_state == State::Open && writeFrame(kPing, payload.left(125));
}

void WebSocket::setMaxMessageBytes(qint64 bytes)
{
    m_limits.maxMessageBytes = bytes;
}

bool WebSocket::sendText(const QByteArray &utf8)
{
    if (m_state != State::Open)
        return false;
    if (m_socket && m_socket->bytesToWrite() > m_limits.maxQueuedBytes) {
        static LogThrottle throttle;
        throttle.log(lcHttp(), QtInfoMsg,
                     QStringLiteral("closing a WebSocket client that does not keep up (%1)")
                         .arg(m_peer.toString()),
                     QStringLiteral("slow WebSocket clients closed"));
        close(TryAgainLater, "client too slow");
        return false;
    }
    return writeFrame(kText, utf8);
}

void WebSocket::close(quint16 code, const QByteArray &reason)
{
    if (m_state != State::Open || !m_socket)
        return;
    m_closeCode = code;
    QByteArray payload;
    payload.append(char(code >> 8));
    payload.append(char(code & 0xFF));
    payload.append(reason.left(123));
    writeFrame(kClose, payload);
    m_state = State::Closing;
    if (!m_closeTimer) {
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
        connect(m_closeTimer, &QTimer::timeout, this, [this] {
            if (m_socket)
                m_socket->abort();
        });
    }
    m_closeTimer->start(m_limits.closeTimeoutMs);
}

void WebSocket::fail(quint16 code, const QByteArray &reason)
{
    if (m_state == State::Closed)
        return;
    static LogThrottle throttle;
    throttle.log(lcHttp(), QtInfoMsg,
                 QStringLiteral("closing a WebSocket from %1: %2")
                     .arg(m_peer.toString(), QString::fromLatin1(reason)),
                 QStringLiteral("WebSockets closed for protocol errors"));
    m_in.clear();
    m_inPos = 0;
    m_message.clear();
    m_messageOpcode = 0;
    if (m_state == State::Open)
        close(code, reason); // the close timer ends the connection if the peer never answers
    // Keep reading (and dropping) until the peer hangs up: closing with its data unread would
    // reset the connection and could lose our close frame on the way.
    m_discarding = true;
}

void WebSocket::onDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    m_state = State::Closed;
    if (m_closeTimer)
        m_closeTimer->stop();
    Q_EMIT disconnected();
    deleteLater();
}
