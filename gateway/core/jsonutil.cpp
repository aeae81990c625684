#include "jsonutil.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace JsonUtil {

QJsonObject deepMerge(const QJsonObject &base, const QJsonObject &overlay,
                      const QSet<QString> &replaceWholePaths, const QString &prefix)
{
    QJsonObject merged = base;
    for (auto it = overlay.begin(); it != overlay.end(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key();
        const QJsonValue existing = merged.value(it.key());
        if (it.value().isObject() && existing.isObject() && !replaceWholePaths.contains(path)) {
            merged.insert(it.key(), deepMerge(existing.toObject(), it.value().toObject(),
                                              replaceWholePaths, path));
        } else {
            merged.insert(it.key(), it.value());
        }
    }
    return merged;
}

QJsonValue valueAt(const QJsonObject &root, const QString &dottedPath)
{
    const QStringList parts = dottedPath.split(QLatin1Char('.'));
    QJsonValue current = root;
    for (const QString &part : parts) {
        if (!current.isObject())
            return QJsonValue(QJsonValue::Undefined);
        current = current.toObject().value(part);
    }
    return current;
}

static void setIn(QJsonObject &object, const QStringList &parts, int index, const QJsonValue &value)
{
    const QString &key = parts.at(index);
    if (index == parts.size() - 1) {
        object.insert(key, value);
        return;
    }
    QJsonObject child = object.value(key).toObject();
    setIn(child, parts, index + 1, value);
    object.insert(key, child);
}

void setValueAt(QJsonObject &root, const QString &dottedPath, const QJsonValue &value)
{
    setIn(root, dottedPath.split(QLatin1Char('.')), 0, value);
}

QByteArray compact(const QJsonObject &object)
{
    QByteArray out = QJsonDocument(object).toJson(QJsonDocument::Compact);
    out.append('\n');
    return out;
}

QByteArray pretty(const QJsonObject &object)
{
    // Qt indents with four spaces; JSON strings cannot hold raw newlines, so every line's
    // leading spaces are indentation and can be halved safely.
    const QByteArray fourSpaced = QJsonDocument(object).toJson(QJsonDocument::Indented);
    QByteArray out;
    out.reserve(fourSpaced.size());
    qsizetype lineStart = 0;
    while (lineStart < fourSpaced.size()) {
        qsizetype lineEnd = fourSpaced.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = fourSpaced.size();
        qsizetype spaces = 0;
        while (lineStart + spaces < lineEnd && fourSpaced.at(lineStart + spaces) == ' ')
            ++spaces;
        out.append(QByteArray(spaces / 2, ' '));
        out.append(fourSpaced.constData() + lineStart + spaces, lineEnd - lineStart - spaces);
        if (lineEnd < fourSpaced.size())
            out.append('\n');
        lineStart = lineEnd + 1;
    }
    while (out.endsWith('\n'))
        out.chop(1);
    return out;
}

bool parseObject(const QByteArray &data, QJsonObject *out, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error)
            *error = QStringLiteral("%1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset);
        return false;
    }
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("expected a JSON object");
        return false;
    }
    *out = doc.object();
    return true;
}

} // namespace JsonUtil
