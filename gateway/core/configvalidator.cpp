#include "configvalidator.h"

#include "configkeys.h"
#include "hostnames.h"
#include "jsonutil.h"

#include <cmath>

#include <QDir>
#include <QHostAddress>
#include <QJsonArray>
#include <QUrl>

namespace {

bool isOneOf(const QString &value, std::initializer_list<const char *> allowed)
{
    for (const char *candidate : allowed)
        if (value == QLatin1String(candidate))
            return true;
    return false;
}

// Provider alias normalisation (spec/config.md §1.3).
QString canonicalProvider(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    static const QList<QPair<QStringList, QString>> aliases = {
        {{"geminicli", "gemini_cli"}, "gemini-cli"},
        {{"aistudio", "ai-studio", "ai_studio", "google-ai-studio", "google_ai_studio",
          "googleaistudio"},
         "aistudio"},
        {{"google", "gemini-api-key", "gemini_api_key"}, "gemini"},
        {{"anthropic", "claude-code", "claude_code", "claude-api-key", "claude_api_key"}, "claude"},
        {{"openai-compatibility", "openai_compatibility", "openai-compat", "openai_compat"},
         "openai-compatibility"},
        {{"vertex-api-key", "vertex_api_key", "vertex-compat", "vertex_compat",
          "vertex-compatibility", "vertex_compatibility"},
         "vertex"},
        {{"codex-api-key", "codex_api_key"}, "codex"},
        {{"i-flow", "i_flow"}, "iflow"},
    };
    for (const auto &alias : aliases)
        if (alias.first.contains(lower))
            return alias.second;
    return name.trimmed();
}

// Looks a provider up by its key or by any key whose alias resolves to the same name, so an
// `anthropic` key and a `claude/x` primary find each other (the reference's lookup is one-way).
bool hasProvider(const QJsonObject &providers, const QString &name)
{
    if (providers.contains(name.trimmed()))
        return true;
    const QString canonical = canonicalProvider(name);
    for (auto it = providers.begin(); it != providers.end(); ++it)
        if (canonicalProvider(it.key()) == canonical)
            return true;
    return false;
}

} // namespace

QStringList ConfigValidator::validate(const QJsonObject &config)
{
    // Types, ranges and choices come from the key table; values of the wrong type would only
    // produce confusing follow-ups below.
    QStringList errors = ConfigKeys::typeErrors(config);
    const QJsonObject providers =
        ConfigKeys::value(config, QStringLiteral("models.providers")).toObject();
    if (!errors.isEmpty())
        return errors; // values of the wrong type would only produce confusing follow-ups
    errors << ConfigKeys::rangeErrors(config);

    auto at = [&](const char *path) { return ConfigKeys::value(config, QLatin1String(path)); };
    auto num = [&](const char *path) { return at(path).toDouble(); };
    auto str = [&](const char *path) { return at(path).toString(); };
    auto flag = [&](const char *path) { return at(path).toBool(); };

    // Defaults and execution.
    if (num("agents.defaults.max_tool_iterations") <= 0)
        errors << QStringLiteral("agents.defaults.max_tool_iterations must be > 0");
    if (num("agents.defaults.execution.run_state_ttl_seconds") < 60)
        errors << QStringLiteral("agents.defaults.execution.run_state_ttl_seconds must be >= 60");
    if (num("agents.defaults.execution.run_state_max") <= 0)
        errors << QStringLiteral("agents.defaults.execution.run_state_max must be > 0");
    const QJsonArray safeNames = at("agents.defaults.execution.tool_parallel_safe_names").toArray();
    for (int i = 0; i < safeNames.size(); ++i)
        if (safeNames.at(i).toString().trimmed().isEmpty())
            errors
                << QStringLiteral(
                       "agents.defaults.execution.tool_parallel_safe_names[%1] must not be empty")
                       .arg(i);
    if (num("agents.defaults.execution.tool_max_parallel_calls") <= 0)
        errors << QStringLiteral("agents.defaults.execution.tool_max_parallel_calls must be > 0");
    for (const char *field : {"marker", "completed_prefix", "changes_prefix", "outcome_prefix",
                              "completed_title", "changes_title", "outcomes_title"}) {
        const QString path =
            QStringLiteral("agents.defaults.summary_policy.") + QLatin1String(field);
        if (ConfigKeys::string(config, path).isEmpty())
            errors << path + QStringLiteral(" must be non-empty");
    }
    if (flag("agents.defaults.heartbeat.enabled")) {
        if (num("agents.defaults.heartbeat.every_sec") <= 0)
            errors << QStringLiteral(
                "agents.defaults.heartbeat.every_sec must be > 0 when enabled=true");
        if (num("agents.defaults.heartbeat.ack_max_chars") <= 0)
            errors << QStringLiteral(
                "agents.defaults.heartbeat.ack_max_chars must be > 0 when enabled=true");
    }

    // Context compaction.
    if (flag("agents.defaults.context_compaction.enabled")) {
        const QString cc = QStringLiteral("agents.defaults.context_compaction.");
        const QString mode = str("agents.defaults.context_compaction.mode");
        if (!mode.isEmpty() && !isOneOf(mode, {"summary", "responses_compact", "hybrid"}))
            errors << cc + "mode must be one of: summary, responses_compact, hybrid";
        const double trigger = num("agents.defaults.context_compaction.trigger_messages");
        const double keep = num("agents.defaults.context_compaction.keep_recent_messages");
        const double ratio = num("agents.defaults.context_compaction.target_ratio");
        const double pressure = num("agents.defaults.context_compaction.pressure_threshold");
        if (trigger <= 0)
            errors << cc + "trigger_messages must be > 0 when enabled=true";
        if (keep <= 0)
            errors << cc + "keep_recent_messages must be > 0 when enabled=true";
        if (ratio <= 0 || ratio >= 1)
            errors << cc + "target_ratio must be > 0 and < 1 when enabled=true";
        if (num("agents.defaults.context_compaction.protect_last_n") <= 0)
            errors << cc + "protect_last_n must be > 0 when enabled=true";
        if (pressure <= 0 || pressure > 1)
            errors << cc + "pressure_threshold must be > 0 and <= 1 when enabled=true";
        if (trigger > 0 && keep >= trigger)
            errors << cc + "keep_recent_messages must be < trigger_messages";
        if (num("agents.defaults.context_compaction.max_summary_chars") <= 0)
            errors << cc + "max_summary_chars must be > 0 when enabled=true";
        if (num("agents.defaults.context_compaction.max_transcript_chars") <= 0)
            errors << cc + "max_transcript_chars must be > 0 when enabled=true";
    }

    // Providers.
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QString p = QStringLiteral("models.providers.") + it.key();
        const QJsonObject provider = it.value().toObject();
        const QString auth = provider.value("auth").toString().trimmed().toLower();
        const QJsonObject oauth = provider.value("oauth").toObject();
        const QJsonObject responses = provider.value("responses").toObject();
        const bool oauthProviderBlank = oauth.value("provider").toString().trimmed().isEmpty();
        if (provider.value("api_base").toString().isEmpty())
            errors << p + ".api_base is required";
        if (provider.value("timeout_sec").toDouble() <= 0)
            errors << p + ".timeout_sec must be > 0";
        if (provider.value("max_tokens").toDouble() < 0)
            errors << p + ".max_tokens must be >= 0";
        if (!isOneOf(auth, {"", "bearer", "oauth", "none", "hybrid"}))
            errors << p + ".auth must be one of: bearer, oauth, hybrid, none";
        if (provider.value("models").toArray().isEmpty() && auth != "oauth" && auth != "hybrid")
            errors << p + ".models must contain at least one model";
        if (auth == "oauth" && oauthProviderBlank)
            errors << p + ".oauth.provider is required when auth=oauth";
        if (auth == "hybrid") {
            if (provider.value("api_key").toString().trimmed().isEmpty() && oauthProviderBlank)
                errors << p + ".hybrid auth requires api_key or oauth.provider";
            if (oauthProviderBlank)
                errors << p + ".oauth.provider is required when auth=hybrid";
        }
        if (oauth.value("cooldown_sec").toDouble() < 0)
            errors << p + ".oauth.cooldown_sec must be >= 0";
        const QString api = responses.value("api").toString();
        if (!api.isEmpty() && !isOneOf(api.trimmed(), {"responses", "chat_completions"}))
            errors << p + ".responses.api must be one of: responses, chat_completions";
        const QString contextSize = responses.value("web_search_context_size").toString();
        if (!contextSize.isEmpty() && !isOneOf(contextSize, {"low", "medium", "high"}))
            errors << p + ".responses.web_search_context_size must be one of: low, medium, high";
        if (responses.value("file_search_max_num_results").toDouble() < 0)
            errors << p + ".responses.file_search_max_num_results must be >= 0";
        for (const char *list : {"file_search_vector_store_ids", "include"}) {
            const QJsonArray items = responses.value(QLatin1String(list)).toArray();
            for (int i = 0; i < items.size(); ++i)
                if (items.at(i).toString().trimmed().isEmpty())
                    errors << QStringLiteral("%1.responses.%2[%3] must not be empty")
                                  .arg(p, QLatin1String(list))
                                  .arg(i);
        }
    }
    if (providers.isEmpty())
        errors << QStringLiteral("models.providers must contain at least one provider");
    const QString primary = str("agents.defaults.model.primary").trimmed();
    if (!primary.isEmpty()) {
        const qsizetype slash = primary.indexOf(QLatin1Char('/'));
        QString providerName;
        QString model;
        if (slash > 0) {
            providerName = primary.left(slash);
            model = primary.mid(slash + 1).trimmed();
        } else {
            providerName = providers.isEmpty() ? QStringLiteral("openai") : providers.begin().key();
            model = primary;
        }
        if (!hasProvider(providers, providerName))
            errors << QStringLiteral(
                          "agents.defaults.model.primary \"%1\" references unknown provider \"%2\"")
                          .arg(primary, canonicalProvider(providerName));
        else if (model.isEmpty())
            errors << QStringLiteral(
                "agents.defaults.model.primary must include a model, expected provider/model");
    }

    // Router and communication.
    if (num("agents.router.policy.intent_max_input_chars") < 200)
        errors << QStringLiteral("agents.router.policy.intent_max_input_chars must be >= 200");
    if (num("agents.router.policy.max_rounds_without_user") <= 0)
        errors << QStringLiteral("agents.router.policy.max_rounds_without_user must be > 0");
    const QString strategy = str("agents.router.strategy").trimmed();
    if (!strategy.isEmpty() && !isOneOf(strategy, {"rules_first", "round_robin", "manual"}))
        errors << QStringLiteral(
            "agents.router.strategy must be one of: rules_first, round_robin, manual");
    if (num("agents.router.max_hops") < 0)
        errors << QStringLiteral("agents.router.max_hops must be >= 0");
    if (num("agents.router.default_timeout_sec") < 0)
        errors << QStringLiteral("agents.router.default_timeout_sec must be >= 0");
    const QJsonObject subagents = at("agents.subagents").toObject();
    const QJsonArray rules = at("agents.router.rules").toArray();
    for (int i = 0; i < rules.size(); ++i) {
        const QJsonObject rule = rules.at(i).toObject();
        const QString prefix = QStringLiteral("agents.router.rules[%1].").arg(i);
        const QString agentId = rule.value("agent_id").toString().trimmed();
        if (agentId.isEmpty()) {
            errors << prefix + "agent_id is required";
            continue;
        }
        if (!subagents.contains(agentId))
            errors << prefix + QStringLiteral("agent_id \"%1\" not found in agents.subagents")
                                   .arg(agentId);
        const QJsonArray keywords = rule.value("keywords").toArray();
        if (keywords.isEmpty())
            errors << prefix + "keywords must not be empty";
        for (const QJsonValue &keyword : keywords)
            if (keyword.toString().trimmed().isEmpty()) {
                errors << prefix + "keywords must not contain empty values";
                break;
            }
    }
    const QString commMode = str("agents.communication.mode").trimmed();
    if (!commMode.isEmpty() && !isOneOf(commMode, {"mediated", "direct"}))
        errors << QStringLiteral("agents.communication.mode must be one of: mediated, direct");
    if (num("agents.communication.max_messages_per_thread") < 0)
        errors << QStringLiteral("agents.communication.max_messages_per_thread must be >= 0");
    if (num("agents.communication.default_message_ttl_sec") < 0)
        errors << QStringLiteral("agents.communication.default_message_ttl_sec must be >= 0");

    // Subagents.
    if (!subagents.isEmpty()) {
        const QString mainId = str("agents.router.main_agent_id").trimmed();
        if (flag("agents.router.enabled") && !subagents.contains(mainId))
            errors << QStringLiteral(
                          "agents.router.main_agent_id \"%1\" not found in agents.subagents")
                          .arg(mainId);
        for (auto it = subagents.begin(); it != subagents.end(); ++it) {
            const QString id = it.key().trimmed();
            if (id.isEmpty()) {
                errors << QStringLiteral("agents.subagents contains an empty agent id");
                continue;
            }
            const QString s = QStringLiteral("agents.subagents.") + id;
            const QJsonObject agent = it.value().toObject();
            const QString type = agent.value("type").toString().trimmed();
            if (!type.isEmpty() && !isOneOf(type, {"router", "worker", "reviewer", "observer"}))
                errors << s + ".type must be one of: router, worker, reviewer, observer";
            const QString transport = agent.value("transport").toString().trimmed();
            if (!transport.isEmpty() && transport != QLatin1String("local"))
                errors << s + ".transport must be one of: local";
            const QString policy = agent.value("notify_main_policy").toString().trimmed();
            if (!policy.isEmpty() && !isOneOf(policy, {"final_only", "milestone", "on_blocked",
                                                       "always", "internal_only"}))
                errors << s + ".notify_main_policy must be one of: final_only, milestone, "
                              "on_blocked, always, internal_only";
            const QJsonObject runtime = agent.value("runtime").toObject();
            for (const char *field :
                 {"timeout_sec", "max_retries", "retry_backoff_ms", "max_task_chars",
                  "max_result_chars", "max_parallel_runs", "max_tool_iterations"})
                if (runtime.value(QLatin1String(field)).toDouble() < 0)
                    errors << s + ".runtime." + QLatin1String(field) + " must be >= 0";
            if (agent.value("tools").toObject().value("max_parallel_calls").toDouble() < 0)
                errors << s + ".tools.max_parallel_calls must be >= 0";
            const QString prompt = agent.value("system_prompt_file").toString().trimmed();
            if (agent.value("enabled").toBool() && prompt.isEmpty())
                errors << s + ".system_prompt_file is required when enabled=true";
            if (!prompt.isEmpty()) {
                if (QDir::isAbsolutePath(prompt))
                    errors << s + ".system_prompt_file must be relative";
                else if (QDir::cleanPath(prompt).startsWith(QLatin1String("..")))
                    errors << s + ".system_prompt_file must stay within workspace";
            }
            const QString runtimeProvider = runtime.value("provider").toString().trimmed();
            if (!runtimeProvider.isEmpty() && !hasProvider(providers, runtimeProvider))
                errors << s + QStringLiteral(".runtime.provider \"%1\" not found in providers")
                                  .arg(runtimeProvider);
            for (const QJsonValue &from : agent.value("accept_from").toArray()) {
                const QString name = from.toString().trimmed();
                if (name.isEmpty())
                    errors << s + ".accept_from must not contain empty values";
                else if (name != QLatin1String("user") && name != id && !subagents.contains(name))
                    errors << s + QStringLiteral(".accept_from references unknown agent \"%1\"")
                                      .arg(name);
            }
            for (const QJsonValue &to : agent.value("can_talk_to").toArray()) {
                const QString name = to.toString().trimmed();
                if (name.isEmpty())
                    errors << s + ".can_talk_to must not contain empty values";
                else if (name != QLatin1String("user") && !subagents.contains(name))
                    errors << s + QStringLiteral(".can_talk_to references unknown agent \"%1\"")
                                      .arg(name);
            }
            if (id == mainId && agent.value("requires_main_mediation").toBool())
                errors << s + ".requires_main_mediation must be false for main agent";
        }
        for (auto it = subagents.begin(); it != subagents.end(); ++it) {
            const QString id = it.key().trimmed();
            const QJsonObject agent = it.value().toObject();
            const QJsonArray accepts = agent.value("accept_from").toArray();
            for (const QJsonValue &to : agent.value("can_talk_to").toArray()) {
                const QString target = to.toString().trimmed();
                if (target.isEmpty() || target == QLatin1String("user") ||
                    !subagents.contains(target))
                    continue;
                const QJsonArray targetAccepts =
                    subagents.value(target).toObject().value("accept_from").toArray();
                if (!accepts.contains(QJsonValue(target)) &&
                    !targetAccepts.contains(QJsonValue(id)))
                    errors << QStringLiteral("agents.subagents.%1.can_talk_to \"%2\" is not "
                                             "reciprocated by accept_from")
                                  .arg(id, target);
            }
        }
    }

    // Gateway, cron, logging, sentinel, memory, MCP, channels.
    // gateway.port's range (rule 51) is the key table's.
    // DESIGN.md decision 1: an open API on the network would hand out a shell-capable agent.
    if (str("gateway.token").trimmed().isEmpty() && !Hostnames::isLoopback(str("gateway.host")))
        errors << QStringLiteral("gateway.token must not be empty when gateway.host is not a "
                                 "loopback address");
    const double minSleep = num("cron.min_sleep_sec");
    const double maxSleep = num("cron.max_sleep_sec");
    const double backoffBase = num("cron.retry_backoff_base_sec");
    const double backoffMax = num("cron.retry_backoff_max_sec");
    if (minSleep <= 0)
        errors << QStringLiteral("cron.min_sleep_sec must be > 0");
    if (maxSleep <= 0)
        errors << QStringLiteral("cron.max_sleep_sec must be > 0");
    if (minSleep > 0 && maxSleep > 0 && minSleep > maxSleep)
        errors << QStringLiteral("cron.min_sleep_sec must be <= cron.max_sleep_sec");
    if (backoffBase <= 0)
        errors << QStringLiteral("cron.retry_backoff_base_sec must be > 0");
    if (backoffMax <= 0)
        errors << QStringLiteral("cron.retry_backoff_max_sec must be > 0");
    if (backoffBase > 0 && backoffMax > 0 && backoffBase > backoffMax)
        errors << QStringLiteral(
            "cron.retry_backoff_base_sec must be <= cron.retry_backoff_max_sec");
    if (num("cron.max_consecutive_failure_retries") < 0)
        errors << QStringLiteral("cron.max_consecutive_failure_retries must be >= 0");
    if (num("cron.max_workers") <= 0)
        errors << QStringLiteral("cron.max_workers must be > 0");
    if (flag("logging.enabled")) {
        if (str("logging.dir").trimmed().isEmpty())
            errors << QStringLiteral("logging.dir is required when logging.enabled=true");
        if (str("logging.filename").trimmed().isEmpty())
            errors << QStringLiteral("logging.filename is required when logging.enabled=true");
        if (num("logging.max_size_mb") <= 0)
            errors << QStringLiteral("logging.max_size_mb must be > 0");
        if (num("logging.retention_days") <= 0)
            errors << QStringLiteral("logging.retention_days must be > 0");
    }
    if (flag("sentinel.enabled") && num("sentinel.interval_sec") <= 0)
        errors << QStringLiteral("sentinel.interval_sec must be > 0 when sentinel.enabled=true");
    const QString webhook = str("sentinel.webhook_url").trimmed();
    if (!webhook.isEmpty()) {
        const QUrl url(webhook, QUrl::StrictMode);
        if (!url.isValid() || url.host().isEmpty())
            errors << QStringLiteral("sentinel.webhook_url must be a valid http/https URL");
        else if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            errors << QStringLiteral("sentinel.webhook_url must use http or https");
    }
    if (num("memory.recent_days") <= 0)
        errors << QStringLiteral("memory.recent_days must be > 0");
    if (flag("tools.mcp.enabled")) {
        if (num("tools.mcp.request_timeout_sec") <= 0)
            errors << QStringLiteral(
                "tools.mcp.request_timeout_sec must be > 0 when tools.mcp.enabled=true");
        const QString workspace = str("agents.defaults.workspace");
        const QJsonObject servers = at("tools.mcp.servers").toObject();
        for (auto it = servers.begin(); it != servers.end(); ++it) {
            if (it.key().trimmed().isEmpty()) {
                errors << QStringLiteral("tools.mcp.servers contains an empty server name");
                continue;
            }
            const QJsonObject server = it.value().toObject();
            if (!server.value("enabled").toBool())
                continue;
            const QString n = QStringLiteral("tools.mcp.servers.") + it.key();
            QString transport = server.value("transport").toString().trimmed().toLower();
            if (transport.isEmpty())
                transport = QStringLiteral("stdio");
            if (!isOneOf(transport, {"stdio", "http", "streamable_http", "sse"}))
                errors << n + ".transport must be one of: stdio, http, streamable_http, sse";
            else if (transport == QLatin1String("stdio") &&
                     server.value("command").toString().trimmed().isEmpty())
                errors << n + ".command is required when transport=stdio";
            else if (transport != QLatin1String("stdio") &&
                     server.value("url").toString().trimmed().isEmpty())
                errors << n + ".url is required when transport=" + transport;
            QString permission = server.value("permission").toString().trimmed().toLower();
            if (permission.isEmpty())
                permission = QStringLiteral("workspace");
            if (!isOneOf(permission, {"workspace", "full"}))
                errors << n + ".permission must be one of: workspace, full";
            const QString workingDir = server.value("working_dir").toString().trimmed();
            if (transport == QLatin1String("stdio") && !workingDir.isEmpty()) {
                if (permission == QLatin1String("full") && QDir::isRelativePath(workingDir))
                    errors << n + ".working_dir must be an absolute path when permission=full";
                if (permission == QLatin1String("workspace") && QDir::isAbsolutePath(workingDir)) {
                    const QString root = QDir::cleanPath(workspace);
                    const QString dir = QDir::cleanPath(workingDir);
                    if (dir != root && !dir.startsWith(root + QLatin1Char('/')))
                        errors
                            << n + ".working_dir must stay within workspace unless permission=full";
                }
            }
        }
    }
    for (const char *field :
         {"inbound_message_id_dedupe_ttl_seconds", "inbound_content_dedupe_window_seconds",
          "outbound_dedupe_window_seconds"}) {
        const QString path = QStringLiteral("channels.") + QLatin1String(field);
        if (ConfigKeys::number(config, path) <= 0)
            errors << path + " must be > 0";
    }
    if (flag("channels.telegram.enabled") && str("channels.telegram.token").trimmed().isEmpty())
        errors << QStringLiteral(
            "channels.telegram.token is required when channels.telegram.enabled=true");
    if (flag("channels.feishu.enabled")) {
        if (str("channels.feishu.app_id").trimmed().isEmpty())
            errors << QStringLiteral(
                "channels.feishu.app_id is required when channels.feishu.enabled=true");
        if (str("channels.feishu.app_secret").trimmed().isEmpty())
            errors << QStringLiteral(
                "channels.feishu.app_secret is required when channels.feishu.enabled=true");
    }
    return errors;
}

namespace {

// An IP literal (IPv6 with or without brackets) or a DNS name: labels of letters, digits and
// '-', not starting or ending with '-', at most 63 characters, 253 in all.
bool isHostOrAddress(const QString &hostIn)
{
    QString host = hostIn;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (!QHostAddress(host).isNull())
        return true;
    if (host.isEmpty() || host.size() > 253)
        return false;
    for (const QString &label : host.split(QLatin1Char('.'))) {
        if (label.isEmpty() || label.size() > 63 || label.startsWith(QLatin1Char('-')) ||
            label.endsWith(QLatin1Char('-')))
            return false;
        for (const QChar c : label)
            if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-'))
                return false;
    }
    return true;
}

bool isWebUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty() &&
           (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"));
}

} // namespace

QStringList ConfigValidator::validateChange(const QJsonObject &before, const QJsonObject &after)
{
    QStringList errors;
    const auto changed = [&](const QString &path, QString *value) {
        *value = JsonUtil::valueAt(after, path).toString().trimmed();
        return JsonUtil::valueAt(before, path) != JsonUtil::valueAt(after, path);
    };
    QString value;
    if (changed(QStringLiteral("gateway.host"), &value) && !value.isEmpty() &&
        !isHostOrAddress(value))
        errors << QStringLiteral("gateway.host must be an IP address or a host name, such as "
                                 "127.0.0.1 or localhost");
    if (changed(QStringLiteral("agents.defaults.model.primary"), &value) && !value.isEmpty()) {
        const qsizetype slash = value.indexOf(QLatin1Char('/'));
        if (slash <= 0 || slash == value.size() - 1)
            errors << QStringLiteral("agents.defaults.model.primary must be written "
                                     "provider/model, such as openai/gpt-5.4");
    }
    const QJsonObject providers =
        JsonUtil::valueAt(after, QStringLiteral("models.providers")).toObject();
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QString path = QStringLiteral("models.providers.%1.api_base").arg(it.key());
        if (changed(path, &value) && !value.isEmpty() && !isWebUrl(value))
            errors << path + QStringLiteral(" must be an http or https URL, such as "
                                            "https://api.openai.com/v1");
    }
    return errors;
}
