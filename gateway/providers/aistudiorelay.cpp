#include "aistudiorelay.h"

#include "core/logcategories.h"
#include "http/websocket.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QUuid>

namespace {

QList<QPair<QByteArray, QByteArray>> headersFrom(const QJsonValue &value)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QByteArray name = it.key().toUtf8().toLower();
        if (it.value().isArray()) {
            for (const QJsonValue &item : it.value().toArray())
                headers.append({name, item.toString().toUtf8()});
        } else {
            headers.append({name, it.value().toVariant().toString().toUtf8()});
        }
    }
    return headers;
}

int statusFrom(const QJsonObject &payload, int fallback)
{
    const int status = payload.value("status").toInt();
    return status >= 100 && status <= 599 ? status : fallback;
}

} // namespace

AiStudioRelay::AiStudioRelay(QObject *parent) : QObject(parent) {}

AiStudioRelay::~AiStudioRelay()
{
    // Shutdown: the calls waiting on the relay are being torn down with their turns; telling
    // them now would run failover code in a half-destroyed runtime.
    for (const Connection &connection : std::as_const(m_connections))
        if (connection.socket)
            disconnect(connection.socket, nullptr, this, nullptr);
    m_connections.clear();
}

void AiStudioRelay::setIntervals(int pingMs, int readDeadlineMs)
{
    m_pingMs = pingMs;
    m_deadlineMs = readDeadlineMs;
}

bool AiStudioRelay::isConnected(const QString &providerIn) const
{
    const auto it = m_connections.constFind(providerIn.toLower());
    return it != m_connections.cend() && it->socket && it->socket->isOpen();
}

QStringList AiStudioRelay::connectedProviders() const
{
    QStringList providers;
    for (auto it = m_connections.cbegin(); it != m_connections.cend(); ++it)
        if (it->socket && it->socket->isOpen())
            providers << it.key();
    return providers;
}

void AiStudioRelay::attach(const QString &providerIn, WebSocket *socket)
{
    const QString provider = providerIn.toLower();
    if (m_connections.contains(provider)) {
        qCInfo(lcProviders).noquote() << "relay for" << provider << "replaced by a new connection";
        WebSocket *old = m_connections.value(provider).socket;
        drop(provider, old, QStringLiteral("a new relay connection replaced this one"));
        if (old)
            old->close(WebSocket::Normal, "replaced by a new connection");
    }
    socket->setMaxMessageBytes(kMaxMessageBytes);
    Connection &connection = m_connections[provider];
    connection.socket = socket;
    connection.ping = new QTimer(socket);
    connection.deadline = new QTimer(socket);
    connection.deadline->setSingleShot(true);
    connect(connection.ping, &QTimer::timeout, socket, [socket] { socket->ping("ping"); });
    connect(connection.deadline, &QTimer::timeout, socket, [socket] {
        qCWarning(lcProviders) << "relay connection silent past its read deadline; closing it";
        socket->close(WebSocket::PolicyViolation, "read deadline exceeded");
    });
    const auto alive = [timer = connection.deadline, deadlineMs = m_deadlineMs] {
        timer->start(deadlineMs);
    };
    connection.ping->start(m_pingMs);
    alive();
    connect(socket, &WebSocket::pongReceived, socket, alive);
    connect(socket, &WebSocket::textMessageReceived, this,
            [this, provider, socket, alive](const QString &text) {
                alive();
                onMessage(provider, socket, text);
            });
    connect(socket, &WebSocket::binaryMessageReceived, this, [socket, alive](const QByteArray &) {
        alive();
        qCWarning(lcProviders) << "relay: a binary frame was ignored" << socket->peerAddress();
    });
    connect(socket, &WebSocket::disconnected, this, [this, provider, socket] {
        drop(provider, socket, QStringLiteral("the AI Studio relay connection closed"));
    });
    qCInfo(lcProviders).noquote() << "relay connected for provider" << provider;
    Q_EMIT connected(provider);
}

void AiStudioRelay::drop(const QString &provider, WebSocket *socket, const QString &reason)
{
    auto it = m_connections.find(provider);
    if (it == m_connections.end() || it->socket != socket)
        return; // already replaced
    const QHash<QString, QPointer<RelayExchange>> pending = it->pending;
    m_connections.erase(it);
    for (const QPointer<RelayExchange> &exchange : pending)
        if (exchange)
            Q_EMIT exchange->finished(reason, 0);
    qCInfo(lcProviders).noquote() << "relay disconnected for provider" << provider;
    Q_EMIT disconnected(provider);
}

RelayExchange *AiStudioRelay::send(const QString &providerIn, const QByteArray &method,
                                   const QString &url,
                                   const QList<QPair<QByteArray, QByteArray>> &headers,
                                   const QByteArray &body, QObject *owner, QString *error)
{
    const QString provider = providerIn.toLower();
    auto it = m_connections.find(provider);
    if (it == m_connections.end() || !it->socket || !it->socket->isOpen()) {
        *error = QStringLiteral("no browser helper is connected to the AI Studio relay "
                                "(GET /v1/ws?provider=%1)")
                     .arg(provider);
        return nullptr;
    }
    auto *exchange = new RelayExchange(owner);
    exchange->m_id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QJsonObject headerObject;
    for (const auto &header : headers) {
        QJsonArray values = headerObject.value(QString::fromUtf8(header.first)).toArray();
        values.append(QString::fromUtf8(header.second));
        headerObject.insert(QString::fromUtf8(header.first), values);
    }
    const QJsonObject message{
        {"id", exchange->m_id},
        {"type", "http_request"},
        {"payload",
         QJsonObject{{"method", QString::fromLatin1(method)},
                     {"url", url},
                     {"headers", headerObject},
                     {"body", QString::fromUtf8(body)},
                     {"sent_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}}}};
    if (!it->socket->sendText(QJsonDocument(message).toJson(QJsonDocument::Compact))) {
        delete exchange;
        *error = QStringLiteral("the AI Studio relay connection could not take the request");
        return nullptr;
    }
    // Requests given up on (timed out, cancelled) leave an empty entry: drop those now.
    it->pending.removeIf([](const auto &entry) { return entry.value().isNull(); });
    it->pending.insert(exchange->m_id, exchange);
    return exchange;
}

void AiStudioRelay::onMessage(const QString &provider, WebSocket *socket, const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        qCWarning(lcProviders) << "relay: a message that is not a JSON object was ignored";
        return;
    }
    const QJsonObject message = doc.object();
    const QString id = message.value("id").toString();
    const QString type = message.value("type").toString();
    if (type == QLatin1String("ping")) {
        socket->sendText(QJsonDocument(QJsonObject{{"id", id}, {"type", "pong"}})
                             .toJson(QJsonDocument::Compact));
        return;
    }
    auto connection = m_connections.find(provider);
    if (connection == m_connections.end() || connection->socket != socket)
        return;
    const QPointer<RelayExchange> exchange = connection->pending.value(id);
    if (!connection->pending.contains(id) || !exchange) {
        connection->pending.remove(id);
        qCInfo(lcProviders).noquote()
            << "relay: an answer of type" << type.left(40) << "for a request that is not pending"
            << "(unknown, or already ended) was dropped";
        return;
    }
    const QJsonObject payload = message.value("payload").toObject();
    const auto sendHead = [&exchange, &payload](int fallback) {
        if (exchange->m_headSent)
            return;
        exchange->m_headSent = true;
        Q_EMIT exchange->head(statusFrom(payload, fallback), headersFrom(payload.value("headers")));
    };
    if (type == QLatin1String("http_response")) {
        connection->pending.remove(id);
        sendHead(200);
        if (exchange)
            Q_EMIT exchange->bytes(payload.value("body").toString().toUtf8());
        if (exchange)
            Q_EMIT exchange->finished(QString(), statusFrom(payload, 200));
    } else if (type == QLatin1String("stream_start")) {
        sendHead(200);
    } else if (type == QLatin1String("stream_chunk")) {
        sendHead(200);
        if (exchange)
            Q_EMIT exchange->bytes(payload.value("data").toString().toUtf8());
    } else if (type == QLatin1String("stream_end")) {
        connection->pending.remove(id);
        if (exchange)
            Q_EMIT exchange->finished(QString(), 200);
    } else if (type == QLatin1String("error")) {
        connection->pending.remove(id);
        Q_EMIT exchange->finished(
            QStringLiteral("the relay reported: %1")
                .arg(payload.value("error").toString(QStringLiteral("an error")).left(500)),
            statusFrom(payload, 0));
    } else {
        qCInfo(lcProviders).noquote()
            << "relay: a message of unknown type" << type.left(40) << "was ignored";
    }
}
