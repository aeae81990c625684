#include "responsewriter.h"

#include <QDateTime>
#include <ctime>

namespace ResponseWriter {

namespace {

// RFC 9110 §15 reason phrases (and Go's for the extra ones).
const char *phrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Request Entity Too Large";
    case 414:
        return "Request URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 426:
        return "Upgrade Required";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return nullptr;
    }
}

// The Date header, formatted once per second.
const QByteArray &dateHeader()
{
    static thread_local time_t cachedSecond = 0;
    static thread_local QByteArray cached;
    const time_t now = ::time(nullptr);
    if (now != cachedSecond) {
        cachedSecond = now;
        static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        struct tm parts;
        gmtime_r(&now, &parts);
        char buffer[64];
        const int n =
            std::snprintf(buffer, sizeof buffer, "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                          days[parts.tm_wday], parts.tm_mday, months[parts.tm_mon],
                          parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec);
        cached = QByteArray(buffer, n);
    }
    return cached;
}

bool hasHeader(const HeaderList &headers, const char *lowerName)
{
    for (const auto &header : headers)
        if (header.first.compare(lowerName, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

} // namespace

QByteArray reasonPhrase(int status)
{
    const char *text = phrase(status);
    return text ? QByteArray(text) : QByteArrayLiteral("Status");
}

void serialize(QByteArray &out, const ApiResponse &response, const Context &context)
{
    out += "HTTP/1.1 ";
    out += QByteArray::number(response.status);
    out += ' ';
    const char *text = phrase(response.status);
    out += text ? text : "Status";
    out += "\r\n";
    if (!response.contentType.isEmpty()) {
        out += "Content-Type: ";
        out += response.contentType;
        out += "\r\n";
    }
    const bool bodyless = response.status == 204 || response.status == 304 ||
                          (response.status >= 100 && response.status < 200);
    if (!bodyless) {
        out += "Content-Length: ";
        out += QByteArray::number(response.body.size());
        out += "\r\n";
    }
    out += dateHeader();
    out += "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
           "Referrer-Policy: no-referrer\r\n";
    if (context.apiPath && !hasHeader(response.headers, "cache-control"))
        out += "Cache-Control: no-store\r\n";
    for (const auto &header : context.cors) {
        out += header.first;
        out += ": ";
        out += header.second;
        out += "\r\n";
    }
    for (const auto &header : response.headers) {
        // Framing and connection handling are this writer's alone.
        if (header.first.compare("content-length", Qt::CaseInsensitive) == 0 ||
            header.first.compare("connection", Qt::CaseInsensitive) == 0 ||
            header.first.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            continue;
        out += header.first;
        out += ": ";
        out += header.second;
        out += "\r\n";
    }
    if (context.upgrade)
        out += "Connection: Upgrade\r\n";
    else if (context.close)
        out += "Connection: close\r\n";
    else if (context.http10KeepAlive)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    if (!context.headRequest && !bodyless)
        out += response.body;
}

QByteArray continueLine()
{
    return QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n");
}

} // namespace ResponseWriter
