#include "apiresponse.h"

#include "core/jsonutil.h"
#include "requestguard.h"

#include <QJsonArray>

QByteArray ApiRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers)
        if (h.first == lowerName)
            return h.second;
    return QByteArray();
}

QString ApiRequest::queryValue(const QString &key) const
{
    return query.queryItemValue(key, QUrl::FullyDecoded).trimmed();
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
    const QByteArray type = header("content-type").toLower();
    return !type.startsWith("multipart/") && !type.startsWith("application/x-www-form-urlencoded");
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

ApiResponse &ApiResponse::withHeader(const QByteArray &name, const QByteArray &value)
{
    headers.append(HeaderPair{name, value});
    return *this;
}
