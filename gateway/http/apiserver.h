#pragma once

#include "apiresponse.h"

#include <QAbstractHttpServer>
#include <functional>
#include <optional>

class RequestGuard;
class Router;

// The HTTP side of the front door: QHttpServer's parser with our own dispatch, so every request
// on a keep-alive connection passes the same guards, and errors become HTTP answers here only.
class ApiServer : public QAbstractHttpServer
{
    Q_OBJECT

public:
    ApiServer(RequestGuard *guard, Router *router, QObject *parent = nullptr);

    void setMaxBodyBytes(qint64 bytes) { m_maxBodyBytes = bytes; }
    // Guards + routing + handler, without the socket. Synchronous routes answer through the
    // return value; asynchronous ones call `reply` later (and dispatch returns nullopt).
    std::optional<ApiResponse> dispatch(const ApiRequest &request,
                                        const std::function<void(const ApiResponse &)> &reply);
    // Adds security and CORS headers to an answer for `request`.
    void finalize(const ApiRequest &request, ApiResponse &response) const;

Q_SIGNALS:
    // Emitted when a complete request is about to be dispatched: from here on the handler, not
    // the connection's timers, decides how long the answer takes.
    void requestReceived(QTcpSocket *socket);
    // Emitted after each answer, so the connection's byte budget starts afresh.
    void requestHandled(QTcpSocket *socket);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    RequestGuard *m_guard;
    Router *m_router;
    qint64 m_maxBodyBytes = 4 * 1024 * 1024;
};

// Writes a complete HTTP/1.1 answer, with the security headers, to a raw socket (for requests
// that never reach ApiServer) and closes the connection after it.
void writeRawHttpResponse(QTcpSocket *socket, int status, const QByteArray &contentType,
                          const QByteArray &body,
                          const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
void writeRawHttpError(QTcpSocket *socket, int status, const QByteArray &body,
                       const QList<QPair<QByteArray, QByteArray>> &extraHeaders = {});
