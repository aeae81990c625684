#include "requesthead.h"

RequestHead::ParseResult RequestHead::parse(const QByteArray &data, RequestHead *head,
                                            qint64 maxHeadBytes, int maxHeaders)
{
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0) {
        // Tolerate bare-LF heads too, as many servers do.
        const qsizetype lfEnd = data.indexOf("\n\n");
        if (lfEnd < 0)
            return data.size() >= maxHeadBytes ? ParseResult::TooLarge : ParseResult::Incomplete;
    }
    qsizetype headEnd = end >= 0 ? end + 4 : data.indexOf("\n\n") + 2;
    if (headEnd > maxHeadBytes)
        return ParseResult::TooLarge;
    head->headSize = headEnd;
    const QList<QByteArray> lines = data.left(headEnd).split('\n');
    if (lines.isEmpty())
        return ParseResult::Malformed;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return ParseResult::Malformed;
    head->method = requestLine.at(0);
    head->target = requestLine.at(1);
    head->version = requestLine.at(2);
    head->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return ParseResult::Malformed;
        if (head->headers.size() >= maxHeaders)
            return ParseResult::TooLarge;
        head->headers.append({line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
    }
    return ParseResult::Complete;
}

QByteArray RequestHead::header(const QByteArray &lowerName) const
{
    for (const auto &header : headers)
        if (header.first == lowerName)
            return header.second;
    return QByteArray();
}

bool RequestHead::hasHeader(const QByteArray &lowerName) const
{
    for (const auto &header : headers)
        if (header.first == lowerName)
            return true;
    return false;
}

bool RequestHead::isWebSocketUpgrade() const
{
    return header("upgrade").toLower() == "websocket" &&
           header("connection").toLower().contains("upgrade");
}

QUrl RequestHead::url() const
{
    if (target.startsWith('/'))
        return QUrl::fromEncoded("http://placeholder" + target);
    return QUrl::fromEncoded(target); // absolute form
}
