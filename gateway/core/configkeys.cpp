#include "configkeys.h"

#include "jsonutil.h"
#include "logcategories.h"

#include <QHash>
#include <QJsonArray>
#include <QUrl>
#include <cmath>

namespace {

using Type = ConfigKey::Type;
using File = ConfigKey::File;
using Apply = ConfigKey::Apply;

// A row of the table, written as a chain: key("gateway.port", Type::Integer, 18790).range(...).
struct Row
{
    ConfigKey key;

    Row &secret()
    {
        key.secret = true;
        return *this;
    }
    Row &keychain()
    {
        key.secret = true;
        key.keychain = true;
        return *this;
    }
    Row &url()
    {
        key.credentialsInUrl = true;
        return *this;
    }
    Row &desktop()
    {
        key.file = File::Desktop;
        return *this;
    }
    Row &restart()
    {
        key.apply = Apply::Restart;
        return *this;
    }
    Row &kept()
    {
        key.apply = Apply::Kept;
        return *this;
    }
    Row &range(double minimum, double maximum = std::numeric_limits<double>::infinity())
    {
        key.minimum = minimum;
        key.maximum = maximum;
        return *this;
    }
    Row &oneOf(const QStringList &choices)
    {
        key.choices = choices;
        return *this;
    }
    Row &sentTo(const QStringList &addresses)
    {
        key.sentTo = addresses;
        return *this;
    }
    Row &identifiedBy(const QString &field)
    {
        key.itemId = field;
        return *this;
    }
    operator ConfigKey() const { return key; }
};

Row key(const char *path, Type type, const QJsonValue &defaultValue = QJsonValue::Undefined)
{
    Row row;
    row.key.path = QString::fromLatin1(path);
    row.key.type = type;
    row.key.defaultValue = defaultValue;
    return row;
}

QJsonArray list(std::initializer_list<const char *> items)
{
    QJsonArray array;
    for (const char *item : items)
        array.append(QLatin1String(item));
    return array;
}

constexpr char kConfigDirMarker[] = "@CFGDIR@";

// The default provider entry (spec/config.md §2.4): saved files always carry these fields.
QJsonObject defaultProviderEntry()
{
    return QJsonObject{
        {"api_key", ""},
        {"api_base", "https://api.openai.com/v1"},
        {"models", list({"gpt-5.4"})},
        {"supports_responses_compact", false},
        {"auth", ""},
        {"timeout_sec", 90},
        {"oauth", QJsonObject()},
        {"responses", QJsonObject{{"web_search_enabled", false},
                                  {"web_search_context_size", ""},
                                  {"file_search_vector_store_ids", QJsonValue::Null},
                                  {"file_search_max_num_results", 0},
                                  {"include", QJsonValue::Null},
                                  {"stream_include_usage", false}}},
    };
}

QList<ConfigKey> buildTable()
{
    const QJsonObject none;
    // clang-format off
    const QList<ConfigKey> table = {
        // agents.defaults (§2.2)
        key("agents", Type::Object, none),
        key("agents.defaults", Type::Object, none),
        key("agents.defaults.workspace", Type::String, QString::fromLatin1(kConfigDirMarker) + "/workspace"),
        key("agents.defaults.model", Type::Object, none),
        key("agents.defaults.model.primary", Type::String, "openai/gpt-5.4"),
        // Ours (clawgo refuses the key): the models tried after the primary, in order.
        key("agents.defaults.model.fallbacks", Type::StringList).desktop(),
        key("agents.defaults.max_tokens", Type::Integer, 8192),
        key("agents.defaults.temperature", Type::Number, 0.7),
        key("agents.defaults.max_tool_iterations", Type::Integer, 20),
        key("agents.defaults.heartbeat", Type::Object, none),
        key("agents.defaults.heartbeat.enabled", Type::Bool, true).kept(),
        key("agents.defaults.heartbeat.every_sec", Type::Integer, 1800).kept(),
        key("agents.defaults.heartbeat.ack_max_chars", Type::Integer, 64).kept(),
        key("agents.defaults.heartbeat.prompt_template", Type::String, "").kept(),
        key("agents.defaults.context_compaction", Type::Object, none),
        key("agents.defaults.context_compaction.enabled", Type::Bool, true),
        key("agents.defaults.context_compaction.mode", Type::String, "summary").kept(),
        key("agents.defaults.context_compaction.trigger_messages", Type::Integer, 60),
        key("agents.defaults.context_compaction.keep_recent_messages", Type::Integer, 20),
        key("agents.defaults.context_compaction.target_ratio", Type::Number, 0.35).kept(),
        key("agents.defaults.context_compaction.protect_last_n", Type::Integer, 12).kept(),
        key("agents.defaults.context_compaction.pressure_threshold", Type::Number, 0.8).kept(),
        key("agents.defaults.context_compaction.max_summary_chars", Type::Integer, 6000),
        key("agents.defaults.context_compaction.max_transcript_chars", Type::Integer, 20000),
        key("agents.defaults.execution", Type::Object, none),
        key("agents.defaults.execution.run_state_ttl_seconds", Type::Integer, 1800).kept(),
        key("agents.defaults.execution.run_state_max", Type::Integer, 500).kept(),
        key("agents.defaults.execution.tool_parallel_safe_names", Type::StringList,
            list({"read_file", "list_files", "find_files", "grep_files", "memory_search",
                  "web_search", "system_info"})).kept(),
        key("agents.defaults.execution.tool_max_parallel_calls", Type::Integer, 2).kept(),
        key("agents.defaults.summary_policy", Type::Object, none),
        key("agents.defaults.summary_policy.marker", Type::String, "## System Task Summary").kept(),
        key("agents.defaults.summary_policy.completed_prefix", Type::String, "- Completed:").kept(),
        key("agents.defaults.summary_policy.changes_prefix", Type::String, "- Changes:").kept(),
        key("agents.defaults.summary_policy.outcome_prefix", Type::String, "- Outcome:").kept(),
        key("agents.defaults.summary_policy.completed_title", Type::String, "Completed Actions").kept(),
        key("agents.defaults.summary_policy.changes_title", Type::String, "Change Summaries").kept(),
        key("agents.defaults.summary_policy.outcomes_title", Type::String, "Execution Outcomes").kept(),

        // agents.router, agents.communication, agents.subagents (§2.3)
        key("agents.router", Type::Object, none),
        key("agents.router.enabled", Type::Bool, false).kept(),
        key("agents.router.main_agent_id", Type::String, "main").kept(),
        key("agents.router.strategy", Type::String, "rules_first").kept(),
        key("agents.router.policy", Type::Object, none),
        key("agents.router.policy.intent_max_input_chars", Type::Integer, 1200).kept(),
        key("agents.router.policy.max_rounds_without_user", Type::Integer, 200).kept(),
        key("agents.router.rules", Type::ObjectList, QJsonArray()).kept(),
        key("agents.router.rules[]", Type::Object).kept(),
        key("agents.router.rules[].agent_id", Type::String).kept(),
        key("agents.router.rules[].keywords", Type::StringList).kept(),
        key("agents.router.allow_direct_agent_chat", Type::Bool, false).kept(),
        key("agents.router.max_hops", Type::Integer, 6).kept(),
        key("agents.router.default_timeout_sec", Type::Integer, 600).kept(),
        key("agents.router.sticky_thread_owner", Type::Bool, true).kept(),
        key("agents.communication", Type::Object, none),
        key("agents.communication.mode", Type::String, "mediated").kept(),
        key("agents.communication.persist_threads", Type::Bool, true).kept(),
        key("agents.communication.persist_messages", Type::Bool, true).kept(),
        key("agents.communication.max_messages_per_thread", Type::Integer, 100).kept(),
        key("agents.communication.dead_letter_queue", Type::Bool, true).kept(),
        key("agents.communication.default_message_ttl_sec", Type::Integer, 86400).kept(),
        key("agents.subagents", Type::Map, none).kept(),
        key("agents.subagents.*", Type::Lenient).kept(),

        // channels (§2.5)
        key("channels", Type::Object, none),
        key("channels.inbound_message_id_dedupe_ttl_seconds", Type::Integer, 600).kept(),
        key("channels.inbound_content_dedupe_window_seconds", Type::Integer, 12).kept(),
        key("channels.outbound_dedupe_window_seconds", Type::Integer, 12).kept(),
        key("channels.weixin", Type::Object, none),
        key("channels.weixin.enabled", Type::Bool, false),
        key("channels.weixin.base_url", Type::String, "https://ilinkai.weixin.qq.com").url(),
        key("channels.weixin.default_bot_id", Type::String, ""),
        key("channels.weixin.accounts", Type::ObjectList).identifiedBy("bot_id"),
        key("channels.weixin.accounts[]", Type::Object),
        key("channels.weixin.accounts[].bot_id", Type::String),
        key("channels.weixin.accounts[].bot_token", Type::String).keychain().sentTo({"channels.weixin.base_url"}),
        key("channels.weixin.accounts[].ilink_user_id", Type::String),
        key("channels.weixin.accounts[].context_token", Type::String).secret().sentTo({"channels.weixin.base_url"}),
        key("channels.weixin.accounts[].get_updates_buf", Type::String).secret().sentTo({"channels.weixin.base_url"}),
        key("channels.weixin.allow_from", Type::StringList, QJsonArray()),
        key("channels.weixin.bot_id", Type::String),
        key("channels.weixin.bot_token", Type::String).secret().sentTo({"channels.weixin.base_url"}),
        key("channels.weixin.ilink_user_id", Type::String),
        key("channels.weixin.context_token", Type::String).secret().sentTo({"channels.weixin.base_url"}),
        key("channels.weixin.get_updates_buf", Type::String).secret().sentTo({"channels.weixin.base_url"}),
        key("channels.telegram", Type::Object, none),
        key("channels.telegram.enabled", Type::Bool, false).kept(),
        key("channels.telegram.token", Type::String, "").keychain().kept(),
        key("channels.telegram.streaming", Type::Bool, false).kept(),
        key("channels.telegram.allow_from", Type::StringList, QJsonArray()).kept(),
        key("channels.telegram.allow_chats", Type::StringList, QJsonArray()).kept(),
        key("channels.telegram.enable_groups", Type::Bool, true).kept(),
        key("channels.telegram.require_mention_in_groups", Type::Bool, true).kept(),
        key("channels.feishu", Type::Object, none),
        key("channels.feishu.enabled", Type::Bool, false).kept(),
        key("channels.feishu.app_id", Type::String, "").kept(),
        key("channels.feishu.app_secret", Type::String, "").keychain().kept(),
        key("channels.feishu.encrypt_key", Type::String, "").keychain().kept(),
        key("channels.feishu.verification_token", Type::String, "").keychain().kept(),
        key("channels.feishu.allow_from", Type::StringList, QJsonArray()).kept(),
        key("channels.feishu.allow_chats", Type::StringList, QJsonArray()).kept(),
        key("channels.feishu.enable_groups", Type::Bool, true).kept(),
        key("channels.feishu.require_mention_in_groups", Type::Bool, true).kept(),

        // models.providers (§2.4): one entry by default; a file's map replaces it whole.
        key("models", Type::Object, none),
        key("models.providers", Type::Map, QJsonObject{{"openai", defaultProviderEntry()}}),
        key("models.providers.*", Type::Object),
        key("models.providers.*.api_key", Type::String, "").keychain()
            .sentTo({"models.providers.*.api_base", "models.providers.*.network_proxy",
                     "models.providers.*.oauth.network_proxy"}),
        key("models.providers.*.api_base", Type::String, "").url(),
        key("models.providers.*.models", Type::StringList, QJsonArray()),
        key("models.providers.*.max_tokens", Type::Integer, 0),
        key("models.providers.*.temperature", Type::Number, 0),
        key("models.providers.*.supports_responses_compact", Type::Bool, false).kept(),
        key("models.providers.*.auth", Type::String, ""),
        key("models.providers.*.timeout_sec", Type::Integer, 0),
        key("models.providers.*.runtime_persist", Type::Bool, false),
        key("models.providers.*.runtime_history_file", Type::String, ""),
        key("models.providers.*.runtime_history_max", Type::Integer, 0),
        key("models.providers.*.oauth", Type::Object),
        key("models.providers.*.oauth.provider", Type::String).kept(),
        key("models.providers.*.oauth.network_proxy", Type::String).url(),
        key("models.providers.*.oauth.credential_file", Type::String).kept(),
        key("models.providers.*.oauth.credential_files", Type::StringList).kept(),
        key("models.providers.*.oauth.callback_port", Type::Integer).kept(),
        key("models.providers.*.oauth.client_id", Type::String).kept(),
        key("models.providers.*.oauth.client_secret", Type::String).keychain().kept()
            .sentTo({"models.providers.*.oauth.token_url", "models.providers.*.oauth.network_proxy",
                     "models.providers.*.network_proxy"}),
        key("models.providers.*.oauth.auth_url", Type::String).url().kept(),
        key("models.providers.*.oauth.token_url", Type::String).url().kept(),
        key("models.providers.*.oauth.redirect_url", Type::String).kept(),
        key("models.providers.*.oauth.scopes", Type::StringList).kept(),
        key("models.providers.*.oauth.cooldown_sec", Type::Integer).kept(),
        key("models.providers.*.oauth.refresh_scan_sec", Type::Integer).kept(),
        key("models.providers.*.oauth.refresh_lead_sec", Type::Integer).kept(),
        key("models.providers.*.responses", Type::Object),
        key("models.providers.*.responses.api", Type::String, ""),
        key("models.providers.*.responses.web_search_enabled", Type::Bool, false).kept(),
        key("models.providers.*.responses.web_search_context_size", Type::String, "").kept(),
        key("models.providers.*.responses.file_search_vector_store_ids", Type::StringList).kept(),
        key("models.providers.*.responses.file_search_max_num_results", Type::Integer, 0).kept(),
        key("models.providers.*.responses.include", Type::StringList).kept(),
        key("models.providers.*.responses.stream_include_usage", Type::Bool, false).kept(),
        // Ours: the proxy the provider's requests go through.
        key("models.providers.*.network_proxy", Type::String).url().desktop(),
        // Ours: the provider's kind when its name does not say it ("claude", "gemini", …).
        key("models.providers.*.type", Type::String).desktop(),

        // gateway (§2.1); we bind loopback by default and rebind on a change.
        key("gateway", Type::Object, none),
        key("gateway.host", Type::String, "127.0.0.1"),
        key("gateway.port", Type::Integer, 18790).range(1, 65535),
        key("gateway.token", Type::String, "").secret(),
        key("gateway.allowed_hosts", Type::StringList, QJsonArray()).desktop(),
        key("gateway.allowed_origins", Type::StringList, QJsonArray()).desktop(),

        // cron (§2.7)
        key("cron", Type::Object, none),
        key("cron.min_sleep_sec", Type::Integer, 1).kept(),
        key("cron.max_sleep_sec", Type::Integer, 30).kept(),
        key("cron.retry_backoff_base_sec", Type::Integer, 30).kept(),
        key("cron.retry_backoff_max_sec", Type::Integer, 1800).kept(),
        key("cron.max_consecutive_failure_retries", Type::Integer, 5).kept(),
        key("cron.max_workers", Type::Integer, 4).kept(),

        // tools (§2.6)
        key("tools", Type::Object, none),
        key("tools.web", Type::Object, none),
        key("tools.web.search", Type::Object, none),
        key("tools.web.search.api_key", Type::String, "").keychain().kept(),
        key("tools.web.search.max_results", Type::Integer, 5).kept(),
        key("tools.web.fetch", Type::Object).desktop(),
        key("tools.web.fetch.allow_private", Type::Bool, false).desktop(),
        key("tools.shell", Type::Object, none),
        key("tools.shell.enabled", Type::Bool, true),
        key("tools.shell.working_dir", Type::String, "").kept(),
        key("tools.shell.timeout", Type::Integer, 60000000000.0).range(0),
        key("tools.shell.auto_install_missing", Type::Bool, false).kept(),
        key("tools.shell.sandbox", Type::Object, none),
        key("tools.shell.sandbox.enabled", Type::Bool, false).kept(),
        key("tools.shell.sandbox.image", Type::String, "alpine:3.20").kept(),
        key("tools.filesystem", Type::Object, none),
        key("tools.filesystem.allow_outside_workspace", Type::Bool, false).desktop(),
        key("tools.mcp", Type::Object, none),
        key("tools.mcp.enabled", Type::Bool, false).kept(),
        key("tools.mcp.request_timeout_sec", Type::Integer, 20).kept(),
        key("tools.mcp.servers", Type::Map).kept(),
        key("tools.mcp.servers.*", Type::Object).kept(),
        key("tools.mcp.servers.*.enabled", Type::Bool).kept(),
        key("tools.mcp.servers.*.transport", Type::String).kept(),
        key("tools.mcp.servers.*.url", Type::String).url().kept(),
        key("tools.mcp.servers.*.command", Type::String).kept(),
        key("tools.mcp.servers.*.args", Type::StringList).kept(),
        key("tools.mcp.servers.*.env", Type::StringMap).keychain().kept()
            .sentTo({"tools.mcp.servers.*.command", "tools.mcp.servers.*.args",
                     "tools.mcp.servers.*.url"}),
        key("tools.mcp.servers.*.permission", Type::String).kept(),
        key("tools.mcp.servers.*.working_dir", Type::String).kept(),
        key("tools.mcp.servers.*.description", Type::String).kept(),
        key("tools.mcp.servers.*.package", Type::String).kept(),

        // logging, sentinel, memory (§2.7)
        key("logging", Type::Object, none),
        key("logging.enabled", Type::Bool, true),
        key("logging.dir", Type::String, QString::fromLatin1(kConfigDirMarker) + "/logs"),
        key("logging.filename", Type::String, "clawgo.log"),
        key("logging.max_size_mb", Type::Integer, 20),
        key("logging.retention_days", Type::Integer, 3),
        key("sentinel", Type::Object, none),
        key("sentinel.enabled", Type::Bool, true).kept(),
        key("sentinel.interval_sec", Type::Integer, 60).kept(),
        key("sentinel.auto_heal", Type::Bool, true).kept(),
        key("sentinel.notify_channel", Type::String, "").kept(),
        key("sentinel.notify_chat_id", Type::String, "").kept(),
        // Webhook addresses (Slack, Feishu, DingTalk) carry their credential in the path.
        key("sentinel.webhook_url", Type::String, "").keychain().kept(),
        key("memory", Type::Object, none),
        key("memory.layered", Type::Bool, true).kept(),
        key("memory.recent_days", Type::Integer, 3).kept(),
        key("memory.layers", Type::Object, none),
        key("memory.layers.profile", Type::Bool, true).kept(),
        key("memory.layers.project", Type::Bool, true).kept(),
        key("memory.layers.procedures", Type::Bool, true).kept(),

        // Ours: whether credentials live in the system keychain (the files then hold "" in their
        // place), and which ones do. The list is the store's own: it never shows in the API.
        key("secrets", Type::Object, none).desktop(),
        key("secrets.keychain", Type::Bool, false).desktop(),
        key("secrets.in_keychain", Type::StringList).desktop(),
        key("secrets.oauth_in_keychain", Type::StringList).desktop(),

        // Ours: uploads kept for the agent to read, removed after this many days (at start).
        key("uploads", Type::Object, none).desktop(),
        key("uploads.retention_days", Type::Integer, 7).desktop().restart().range(1, 3650),

        // Ours: the window. Closing it keeps the program in the tray (when there is one), which
        // it explains once; at login the desktop can start it in the tray (an XDG autostart
        // entry the window writes or removes).
        key("window", Type::Object, none).desktop(),
        key("window.close_to_tray", Type::Bool, true).desktop(),
        key("window.close_to_tray_explained", Type::Bool, false).desktop(),
        key("window.start_at_login", Type::Bool, false).desktop(),
    };
    // clang-format on
    return table;
}

// Pattern segments of a key path: "accounts[]" becomes "accounts", "[]".
QStringList patternSegments(const QString &path)
{
    QStringList segments;
    for (const QString &part : path.split(QLatin1Char('.'))) {
        if (part.endsWith(QLatin1String("[]"))) {
            segments << part.chopped(2) << QStringLiteral("[]");
        } else {
            segments << part;
        }
    }
    return segments;
}

struct Index
{
    QList<ConfigKey> keys;
    QHash<QString, int> byPattern; // pattern segments joined by '.'
};

const Index &index()
{
    static const Index built = [] {
        Index result;
        result.keys = buildTable();
        for (int i = 0; i < result.keys.size(); ++i) {
            const QString pattern = patternSegments(result.keys.at(i).path).join(QLatin1Char('.'));
            Q_ASSERT_X(!result.byPattern.contains(pattern), "ConfigKeys", "duplicate key");
            result.byPattern.insert(pattern, i);
        }
        return result;
    }();
    return built;
}

const ConfigKey *byPattern(const QString &pattern)
{
    const auto it = index().byPattern.constFind(pattern);
    return it == index().byPattern.constEnd() ? nullptr : &index().keys.at(*it);
}

QString typeWord(Type type)
{
    switch (type) {
    case Type::Bool:
        return QStringLiteral("a boolean");
    case Type::Integer:
        return QStringLiteral("a whole number");
    case Type::Number:
        return QStringLiteral("a number");
    case Type::String:
        return QStringLiteral("a string");
    case Type::StringList:
        return QStringLiteral("an array of strings");
    case Type::ObjectList:
        return QStringLiteral("an array of objects");
    case Type::Object:
    case Type::Map:
    case Type::StringMap:
        return QStringLiteral("an object");
    case Type::Lenient:
        break;
    }
    return QStringLiteral("a value");
}

QString valueWord(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("null");
    }
}

// Whether `value` has the shape `type` asks for (null always does: clawgo reads it as the
// zero value). Elements of lists and maps are checked too.
bool fits(Type type, const QJsonValue &value)
{
    if (value.isNull())
        return true;
    switch (type) {
    case Type::Bool:
        return value.isBool();
    case Type::Integer:
        return value.isDouble() && std::isfinite(value.toDouble()) &&
               value.toDouble() == std::floor(value.toDouble());
    case Type::Number:
        return value.isDouble();
    case Type::String:
        return value.isString();
    case Type::StringList: {
        if (!value.isArray())
            return false;
        for (const QJsonValue &item : value.toArray())
            if (!item.isString() && !item.isNull())
                return false;
        return true;
    }
    case Type::ObjectList: {
        if (!value.isArray())
            return false;
        for (const QJsonValue &item : value.toArray())
            if (!item.isObject() && !item.isNull())
                return false;
        return true;
    }
    case Type::Object:
    case Type::Map:
        return value.isObject();
    case Type::StringMap: {
        if (!value.isObject())
            return false;
        const QJsonObject map = value.toObject();
        for (auto it = map.begin(); it != map.end(); ++it)
            if (!it->isString() && !it->isNull())
                return false;
        return true;
    }
    case Type::Lenient:
        return true;
    }
    return true;
}

bool hasChildren(Type type)
{
    return type == Type::Object || type == Type::Map || type == Type::ObjectList;
}

// Walks every value of a document next to the key it belongs to (null for unknown keys).
// `visit` returns whether to descend into the value.
using NodeVisit =
    std::function<bool(const QStringList &segments, const QJsonValue &value, const ConfigKey *key)>;

void walkNode(const QJsonValue &value, QStringList &segments, QStringList &pattern,
              const ConfigKey *key, const NodeVisit &visit)
{
    if (!visit(segments, value, key) || !key || !hasChildren(key->type))
        return;
    const auto descend = [&](const QString &segment, const QString &patternSegment,
                             const QJsonValue &child) {
        segments << segment;
        pattern << patternSegment;
        walkNode(child, segments, pattern, byPattern(pattern.join(QLatin1Char('.'))), visit);
        segments.removeLast();
        pattern.removeLast();
    };
    if (key->type == Type::ObjectList) {
        const QJsonArray items = value.toArray();
        for (int i = 0; i < items.size(); ++i)
            descend(QString::number(i), QStringLiteral("[]"), items.at(i));
        return;
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        descend(it.key(), key->type == Type::Map ? QStringLiteral("*") : it.key(), it.value());
}

void walkDocument(const QJsonObject &document, const NodeVisit &visit)
{
    for (auto it = document.begin(); it != document.end(); ++it) {
        QStringList segments{it.key()};
        QStringList pattern{it.key()};
        walkNode(it.value(), segments, pattern, byPattern(it.key()), visit);
    }
}

void insertAt(QJsonObject &root, const QStringList &segments, int at, const QJsonValue &value)
{
    const QString &name = segments.at(at);
    if (at == segments.size() - 1) {
        root.insert(name, value);
        return;
    }
    QJsonObject child = root.value(name).toObject();
    insertAt(child, segments, at + 1, value);
    root.insert(name, child);
}

} // namespace

namespace ConfigKeys {

const QList<ConfigKey> &all()
{
    return index().keys;
}

const ConfigKey *find(const QStringList &segments)
{
    QStringList pattern;
    const ConfigKey *current = nullptr;
    for (const QString &segment : segments) {
        if (current) {
            switch (current->type) {
            case Type::StringMap:
            case Type::Lenient:
                return current; // anything below belongs to it
            case Type::Map:
                pattern << QStringLiteral("*");
                break;
            case Type::ObjectList:
                pattern << QStringLiteral("[]");
                break;
            case Type::Object:
                pattern << segment;
                break;
            default:
                return nullptr; // below a leaf
            }
        } else if (!pattern.isEmpty()) {
            return nullptr;
        } else {
            pattern << segment;
        }
        current = byPattern(pattern.join(QLatin1Char('.')));
        if (!current)
            return nullptr;
    }
    return current;
}

const ConfigKey *find(const QString &path)
{
    return find(path.split(QLatin1Char('.')));
}

QJsonObject defaults(const QString &configDir)
{
    QJsonObject document;
    for (const ConfigKey &key : all()) {
        if (key.defaultValue.isUndefined() || key.path.contains(QLatin1Char('*')) ||
            key.path.contains(QLatin1String("[]")))
            continue;
        QJsonValue value = key.defaultValue;
        if (value.isString() && value.toString().startsWith(QLatin1String(kConfigDirMarker)))
            value = configDir + value.toString().mid(int(qstrlen(kConfigDirMarker)));
        const QStringList segments = key.path.split(QLatin1Char('.'));
        // An object row only makes sure the object exists; its keys' rows fill it.
        if (value.isObject() && value.toObject().isEmpty() &&
            JsonUtil::valueAt(document, key.path).isObject())
            continue;
        insertAt(document, segments, 0, value);
    }
    return document;
}

const QSet<QString> &userOwnedMaps()
{
    static const QSet<QString> maps = [] {
        QSet<QString> result;
        for (const ConfigKey &key : all())
            if (key.type == Type::Map)
                result.insert(key.path);
        return result;
    }();
    return maps;
}

QStringList typeErrors(const QJsonObject &config)
{
    QStringList errors;
    walkDocument(config,
                 [&](const QStringList &segments, const QJsonValue &value, const ConfigKey *key) {
                     if (!key)
                         return false; // unknown: kept as it is, not checked
                     const QString path = displayPath(segments);
                     if (!fits(key->type, value)) {
                         if (key->type == Type::Integer && value.isDouble())
                             errors << QStringLiteral("%1 must be a whole number").arg(path);
                         else
                             errors << QStringLiteral("%1 must be %2, not %3")
                                           .arg(path, typeWord(key->type), valueWord(value));
                         return false;
                     }
                     return true;
                 });
    return errors;
}

QStringList rangeErrors(const QJsonObject &config)
{
    QStringList errors;
    walkDocument(
        config, [&](const QStringList &segments, const QJsonValue &value, const ConfigKey *key) {
            if (!key || !fits(key->type, value))
                return false;
            const QString path = displayPath(segments);
            if (value.isDouble() && key->hasRange() &&
                (value.toDouble() < key->minimum || value.toDouble() > key->maximum)) {
                if (key->maximum == std::numeric_limits<double>::infinity())
                    errors << QStringLiteral("%1 must be >= %2").arg(path).arg(key->minimum);
                else
                    errors << QStringLiteral("%1 must be in %2..%3")
                                  .arg(path)
                                  .arg(key->minimum)
                                  .arg(key->maximum);
            }
            if (value.isString() && !key->choices.isEmpty() && !value.toString().isEmpty() &&
                !key->choices.contains(value.toString()))
                errors << QStringLiteral("%1 must be one of: %2")
                              .arg(path, key->choices.join(QLatin1String(", ")));
            return true;
        });
    return errors;
}

QStringList strictDecodeErrors(const QJsonObject &configJson)
{
    QStringList errors;
    walkDocument(configJson,
                 [&](const QStringList &segments, const QJsonValue &value, const ConfigKey *key) {
                     const QString path = displayPath(segments);
                     if (!key || key->file == File::Desktop) {
                         errors << QStringLiteral("json: unknown field \"%1\" (at %2)")
                                       .arg(segments.constLast(), path);
                         return false;
                     }
                     if (!fits(key->type, value)) {
                         errors << QStringLiteral("json: cannot unmarshal %1 into %2 (at %3)")
                                       .arg(valueWord(value), typeWord(key->type), path);
                         return false;
                     }
                     return true;
                 });
    return errors;
}

namespace {

// Copies `value` into `out` at `segments`; array items of a split keep their index, so the
// two halves of an ObjectList line up again when merged.
void place(QJsonObject &out, const QStringList &segments, const QJsonValue &value,
           const QList<bool> &isIndex)
{
    std::function<QJsonValue(const QJsonValue &, int)> build = [&](const QJsonValue &node,
                                                                   int at) -> QJsonValue {
        if (at == segments.size())
            return value;
        if (isIndex.at(at)) {
            QJsonArray array = node.toArray();
            const int position = segments.at(at).toInt();
            while (array.size() <= position)
                array.append(QJsonObject());
            array[position] = build(array.at(position), at + 1);
            return array;
        }
        QJsonObject object = node.toObject();
        object.insert(segments.at(at), build(object.value(segments.at(at)), at + 1));
        return object;
    };
    out = build(out, 0).toObject();
}

} // namespace

Split split(const QJsonObject &document, const QSet<QString> &unknownFromDesktop)
{
    Split result;
    walkDocument(
        document, [&](const QStringList &segments, const QJsonValue &value, const ConfigKey *key) {
            QList<bool> isIndex;
            for (int i = 0; i < segments.size(); ++i) {
                const ConfigKey *parent = i == 0 ? nullptr : find(segments.mid(0, i));
                isIndex << (parent && parent->type == Type::ObjectList);
            }
            bool toDesktop = false;
            if (!key) {
                toDesktop = unknownFromDesktop.contains(segments.join(QLatin1Char('.')));
            } else if (key->file == File::Desktop) {
                toDesktop = true;
            } else if (hasChildren(key->type) && fits(key->type, value) && !value.isNull()) {
                const bool empty =
                    value.isObject() ? value.toObject().isEmpty() : value.toArray().isEmpty();
                if (!empty) {
                    // Split below. clawgo's file keeps the object even when all it holds is
                    // ours ("tools.filesystem": {}), as clawgo writes it.
                    if (value.isObject() && !isIndex.contains(true))
                        place(result.clawgo, segments, QJsonObject(), isIndex);
                    return true;
                }
            }
            // Items of a list stay whole in one file: the halves of an array could not be merged.
            if (isIndex.contains(true))
                toDesktop = false;
            place(toDesktop ? result.desktop : result.clawgo, segments, value, isIndex);
            return false;
        });
    return result;
}

QSet<QString> unknownPaths(const QJsonObject &document)
{
    QSet<QString> paths;
    walkDocument(document,
                 [&](const QStringList &segments, const QJsonValue &, const ConfigKey *key) {
                     if (key)
                         return true;
                     paths.insert(segments.join(QLatin1Char('.')));
                     return false;
                 });
    return paths;
}

QList<QStringList> desktopKeysIn(const QJsonObject &configJson)
{
    QList<QStringList> keys;
    walkDocument(configJson,
                 [&](const QStringList &segments, const QJsonValue &, const ConfigKey *key) {
                     if (key && key->file == File::Desktop) {
                         keys << segments;
                         return false;
                     }
                     return key != nullptr;
                 });
    return keys;
}

QStringList desktopPathsIn(const QJsonObject &configJson)
{
    QStringList paths;
    for (const QStringList &segments : desktopKeysIn(configJson))
        paths << displayPath(segments);
    return paths;
}

void forEachMatch(const QJsonObject &document, const ConfigKey &key, const Visit &visit)
{
    const QStringList pattern = patternSegments(key.path);
    std::function<void(const QJsonValue &, int, QStringList &)> step =
        [&](const QJsonValue &node, int at, QStringList &segments) {
            if (at == pattern.size()) {
                visit(segments, node);
                return;
            }
            const QString &part = pattern.at(at);
            const auto descend = [&](const QString &segment, const QJsonValue &child) {
                segments << segment;
                step(child, at + 1, segments);
                segments.removeLast();
            };
            if (part == QLatin1String("[]")) {
                const QJsonArray items = node.toArray();
                for (int i = 0; i < items.size(); ++i)
                    descend(QString::number(i), items.at(i));
            } else if (part == QLatin1String("*")) {
                const QJsonObject object = node.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    descend(it.key(), it.value());
            } else if (node.isObject() && node.toObject().contains(part)) {
                descend(part, node.toObject().value(part));
            }
        };
    QStringList segments;
    step(document, 0, segments);
}

QJsonValue value(const QJsonObject &config, const QStringList &segments)
{
    const ConfigKey *key = find(segments);
    QJsonValue found = config;
    for (const QString &segment : segments)
        found =
            found.isArray() ? found.toArray().at(segment.toInt()) : found.toObject().value(segment);
    if (!key) {
        qCWarning(lcConfig).noquote() << "reading a config path the key table does not know:"
                                      << segments.join(QLatin1Char('.'));
        Q_ASSERT_X(false, "ConfigKeys::value", "unknown config path");
        return found;
    }
    if (!found.isUndefined() && !found.isNull() && fits(key->type, found))
        return found;
    if (key->defaultValue.isUndefined()) {
        switch (key->type) {
        case Type::Bool:
            return false;
        case Type::Integer:
        case Type::Number:
            return 0;
        case Type::String:
            return QString();
        case Type::StringList:
        case Type::ObjectList:
            return QJsonArray();
        default:
            return QJsonObject();
        }
    }
    return key->defaultValue;
}

QJsonValue value(const QJsonObject &config, const QString &path)
{
    return value(config, path.split(QLatin1Char('.')));
}

bool flag(const QJsonObject &config, const QStringList &segments)
{
    return value(config, segments).toBool();
}

int integer(const QJsonObject &config, const QStringList &segments)
{
    const double number = value(config, segments).toDouble();
    return int(
        qBound<double>(std::numeric_limits<int>::min(), number, std::numeric_limits<int>::max()));
}

double number(const QJsonObject &config, const QStringList &segments)
{
    return value(config, segments).toDouble();
}

QString string(const QJsonObject &config, const QStringList &segments)
{
    return value(config, segments).toString().trimmed();
}

QStringList strings(const QJsonObject &config, const QStringList &segments)
{
    QStringList result;
    for (const QJsonValue &item : value(config, segments).toArray()) {
        const QString text = item.toString().trimmed();
        if (!text.isEmpty())
            result << text;
    }
    return result;
}

bool flag(const QJsonObject &config, const QString &path)
{
    return flag(config, path.split(QLatin1Char('.')));
}

int integer(const QJsonObject &config, const QString &path)
{
    return integer(config, path.split(QLatin1Char('.')));
}

double number(const QJsonObject &config, const QString &path)
{
    return number(config, path.split(QLatin1Char('.')));
}

QString string(const QJsonObject &config, const QString &path)
{
    return string(config, path.split(QLatin1Char('.')));
}

QStringList strings(const QJsonObject &config, const QString &path)
{
    return strings(config, path.split(QLatin1Char('.')));
}

QString maskUrlPassword(const QString &url)
{
    QUrl parsed(url.trimmed());
    if (!parsed.isValid() || parsed.password().isEmpty())
        return url;
    parsed.setPassword(QStringLiteral("********"));
    return parsed.toString();
}

QString urlPassword(const QString &url)
{
    const QUrl parsed(url.trimmed());
    return parsed.isValid() ? parsed.password() : QString();
}

QString urlWithoutPassword(const QString &url)
{
    QUrl parsed(url.trimmed());
    if (!parsed.isValid())
        return url.trimmed();
    parsed.setPassword(QString());
    QString text = parsed.toString();
    while (text.endsWith(QLatin1Char('/')))
        text.chop(1);
    return text;
}

QString restoreUrlPassword(const QString &url, const QString &from)
{
    QUrl parsed(url.trimmed());
    if (!parsed.isValid() || parsed.password() != QLatin1String("********"))
        return url;
    parsed.setPassword(urlPassword(from));
    return parsed.toString();
}

QString displayPath(const QStringList &segments)
{
    QString path;
    for (int i = 0; i < segments.size(); ++i) {
        const ConfigKey *parent = i == 0 ? nullptr : find(segments.mid(0, i));
        if (parent && parent->type == Type::ObjectList)
            path += QLatin1Char('[') + segments.at(i) + QLatin1Char(']');
        else
            path += (i == 0 ? QString() : QStringLiteral(".")) + segments.at(i);
    }
    return path;
}

} // namespace ConfigKeys
