#include "secretredactor.h"

#include "configkeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <functional>

namespace SecretRedactor {

namespace {

bool isMask(const QJsonValue &value)
{
    return value.toString() == QLatin1String(kPlaceholder);
}

// The keys the table marks secret, or whose value is a URL that may carry a password.
const QList<const ConfigKey *> &secretKeys()
{
    static const QList<const ConfigKey *> keys = [] {
        QList<const ConfigKey *> result;
        for (const ConfigKey &key : ConfigKeys::all())
            if (key.isSecretish())
                result << &key;
        return result;
    }();
    return keys;
}

// What a visitor sees: the value at one concrete place, the value at the same place of the
// counterpart document (array items matched by their id field, then by position), and the
// concrete segments.
using Visitor = std::function<QJsonValue(const QJsonValue &value, const QJsonValue &counterpart,
                                         const QStringList &segments)>;

QJsonValue walk(const QJsonValue &node, const QJsonValue &counterpart, const QStringList &pattern,
                int index, QStringList &segments, const Visitor &visit)
{
    if (index == pattern.size())
        return visit(node, counterpart, segments);
    QString part = pattern.at(index);
    const bool isArray = part.endsWith(QLatin1String("[]"));
    if (isArray)
        part.chop(2);
    if (!node.isObject())
        return node;
    QJsonObject object = node.toObject();
    const QJsonObject other = counterpart.toObject();
    auto step = [&](const QString &key) {
        const QJsonValue child = object.value(key);
        const QJsonValue otherChild = other.value(key);
        segments << key;
        if (!isArray) {
            object.insert(key, walk(child, otherChild, pattern, index + 1, segments, visit));
            segments.removeLast();
            return;
        }
        if (!child.isArray()) {
            segments.removeLast();
            return;
        }
        const ConfigKey *list = ConfigKeys::find(segments);
        const QString idField = list ? list->itemId : QString();
        QJsonArray items = child.toArray();
        const QJsonArray otherItems = otherChild.toArray();
        for (int i = 0; i < items.size(); ++i) {
            QJsonValue match = i < otherItems.size() ? otherItems.at(i) : QJsonValue();
            const QString id =
                idField.isEmpty() ? QString() : items.at(i).toObject().value(idField).toString();
            if (!id.isEmpty()) {
                for (const QJsonValue &candidate : otherItems)
                    if (candidate.toObject().value(idField).toString() == id)
                        match = candidate;
            }
            segments << QString::number(i);
            items[i] = walk(items.at(i), match, pattern, index + 1, segments, visit);
            segments.removeLast();
        }
        object.insert(key, items);
        segments.removeLast();
    };
    if (part == QLatin1String("*")) {
        const QStringList keys = object.keys();
        for (const QString &key : keys)
            step(key);
    } else if (object.contains(part)) {
        step(part);
    }
    return object;
}

QJsonObject apply(const QJsonObject &config, const QJsonObject &counterpart,
                  const std::function<QJsonValue(const ConfigKey &, const QJsonValue &,
                                                 const QJsonValue &, const QStringList &)> &visit)
{
    QJsonValue result = config;
    for (const ConfigKey *key : secretKeys()) {
        QStringList segments;
        result =
            walk(result, counterpart, key->path.split(QLatin1Char('.')), 0, segments,
                 [&](const QJsonValue &value, const QJsonValue &other,
                     const QStringList &concrete) { return visit(*key, value, other, concrete); });
    }
    return result.toObject();
}

// Applies `change` to a secret string, or to every value of a secret map.
QJsonValue
eachSecretString(const ConfigKey &key, const QJsonValue &value, const QJsonValue &counterpart,
                 const std::function<QJsonValue(const QJsonValue &, const QJsonValue &)> &change)
{
    if (key.type != ConfigKey::Type::StringMap)
        return change(value, counterpart);
    if (!value.isObject())
        return value;
    QJsonObject map = value.toObject();
    const QJsonObject other = counterpart.toObject();
    for (auto it = map.begin(); it != map.end(); ++it)
        *it = change(*it, other.value(it.key()));
    return map;
}

QString addressText(const QJsonValue &value)
{
    if (value.isString())
        return ConfigKeys::urlWithoutPassword(value.toString());
    if (value.isUndefined() || value.isNull())
        return QString();
    return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
}

// The value of an address pattern for a secret at `segments`: each `*` of the pattern takes
// the secret's own segment at that place.
QJsonValue addressValue(const QJsonObject &config, const QString &pattern,
                        const QStringList &segments)
{
    QStringList parts = pattern.split(QLatin1Char('.'));
    QJsonValue node = config;
    for (int i = 0; i < parts.size(); ++i) {
        if (parts.at(i) == QLatin1String("*") && i < segments.size())
            parts[i] = segments.at(i);
        node = node.toObject().value(parts.at(i));
    }
    return node;
}

QString moved(const QString &secretPath, const QString &address)
{
    return QStringLiteral("%1: enter it again: %2 changed, and a masked secret is never sent to a "
                          "new address")
        .arg(secretPath, address);
}

} // namespace

QJsonObject redact(const QJsonObject &config)
{
    return apply(
        config, QJsonObject(),
        [](const ConfigKey &key, const QJsonValue &value, const QJsonValue &, const QStringList &) {
            if (!key.secret)
                return value.isString() ? QJsonValue(ConfigKeys::maskUrlPassword(value.toString()))
                                        : value;
            return eachSecretString(key, value, QJsonValue(),
                                    [](const QJsonValue &text, const QJsonValue &) {
                                        return text.isString() && !text.toString().isEmpty()
                                                   ? QJsonValue(QLatin1String(kPlaceholder))
                                                   : text;
                                    });
        });
}

QJsonObject restore(const QJsonObject &incoming, const QJsonObject &current)
{
    return apply(incoming, current,
                 [](const ConfigKey &key, const QJsonValue &value, const QJsonValue &stored,
                    const QStringList &) {
                     if (!key.secret)
                         return value.isString() ? QJsonValue(ConfigKeys::restoreUrlPassword(
                                                       value.toString(), stored.toString()))
                                                 : value;
                     return eachSecretString(
                         key, value, stored, [](const QJsonValue &text, const QJsonValue &was) {
                             if (!isMask(text))
                                 return text;
                             return was.isString() ? was : QJsonValue(QString());
                         });
                 });
}

QStringList secretsSentElsewhere(const QJsonObject &incoming, const QJsonObject &current)
{
    QStringList problems;
    apply(incoming, current,
          [&](const ConfigKey &key, const QJsonValue &value, const QJsonValue &stored,
              const QStringList &segments) {
              const QString path = ConfigKeys::displayPath(segments);
              if (!key.secret) {
                  // A URL whose password was posted masked: the rest of it must not move.
                  if (value.isString() &&
                      ConfigKeys::urlPassword(value.toString()) == QLatin1String(kPlaceholder) &&
                      ConfigKeys::urlWithoutPassword(value.toString()) !=
                          ConfigKeys::urlWithoutPassword(stored.toString()))
                      problems << moved(path + QStringLiteral(" (its password)"), path);
                  return value;
              }
              // The masked ones (each variable of a map by its own name).
              QStringList masked;
              if (key.type == ConfigKey::Type::StringMap) {
                  const QJsonObject map = value.toObject();
                  const QJsonObject was = stored.toObject();
                  for (auto it = map.begin(); it != map.end(); ++it)
                      if (isMask(*it) && !was.value(it.key()).toString().isEmpty())
                          masked << path + QLatin1Char('.') + it.key();
              } else if (isMask(value) && !stored.toString().isEmpty()) {
                  masked << path;
              }
              if (masked.isEmpty())
                  return value;
              for (const QString &address : key.sentTo) {
                  if (addressText(addressValue(incoming, address, segments)) !=
                      addressText(addressValue(current, address, segments))) {
                      QStringList named = address.split(QLatin1Char('.'));
                      for (int i = 0; i < named.size() && i < segments.size(); ++i)
                          if (named.at(i) == QLatin1String("*"))
                              named[i] = segments.at(i);
                      for (const QString &secret : std::as_const(masked))
                          problems << moved(secret, named.join(QLatin1Char('.')));
                      break;
                  }
              }
              return value;
          });
    return problems;
}

QJsonObject acceptFromClient(const QJsonObject &incoming, const QJsonObject &current,
                             QStringList *problems)
{
    *problems = secretsSentElsewhere(incoming, current);
    return problems->isEmpty() ? restore(incoming, current) : QJsonObject();
}

QStringList secretValues(const QJsonObject &config)
{
    QStringList values;
    const auto collect = [&values](const QString &text) {
        // Short values (a port-like number, "x") would scrub ordinary words out of every line.
        if (text.size() >= 6)
            values << text;
    };
    apply(config, QJsonObject(),
          [&](const ConfigKey &key, const QJsonValue &value, const QJsonValue &,
              const QStringList &) {
              if (!key.secret) {
                  collect(ConfigKeys::urlPassword(value.toString()));
                  return value;
              }
              eachSecretString(key, value, QJsonValue(),
                               [&](const QJsonValue &text, const QJsonValue &) {
                                   collect(text.toString());
                                   return text;
                               });
              return value;
          });
    return values;
}

} // namespace SecretRedactor
