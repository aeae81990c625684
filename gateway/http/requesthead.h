#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

// A parsed HTTP/1.x request head. The front door peeks at it (without consuming the bytes) to
// run the guards before a connection is handed to the HTTP or WebSocket server.
struct RequestHead
{
    enum class ParseResult
    {
        Incomplete,
        Complete,
        Malformed,
        TooLarge
    };

    QByteArray method;
    QByteArray target;
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    qint64 headSize = 0;                          // bytes up to and including the blank line

    static ParseResult parse(const QByteArray &data, RequestHead *head, qint64 maxHeadBytes,
                             int maxHeaders);

    QByteArray header(const QByteArray &lowerName) const;
    bool hasHeader(const QByteArray &lowerName) const;
    bool isWebSocketUpgrade() const;
    QUrl url() const; // path and query of the target
};
