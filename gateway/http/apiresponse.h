#pragma once

#include "requesthead.h"

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <functional>

// An API request as controllers see it.
struct ApiRequest
{
    QByteArray method;
    QUrl url;     // path and query (http://host/path?query)
    QString path; // decoded path, as routes are matched
    QByteArray rawQuery;
    HeaderList headers; // lower-case names
    QByteArray body;
    QHostAddress peer;
    // The client's connection; null once it is gone. Long work watches its destroyed() signal
    // to cancel (never to delete work that can still call back).
    QPointer<QObject> connection;

    QByteArray header(const QByteArray &lowerName) const;
    // A query parameter decoded as Go's url.ParseQuery does ('+' is a space), trimmed; empty when
    // absent. The first value wins.
    QString queryValue(const QString &key) const;
    bool hasQueryItem(const QString &key) const;
    // The reference's bounded positive integer: absent, not a number or <= 0 gives `fallback`;
    // above `max` gives `max`.
    int boundedPositiveInt(const QString &key, int fallback, int max) const;
    // True for a JSON body or none; false for multipart bodies. A form content type with a JSON
    // body (what `curl -d` sends) is accepted, as the reference accepts it.
    bool hasJsonOrNoContentType() const;

    // Decodes "a=1&b=x+y&c=%41" into pairs.
    static QList<QPair<QString, QString>> parseQuery(const QByteArray &rawQuery);
};

// A handler's failure, turned into an HTTP answer in one place (ApiResponse::fromError). Plain
// errors are the reference's text answers ("message\n"); JSON ones are {"ok":false,"error":…}.
struct ApiError
{
    enum class Format
    {
        Text,
        Json
    };
    int status = 500;
    QString message;
    Format format = Format::Text;
    QStringList errors; // JSON only: the list of problems
    HeaderList headers;

    static ApiError text(int status, const QString &message)
    {
        return {status, message, Format::Text, {}, {}};
    }
    static ApiError json(int status, const QString &message, const QStringList &errors = {})
    {
        return {status, message, Format::Json, errors, {}};
    }
    ApiError &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append(HeaderPair{name, value});
        return *this;
    }
};

// An answer, before the one writer adds the security, CORS and framing headers. Plain-text
// errors end with "\n" and JSON bodies are compact with a trailing newline, as the reference
// writes them.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    HeaderList headers;

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse text(const QString &message, int status);
    static ApiResponse raw(const QByteArray &body, const QByteArray &contentType, int status = 200);
    // {"ok":false,"error":…,"errors":[…]} (errors only when given).
    static ApiResponse jsonError(int status, const QString &error, const QStringList &errors = {});
    static ApiResponse fromError(const ApiError &error);

    ApiResponse &withHeader(const QByteArray &name, const QByteArray &value);
};

// How an asynchronous handler answers, once, from the event loop. Calls after the client left
// (or after the first answer) are ignored.
class Reply
{
public:
    Reply() = default;
    explicit Reply(std::function<void(const ApiResponse &)> send) : m_send(std::move(send)) {}
    void operator()(const ApiResponse &response) const
    {
        if (m_send)
            m_send(response);
    }
    void operator()(const ApiError &error) const { (*this)(ApiResponse::fromError(error)); }

private:
    std::function<void(const ApiResponse &)> m_send;
};
