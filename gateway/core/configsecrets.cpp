#include "configsecrets.h"

#include "configkeys.h"

#include <QJsonArray>

namespace ConfigSecrets {

namespace {

const QString kWeixinTokens = QStringLiteral("channels.weixin.accounts[");
const QString kWeixinTokenField = QStringLiteral("].bot_token");

// The address of concrete segments: list items by their id field (or "#<index>" without one).
QString addressOf(const QJsonObject &document, const QStringList &segments)
{
    QString address;
    QJsonValue node = document;
    for (int i = 0; i < segments.size(); ++i) {
        const ConfigKey *parent = i == 0 ? nullptr : ConfigKeys::find(segments.mid(0, i));
        if (parent && parent->type == ConfigKey::Type::ObjectList) {
            const QJsonValue item = node.toArray().at(segments.at(i).toInt());
            const QString id = parent->itemId.isEmpty()
                                   ? QString()
                                   : item.toObject().value(parent->itemId).toString().trimmed();
            address += QLatin1Char('[') + (id.isEmpty() ? QLatin1Char('#') + segments.at(i) : id) +
                       QLatin1Char(']');
            node = item;
        } else {
            address += (i == 0 ? QString() : QStringLiteral(".")) + segments.at(i);
            node = node.toObject().value(segments.at(i));
        }
    }
    return address;
}

const QList<const ConfigKey *> &keychainKeys()
{
    static const QList<const ConfigKey *> keys = [] {
        QList<const ConfigKey *> result;
        for (const ConfigKey &key : ConfigKeys::all())
            if (key.keychain)
                result << &key;
        return result;
    }();
    return keys;
}

QJsonValue setIn(const QJsonValue &node, const QStringList &segments, int at, const QString &value)
{
    if (at == segments.size())
        return value;
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        const int index = segments.at(at).toInt();
        if (index < 0 || index >= array.size())
            return node;
        array[index] = setIn(array.at(index), segments, at + 1, value);
        return array;
    }
    QJsonObject object = node.toObject();
    object.insert(segments.at(at), setIn(object.value(segments.at(at)), segments, at + 1, value));
    return object;
}

} // namespace

QHash<QString, QStringList> positions(const QJsonObject &document)
{
    QHash<QString, QStringList> found;
    for (const ConfigKey *key : keychainKeys()) {
        ConfigKeys::forEachMatch(document, *key,
                                 [&](const QStringList &segments, const QJsonValue &value) {
                                     if (key->type != ConfigKey::Type::StringMap) {
                                         if (value.isString() || value.isNull())
                                             found.insert(addressOf(document, segments), segments);
                                         return;
                                     }
                                     const QJsonObject map = value.toObject();
                                     for (auto it = map.begin(); it != map.end(); ++it) {
                                         if (!it->isString())
                                             continue;
                                         const QStringList entry = segments + QStringList{it.key()};
                                         found.insert(addressOf(document, entry), entry);
                                     }
                                 });
    }
    return found;
}

QHash<QString, QString> values(const QJsonObject &document)
{
    QHash<QString, QString> result;
    const QHash<QString, QStringList> places = positions(document);
    for (auto it = places.begin(); it != places.end(); ++it) {
        const QString value = valueAt(document, it.value());
        if (!value.isEmpty())
            result.insert(it.key(), value);
    }
    return result;
}

QString keychainKey(const QString &address)
{
    if (address.startsWith(kWeixinTokens) && address.endsWith(kWeixinTokenField)) {
        const QString botId = address.mid(
            kWeixinTokens.size(), address.size() - kWeixinTokens.size() - kWeixinTokenField.size());
        return QStringLiteral("weixin/") + botId;
    }
    return QStringLiteral("config/") + address;
}

QJsonObject withValue(const QJsonObject &document, const QStringList &segments,
                      const QString &value)
{
    return setIn(document, segments, 0, value).toObject();
}

QString valueAt(const QJsonObject &document, const QStringList &segments)
{
    QJsonValue node = document;
    for (const QString &segment : segments)
        node = node.isArray() ? node.toArray().at(segment.toInt()) : node.toObject().value(segment);
    return node.toString();
}

QStringList takeLegacyMarkers(QJsonObject *document)
{
    QJsonObject channels = document->value("channels").toObject();
    QJsonObject weixin = channels.value("weixin").toObject();
    if (!weixin.value("accounts").isArray())
        return {};
    QStringList addresses;
    QJsonArray accounts = weixin.value("accounts").toArray();
    bool changed = false;
    for (int i = 0; i < accounts.size(); ++i) {
        QJsonObject account = accounts.at(i).toObject();
        if (!account.contains("bot_token_in_keychain"))
            continue;
        const QString botId = account.value("bot_id").toString().trimmed();
        if (account.value("bot_token_in_keychain").toBool() && !botId.isEmpty() &&
            account.value("bot_token").toString().isEmpty()) {
            addresses << kWeixinTokens + botId + kWeixinTokenField;
            account.insert("bot_token", QString());
        }
        account.remove("bot_token_in_keychain");
        accounts[i] = account;
        changed = true;
    }
    if (changed) {
        weixin.insert("accounts", accounts);
        channels.insert("weixin", weixin);
        document->insert("channels", channels);
    }
    return addresses;
}

} // namespace ConfigSecrets
