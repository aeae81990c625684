#include "normalizedconfig.h"

#include "configkeys.h"
#include "jsonutil.h"

#include <QJsonArray>

namespace NormalizedConfig {

namespace {

void insertIfSet(QJsonObject &object, const char *key, const QJsonValue &value)
{
    const bool empty =
        value.isUndefined() || value.isNull() || (value.isString() && value.toString().isEmpty()) ||
        (value.isDouble() && value.toDouble() == 0) || (value.isBool() && !value.toBool()) ||
        (value.isArray() && value.toArray().isEmpty()) ||
        (value.isObject() && value.toObject().isEmpty());
    if (!empty)
        object.insert(QLatin1String(key), value);
}

} // namespace

QJsonObject fromRaw(const QJsonObject &raw)
{
    QJsonObject core;
    const QString primary =
        ConfigKeys::string(raw, QStringLiteral("agents.defaults.model.primary"));
    const QJsonObject providers =
        ConfigKeys::value(raw, QStringLiteral("models.providers")).toObject();
    const qsizetype slash = primary.indexOf(QLatin1Char('/'));
    if (slash > 0) {
        insertIfSet(core, "default_provider", primary.left(slash).trimmed());
        insertIfSet(core, "default_model", primary.mid(slash + 1).trimmed());
    } else if (!primary.isEmpty()) {
        // Deterministic, unlike the reference: the first provider key in sorted order.
        insertIfSet(core, "default_provider",
                    providers.isEmpty() ? QStringLiteral("openai") : providers.begin().key());
        insertIfSet(core, "default_model", primary);
    }
    const QJsonObject router = ConfigKeys::value(raw, QStringLiteral("agents.router")).toObject();
    insertIfSet(core, "main_agent_id",
                ConfigKeys::string(raw, QStringLiteral("agents.router.main_agent_id")));

    QJsonObject subagents;
    const QJsonObject rawSubagents =
        ConfigKeys::value(raw, QStringLiteral("agents.subagents")).toObject();
    for (auto it = rawSubagents.begin(); it != rawSubagents.end(); ++it) {
        const QJsonObject agent = it.value().toObject();
        const QJsonObject runtime = agent.value("runtime").toObject();
        QJsonObject view;
        view.insert("enabled", agent.value("enabled").toBool());
        insertIfSet(view, "role", agent.value("role"));
        insertIfSet(view, "prompt", agent.value("system_prompt_file"));
        insertIfSet(view, "provider", runtime.value("provider"));
        insertIfSet(view, "tool_allowlist", agent.value("tools").toObject().value("allowlist"));
        QString runtimeClass = QStringLiteral("default");
        if (!runtime.value("provider").toString().trimmed().isEmpty())
            runtimeClass = QStringLiteral("provider_bound");
        else if (!agent.value("transport").toString().trimmed().isEmpty())
            runtimeClass = agent.value("transport").toString().trimmed();
        view.insert("runtime_class", runtimeClass);
        subagents.insert(it.key(), view);
    }
    insertIfSet(core, "subagents", subagents);
    core.insert(
        "tools",
        QJsonObject{{"shell_enabled", ConfigKeys::flag(raw, QStringLiteral("tools.shell.enabled"))},
                    {"mcp_enabled", ConfigKeys::flag(raw, QStringLiteral("tools.mcp.enabled"))}});
    QJsonObject gateway;
    insertIfSet(gateway, "host", ConfigKeys::value(raw, QStringLiteral("gateway.host")));
    insertIfSet(gateway, "port", ConfigKeys::value(raw, QStringLiteral("gateway.port")));
    core.insert("gateway", gateway);

    QJsonObject routerView;
    routerView.insert("enabled", router.value("enabled").toBool());
    for (const char *key : {"strategy", "allow_direct_agent_chat", "max_hops",
                            "default_timeout_sec", "sticky_thread_owner", "rules"})
        insertIfSet(routerView, key, router.value(QLatin1String(key)));

    QJsonObject providersView;
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        QJsonObject provider = it.value().toObject();
        // The view never carries keys or model lists.
        provider.remove("api_key");
        provider.remove("models");
        provider.remove("supports_responses_compact");
        QJsonObject view;
        for (auto field = provider.begin(); field != provider.end(); ++field) {
            if (field.key() == QLatin1String("oauth") || field.key() == QLatin1String("responses"))
                view.insert(field.key(), field.value());
            else
                insertIfSet(view, field.key().toUtf8().constData(), field.value());
        }
        providersView.insert(it.key(), view);
    }
    QJsonObject runtime;
    runtime.insert("router", routerView);
    insertIfSet(runtime, "providers", providersView);
    return QJsonObject{{"core", core}, {"runtime", runtime}};
}

QJsonObject applyToRaw(const QJsonObject &rawIn, const QJsonObject &view)
{
    QJsonObject raw = rawIn;
    const QJsonObject core = view.value("core").toObject();
    const QJsonObject runtime = view.value("runtime").toObject();
    const QString defaultProvider = core.value("default_provider").toString().trimmed();
    const QString defaultModel = core.value("default_model").toString().trimmed();
    if (!defaultProvider.isEmpty() && !defaultModel.isEmpty())
        JsonUtil::setValueAt(raw, QStringLiteral("agents.defaults.model.primary"),
                             QString(defaultProvider + QLatin1Char('/') + defaultModel));
    const QString mainAgent = core.value("main_agent_id").toString().trimmed();
    if (!mainAgent.isEmpty())
        JsonUtil::setValueAt(raw, QStringLiteral("agents.router.main_agent_id"), mainAgent);
    const QJsonObject gateway = core.value("gateway").toObject();
    if (!gateway.value("host").toString().trimmed().isEmpty())
        JsonUtil::setValueAt(raw, QStringLiteral("gateway.host"),
                             gateway.value("host").toString().trimmed());
    if (gateway.value("port").toInt() > 0)
        JsonUtil::setValueAt(raw, QStringLiteral("gateway.port"), gateway.value("port").toInt());
    const QJsonObject tools = core.value("tools").toObject();
    // As in the reference, the two tool switches are always written (absent means false).
    JsonUtil::setValueAt(raw, QStringLiteral("tools.shell.enabled"),
                         tools.value("shell_enabled").toBool());
    JsonUtil::setValueAt(raw, QStringLiteral("tools.mcp.enabled"),
                         tools.value("mcp_enabled").toBool());

    QJsonObject subagents = JsonUtil::valueAt(raw, QStringLiteral("agents.subagents")).toObject();
    const QJsonObject subView = core.value("subagents").toObject();
    for (auto it = subView.begin(); it != subView.end(); ++it) {
        const QJsonObject v = it.value().toObject();
        QJsonObject agent = subagents.value(it.key()).toObject();
        agent.insert("enabled", v.value("enabled").toBool());
        agent.insert("role", v.value("role").toString().trimmed());
        agent.insert("system_prompt_file", v.value("prompt").toString().trimmed());
        QJsonObject agentTools = agent.value("tools").toObject();
        agentTools.insert("allowlist", v.value("tool_allowlist").toArray());
        agent.insert("tools", agentTools);
        QJsonObject agentRuntime = agent.value("runtime").toObject();
        agentRuntime.insert("provider", v.value("provider").toString().trimmed());
        agent.insert("runtime", agentRuntime);
        const QString runtimeClass = v.value("runtime_class").toString().trimmed();
        if (runtimeClass == QLatin1String("provider_bound")) {
            if (agent.value("transport").toString().trimmed().isEmpty())
                agent.insert("transport", QStringLiteral("local"));
        } else if (!runtimeClass.isEmpty() && runtimeClass != QLatin1String("default")) {
            agent.insert("transport", runtimeClass);
        }
        subagents.insert(it.key(), agent);
    }
    JsonUtil::setValueAt(raw, QStringLiteral("agents.subagents"), subagents);

    const QJsonObject routerView = runtime.value("router").toObject();
    QJsonObject router = JsonUtil::valueAt(raw, QStringLiteral("agents.router")).toObject();
    router.insert("enabled", routerView.value("enabled").toBool());
    router.insert("allow_direct_agent_chat", routerView.value("allow_direct_agent_chat").toBool());
    router.insert("sticky_thread_owner", routerView.value("sticky_thread_owner").toBool());
    router.insert("rules", routerView.value("rules").toArray());
    if (!routerView.value("strategy").toString().trimmed().isEmpty())
        router.insert("strategy", routerView.value("strategy").toString().trimmed());
    if (routerView.value("max_hops").toInt() > 0)
        router.insert("max_hops", routerView.value("max_hops").toInt());
    if (routerView.value("default_timeout_sec").toInt() > 0)
        router.insert("default_timeout_sec", routerView.value("default_timeout_sec").toInt());
    JsonUtil::setValueAt(raw, QStringLiteral("agents.router"), router);

    QJsonObject providers = JsonUtil::valueAt(raw, QStringLiteral("models.providers")).toObject();
    const QJsonObject providersView = runtime.value("providers").toObject();
    for (auto it = providersView.begin(); it != providersView.end(); ++it) {
        const QJsonObject v = it.value().toObject();
        QJsonObject provider = providers.value(it.key()).toObject();
        provider.insert("auth", v.value("auth").toString().trimmed());
        provider.insert("api_base", v.value("api_base").toString().trimmed());
        // Zero is "unset" for both (clawgo omits them then): a zero is written only over a
        // value the entry had, so a round trip adds nothing.
        const auto setNumber = [&](const char *key, double value) {
            if (value != 0 || provider.contains(QLatin1String(key)))
                provider.insert(QLatin1String(key), value);
        };
        if (v.value("max_tokens").toDouble() >= 0)
            setNumber("max_tokens", v.value("max_tokens").toInt());
        setNumber("temperature", v.value("temperature").toDouble());
        if (v.value("timeout_sec").toInt() > 0)
            provider.insert("timeout_sec", v.value("timeout_sec").toInt());
        for (const char *key : {"oauth", "runtime_persist", "runtime_history_file",
                                "runtime_history_max", "responses"}) {
            if (v.contains(QLatin1String(key)))
                provider.insert(QLatin1String(key), v.value(QLatin1String(key)));
            else
                provider.remove(QLatin1String(key));
        }
        if (!provider.contains("oauth"))
            provider.insert("oauth", QJsonObject());
        providers.insert(it.key(), provider);
    }
    JsonUtil::setValueAt(raw, QStringLiteral("models.providers"), providers);
    return raw;
}

} // namespace NormalizedConfig
