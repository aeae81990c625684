#include "secretredactor.h"

#include <QJsonArray>
#include <functional>

namespace SecretRedactor {

namespace {

// Path patterns: "*" walks every key of an object, a trailing "[]" walks an array.
const QList<QStringList> &secretPatterns()
{
    static const QList<QStringList> patterns = {
        {"gateway", "token"},
        {"models", "providers", "*", "api_key"},
        {"models", "providers", "*", "oauth", "client_secret"},
        {"channels", "telegram", "token"},
        {"channels", "feishu", "app_secret"},
        {"channels", "feishu", "encrypt_key"},
        {"channels", "feishu", "verification_token"},
        {"channels", "weixin", "bot_token"},
        {"channels", "weixin", "context_token"},
        {"channels", "weixin", "accounts[]", "bot_token"},
        {"channels", "weixin", "accounts[]", "context_token"},
        {"tools", "web", "search", "api_key"},
        {"tools", "mcp", "servers", "*", "env", "*"},
    };
    return patterns;
}

using Visitor = std::function<QJsonValue(const QJsonValue &value, const QJsonValue &counterpart)>;

QJsonValue walk(const QJsonValue &node, const QJsonValue &counterpart, const QStringList &pattern,
                int index, const Visitor &visit)
{
    if (index == pattern.size())
        return visit(node, counterpart);
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
        if (!isArray) {
            object.insert(key, walk(child, otherChild, pattern, index + 1, visit));
            return;
        }
        if (!child.isArray())
            return;
        QJsonArray items = child.toArray();
        const QJsonArray otherItems = otherChild.toArray();
        for (int i = 0; i < items.size(); ++i) {
            // Array entries (Weixin accounts) are matched by bot_id, then by position.
            QJsonValue match = i < otherItems.size() ? otherItems.at(i) : QJsonValue();
            const QString botId = items.at(i).toObject().value("bot_id").toString();
            if (!botId.isEmpty()) {
                for (const QJsonValue &candidate : otherItems)
                    if (candidate.toObject().value("bot_id").toString() == botId)
                        match = candidate;
            }
            items[i] = walk(items.at(i), match, pattern, index + 1, visit);
        }
        object.insert(key, items);
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

QJsonObject apply(const QJsonObject &config, const QJsonObject &counterpart, const Visitor &visit)
{
    QJsonValue result = config;
    for (const QStringList &pattern : secretPatterns())
        result = walk(result, counterpart, pattern, 0, visit);
    return result.toObject();
}

} // namespace

QJsonObject redact(const QJsonObject &config)
{
    return apply(config, QJsonObject(), [](const QJsonValue &value, const QJsonValue &) {
        if (value.isString() && !value.toString().isEmpty())
            return QJsonValue(QLatin1String(kPlaceholder));
        return value;
    });
}

QJsonObject restore(const QJsonObject &incoming, const QJsonObject &current)
{
    return apply(incoming, current, [](const QJsonValue &value, const QJsonValue &stored) {
        if (value.toString() == QLatin1String(kPlaceholder))
            return stored.isString() ? stored : QJsonValue(QString());
        return value;
    });
}

QStringList secretValues(const QJsonObject &config)
{
    QStringList values;
    apply(config, QJsonObject(), [&values](const QJsonValue &value, const QJsonValue &) {
        if (value.isString() && value.toString().size() >= 6)
            values << value.toString();
        return value;
    });
    return values;
}

} // namespace SecretRedactor
