#include "apiresponse.h"

#include "core/jsonutil.h"
#include "core/loghub.h"

#include <QJsonArray>

QByteArray ApiRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return QByteArray();
}

QList<QPair<QString, QString>> ApiRequest::parseQuery(const QByteArray &rawQuery)
{
    QList<QPair<QString, QString>> items;
    if (rawQuery.isEmpty())
        return items;
    for (const QByteArray &pair : rawQuery.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        value.replace('+', ' ');
        items.append({QString::fromUtf8(QByteArray::fromPercentEncoding(key)),
                      QString::fromUtf8(QByteArray::fromPercentEncoding(value))});
    }
    return items;
}

QString ApiRequest::queryValue(const QString &key) const
{
    for (const auto &item : parseQuery(rawQuery))
        if (item.first == key)
            return item.second.trimmed();
    return QString();
}

bool ApiRequest::hasQueryItem(const QString &key) const
{
    for (const auto &item : parseQuery(rawQuery))
        if (item.first == key)
            return true;
    return false;
}

int ApiRequest::boundedPositiveInt(const QString &key, int fallback, int max) const
{
    bool ok = false;
    const int value = queryValue(key).toInt(&ok);
    if (!ok || value <= 0)
        return fallback;
    return qMin(value, max);
}

bool ApiRequest::hasJsonOrNoContentType() const
{
    return !header("content-type").toLower().startsWith("multipart/");
}

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    return raw(JsonUtil::compact(object), "application/json", status);
}

ApiResponse ApiResponse::text(const QString &message, int status)
{
    return raw(message.toUtf8() + '\n', "text/plain; charset=utf-8", status);
}

ApiResponse ApiResponse::raw(const QByteArray &body, const QByteArray &contentType, int status)
{
    ApiResponse response;
    response.status = status;
    response.body = body;
    response.contentType = contentType;
    return response;
}

ApiResponse ApiResponse::jsonError(int status, const QString &error, const QStringList &errors)
{
    QJsonObject object{{"ok", false}, {"error", error}};
    if (!errors.isEmpty())
        object.insert("errors", QJsonArray::fromStringList(errors));
    return json(object, status);
}

ApiResponse ApiResponse::fromError(const ApiError &error)
{
    // An error text can carry what an upstream said, and upstreams sometimes echo the key they
    // were sent: the same scrubbing as for log lines applies to every error answer.
    const LogRedactor &redactor = LogHub::instance()->redactor();
    QStringList errors;
    for (const QString &problem : error.errors)
        errors << redactor.redact(problem);
    ApiResponse response = error.format == ApiError::Format::Json
                               ? jsonError(error.status, redactor.redact(error.message), errors)
                               : text(redactor.redact(error.message), error.status);
    response.headers.append(error.headers);
    return response;
}

ApiResponse &ApiResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append(HeaderPair{name, value});
    return *this;
}
