#include "configschema.h"

#include <QCoreApplication>

const QList<ConfigField> &configFields()
{
    using K = ConfigField::Kind;
    static const QList<ConfigField> fields = {
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.host",
         QT_TRANSLATE_NOOP("ConfigPage", "Listen address"), K::Text, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.port",
         QT_TRANSLATE_NOOP("ConfigPage", "Port"), K::Integer, true, 1, 65535},
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.token",
         QT_TRANSLATE_NOOP("ConfigPage", "API token"), K::Secret, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"), "agents.defaults.model.primary",
         QT_TRANSLATE_NOOP("ConfigPage", "Model (provider/model)"), K::Text, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.api_base", QT_TRANSLATE_NOOP("ConfigPage", "API base URL"),
         K::Text, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.api_key", QT_TRANSLATE_NOOP("ConfigPage", "API key"),
         K::Secret, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.timeout_sec", QT_TRANSLATE_NOOP("ConfigPage", "Timeout (s)"),
         K::Integer, true, 0, 3600},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.workspace",
         QT_TRANSLATE_NOOP("ConfigPage", "Workspace folder"), K::Text, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.max_tool_iterations",
         QT_TRANSLATE_NOOP("ConfigPage", "Tool iterations per turn"), K::Integer, true, 0, 1000},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.max_tokens",
         QT_TRANSLATE_NOOP("ConfigPage", "Max output tokens"), K::Integer, true, 0, 1000000},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.temperature",
         QT_TRANSLATE_NOOP("ConfigPage", "Temperature"), K::Decimal, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Channels"), "channels.weixin.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Weixin enabled"), K::Flag, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Channels"), "channels.telegram.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Telegram enabled"), K::Flag, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Channels"), "channels.telegram.token",
         QT_TRANSLATE_NOOP("ConfigPage", "Telegram bot token"), K::Secret, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Tools"), "tools.shell.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Shell commands (exec)"), K::Flag, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Tools"), "tools.mcp.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "MCP servers"), K::Flag, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Write a log file"), K::Flag, true},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.max_size_mb",
         QT_TRANSLATE_NOOP("ConfigPage", "Rotate after (MiB)"), K::Integer, true, 0, 100000},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.retention_days",
         QT_TRANSLATE_NOOP("ConfigPage", "Keep rotated logs (days)"), K::Integer, true, 0, 3650},
        {QT_TRANSLATE_NOOP("ConfigPage", "Cron"), "cron.max_workers",
         QT_TRANSLATE_NOOP("ConfigPage", "Parallel jobs"), K::Integer, true, 0, 100},
        {QT_TRANSLATE_NOOP("ConfigPage", "Cron"), "cron.min_sleep_sec",
         QT_TRANSLATE_NOOP("ConfigPage", "Minimum sleep (s)"), K::Integer, true, 0, 86400},
        {QT_TRANSLATE_NOOP("ConfigPage", "Cron"), "cron.max_sleep_sec",
         QT_TRANSLATE_NOOP("ConfigPage", "Maximum sleep (s)"), K::Integer, true, 0, 86400},
    };
    return fields;
}
