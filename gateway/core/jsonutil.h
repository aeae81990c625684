#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QString>

namespace JsonUtil {

// Deep merge: objects merge key by key, anything else in `overlay` replaces. Keys listed in
// `replaceWholePaths` (dotted paths such as "models.providers") are taken from `overlay`
// as a whole when present there: those maps belong to the user, defaults never leak into them.
QJsonObject deepMerge(const QJsonObject &base, const QJsonObject &overlay,
                      const QSet<QString> &replaceWholePaths = {}, const QString &prefix = {});

QJsonValue valueAt(const QJsonObject &root, const QString &dottedPath);
void setValueAt(QJsonObject &root, const QString &dottedPath, const QJsonValue &value);

// Compact JSON followed by a newline, as API answers are written.
QByteArray compact(const QJsonObject &object);
// Pretty JSON with two-space indentation (the reference's format), no trailing newline.
QByteArray pretty(const QJsonObject &object);

// Parses a JSON object; on failure returns false and a short human message in `error`.
bool parseObject(const QByteArray &data, QJsonObject *out, QString *error);

} // namespace JsonUtil
