#pragma once

#include "apiresponse.h"
#include "requesthead.h"
#include "router.h"

#include <QObject>
#include <QPointer>
#include <memory>

class HttpServer;
class QTcpSocket;
struct ConnectionLimits;

// One HTTP/1.1 connection: reads request heads strictly, checks each request (every request of a
// keep-alive connection passes the guards), reads its body (Content-Length or chunked, bounded;
// streamed to the route for streaming routes), calls the route and writes its answer through
// ResponseWriter. Pipelined requests are answered in order, one at a time; while an answer is
// unsent past the queue limit, no further request is read (back-pressure reaches the client
// through TCP). An upgrade on any request becomes a WebSocket.
class HttpConnection final : public QObject
{
    Q_OBJECT

public:
    HttpConnection(QTcpSocket *socket, HttpServer *server);
    ~HttpConnection() override;

    // The server's sweep: ends a connection whose current deadline has passed.
    void checkDeadline(qint64 nowMs);

Q_SIGNALS:
    // The connection ended (closed, or became a WebSocket); the object deletes itself next.
    void finished(HttpConnection *self);

private:
    enum class State
    {
        Head,     // waiting for (more of) a request head
        Body,     // reading the body of a request that will be handled
        Handling, // the route is working on the answer
        Discard,  // skipping the rest of a refused request's (small) body, then Head
        Drain,    // answered and closing: reading and dropping what the client still sends
        Closing,  // the last answer is being written
        Done,
    };
    enum class Deadline
    {
        None,
        HeadTimeout,
        BodyTimeout,
        Idle,
        Drain,
        Flush,
    };

    void onReadyRead();
    void onBytesWritten();
    void onDisconnected();
    void process();
    bool pullInput();
    bool startRequest();
    bool readBody();
    bool consumeChunked();
    void dispatch();
    void upgrade(const Router::Route *route);
    void answer(const ApiResponse &response);
    void refuse(int status, const QByteArray &text, const HeaderList &headers = {},
                bool close = false);
    void send(const ApiResponse &response, bool close);
    void finishExchange(bool close);
    void startDrain();
    void abortSink();
    void setDeadline(Deadline kind, qint64 afterMs);
    void end();
    const ConnectionLimits &limits() const;

    QPointer<QTcpSocket> m_socket;
    HttpServer *m_server;
    State m_state = State::Head;
    QByteArray m_in;
    qsizetype m_inPos = 0;
    QByteArray m_out; // reused for every answer
    RequestHead m_head;
    ApiRequest m_request;
    const Router::Endpoint *m_endpoint = nullptr;
    std::unique_ptr<RequestBodySink> m_sink;
    std::unique_ptr<RequestBodySink> m_finishingSink;
    qint64 m_bodyLimit = 0;
    qint64 m_bodyReceived = 0;
    qint64 m_bodyRemaining = 0; // Content-Length framing
    bool m_chunked = false;
    enum class ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailer
    } m_chunkState = ChunkState::Size;
    qint64 m_chunkRemaining = 0;
    bool m_keepAlive = true;
    bool m_headRequest = false;
    bool m_apiPath = false;
    HeaderList m_cors;
    quint64 m_sequence = 0; // which request an asynchronous answer belongs to
    bool m_paused = false;  // unsent answers over the limit
    bool m_inProcess = false;
    qint64 m_drained = 0;
    Deadline m_deadline = Deadline::None;
    qint64 m_deadlineAtMs = 0;
    bool m_ended = false;
};
