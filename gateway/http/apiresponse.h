#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QUrlQuery>

// An API request as controllers see it, whatever server parsed it.
struct ApiRequest
{
    QByteArray method;
    QUrl url;
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; // lower-case names
    QByteArray body;
    QHostAddress peer;
    // The client's connection (socket or WebSocket); null once it is gone. Long work watches
    // its destroyed() signal to cancel.
    QPointer<QObject> connection;

    QByteArray header(const QByteArray &lowerName) const;
    QString queryValue(const QString &key) const; // decoded, trimmed; empty when absent
    // The reference's bounded positive integer: absent, not a number or <= 0 gives `fallback`;
    // above `max` gives `max`.
    int boundedPositiveInt(const QString &key, int fallback, int max) const;
    // True for a JSON body or none; false for form and multipart bodies.
    bool hasJsonOrNoContentType() const;
};

// An answer, before the guards' headers are added. Plain-text errors end with "\n" and JSON
// bodies are compact with a trailing newline, as the reference writes them.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse text(const QString &message, int status);
    static ApiResponse raw(const QByteArray &body, const QByteArray &contentType, int status = 200);
    // {"ok":false,"error":…,"errors":[…]} (errors only when given).
    static ApiResponse jsonError(int status, const QString &error, const QStringList &errors = {});

    ApiResponse &withHeader(const QByteArray &name, const QByteArray &value);
};
