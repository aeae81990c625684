#include "secretredactor.h"

#include <QJsonArray>
#include <QJsonDocument>
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

namespace {

bool isMask(const QJsonValue &value)
{
    return value.toString() == QLatin1String(kPlaceholder);
}

QString addressOf(const QJsonObject &object, const QStringList &keys)
{
    QStringList parts;
    for (const QString &key : keys) {
        QJsonValue value = object;
        for (const QString &step : key.split(QLatin1Char('.')))
            value = value.toObject().value(step);
        parts << (value.isString()
                      ? value.toString().trimmed()
                      : QString::fromUtf8(
                            QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)));
    }
    QString joined = parts.join(QLatin1Char('\n'));
    while (joined.endsWith(QLatin1Char('/')))
        joined.chop(1);
    return joined;
}

QString moved(const QString &secretPath, const QString &address)
{
    return QStringLiteral("%1: enter it again: %2 changed, and a masked secret is never sent to a "
                          "new address")
        .arg(secretPath, address);
}

} // namespace

QStringList secretsSentElsewhere(const QJsonObject &incoming, const QJsonObject &current)
{
    QStringList problems;
    const auto section = [](const QJsonObject &config, const QStringList &path) {
        QJsonValue value = config;
        for (const QString &step : path)
            value = value.toObject().value(step);
        return value.toObject();
    };
    // Providers: the key and the OAuth client secret go to the provider's addresses.
    const QJsonObject providers = section(incoming, {"models", "providers"});
    const QJsonObject currentProviders = section(current, {"models", "providers"});
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QJsonObject provider = it->toObject();
        if (!currentProviders.contains(it.key()))
            continue;
        const QJsonObject before = currentProviders.value(it.key()).toObject();
        const QString base = QStringLiteral("models.providers.%1.").arg(it.key());
        const QStringList addresses{QStringLiteral("api_base"), QStringLiteral("oauth.token_url"),
                                    QStringLiteral("network_proxy")};
        if (addressOf(provider, addresses) == addressOf(before, addresses))
            continue;
        if (isMask(provider.value("api_key")))
            problems << moved(base + QStringLiteral("api_key"), base + QStringLiteral("api_base"));
        if (isMask(provider.value("oauth").toObject().value("client_secret")))
            problems << moved(base + QStringLiteral("oauth.client_secret"),
                              base + QStringLiteral("api_base"));
    }
    // Weixin: every bot token goes to base_url.
    const QJsonObject weixin = section(incoming, {"channels", "weixin"});
    const QJsonObject currentWeixin = section(current, {"channels", "weixin"});
    if (addressOf(weixin, {"base_url"}) != addressOf(currentWeixin, {"base_url"})) {
        if (isMask(weixin.value("bot_token")))
            problems << moved(QStringLiteral("channels.weixin.bot_token"),
                              QStringLiteral("channels.weixin.base_url"));
        for (const QJsonValue &account : weixin.value("accounts").toArray())
            if (isMask(account.toObject().value("bot_token")))
                problems << moved(QStringLiteral("channels.weixin.accounts[%1].bot_token")
                                      .arg(account.toObject().value("bot_id").toString()),
                                  QStringLiteral("channels.weixin.base_url"));
    }
    // Telegram and Feishu: their secrets go to their API.
    const struct
    {
        const char *channel;
        const char *secret;
        QStringList addresses;
    } channels[] = {{"telegram", "token", {"api_base", "proxy"}},
                    {"feishu", "app_secret", {"base_url", "domain"}}};
    for (const auto &channel : channels) {
        const QJsonObject now = section(incoming, {"channels", QLatin1String(channel.channel)});
        const QJsonObject then = section(current, {"channels", QLatin1String(channel.channel)});
        if (isMask(now.value(QLatin1String(channel.secret))) &&
            addressOf(now, channel.addresses) != addressOf(then, channel.addresses))
            problems << moved(
                QStringLiteral("channels.%1.%2")
                    .arg(QLatin1String(channel.channel), QLatin1String(channel.secret)),
                QStringLiteral("channels.%1.%2")
                    .arg(QLatin1String(channel.channel), channel.addresses.first()));
    }
    // MCP servers: their environment goes to the program they start or the URL they reach.
    const QJsonObject servers = section(incoming, {"tools", "mcp", "servers"});
    const QJsonObject currentServers = section(current, {"tools", "mcp", "servers"});
    for (auto it = servers.begin(); it != servers.end(); ++it) {
        const QJsonObject server = it->toObject();
        const QJsonObject before = currentServers.value(it.key()).toObject();
        const QStringList addresses{QStringLiteral("command"), QStringLiteral("args"),
                                    QStringLiteral("url")};
        if (!currentServers.contains(it.key()) ||
            addressOf(server, addresses) == addressOf(before, addresses))
            continue;
        const QJsonObject env = server.value("env").toObject();
        for (auto var = env.begin(); var != env.end(); ++var)
            if (isMask(*var))
                problems << moved(
                    QStringLiteral("tools.mcp.servers.%1.env.%2").arg(it.key(), var.key()),
                    QStringLiteral("tools.mcp.servers.%1.command").arg(it.key()));
    }
    return problems;
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
