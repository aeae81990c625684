#include "configschema.h"

#include "core/configkeys.h"

#include <QCoreApplication>

const ConfigKey &ConfigField::key() const
{
    const ConfigKey *found = ConfigKeys::find(QString::fromLatin1(path));
    Q_ASSERT_X(found, "ConfigField", "a form field the key table does not know");
    static const ConfigKey unknown;
    return found ? *found : unknown;
}

ConfigField::Kind ConfigField::kind() const
{
    const ConfigKey &row = key();
    if (row.secret)
        return Kind::Secret;
    switch (row.type) {
    case ConfigKey::Type::Bool:
        return Kind::Flag;
    case ConfigKey::Type::Integer:
        return Kind::Integer;
    case ConfigKey::Type::Number:
        return Kind::Decimal;
    default:
        return Kind::Text;
    }
}

// Fields of features this program does not have yet (Telegram, MCP, cron) are not offered:
// their keys stay in the file for clawgo, and the JSON tab shows them.
const QList<ConfigField> &configFields()
{
    static const QList<ConfigField> fields = {
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.host",
         QT_TRANSLATE_NOOP("ConfigPage", "Listen address")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.port",
         QT_TRANSLATE_NOOP("ConfigPage", "Port")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Gateway"), "gateway.token",
         QT_TRANSLATE_NOOP("ConfigPage", "API token")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"), "agents.defaults.model.primary",
         QT_TRANSLATE_NOOP("ConfigPage", "Model (provider/model)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.api_base", QT_TRANSLATE_NOOP("ConfigPage", "API base URL")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.api_key", QT_TRANSLATE_NOOP("ConfigPage", "API key")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Providers and models"),
         "models.providers.{provider}.timeout_sec", QT_TRANSLATE_NOOP("ConfigPage", "Timeout (s)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.workspace",
         QT_TRANSLATE_NOOP("ConfigPage", "Workspace folder")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.max_tool_iterations",
         QT_TRANSLATE_NOOP("ConfigPage", "Tool iterations per turn")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.max_tokens",
         QT_TRANSLATE_NOOP("ConfigPage", "Max output tokens")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Agent defaults"), "agents.defaults.temperature",
         QT_TRANSLATE_NOOP("ConfigPage", "Temperature")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Channels"), "channels.weixin.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Weixin enabled")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Tools"), "tools.shell.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Shell commands (exec)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Tools"), "tools.filesystem.allow_outside_workspace",
         QT_TRANSLATE_NOOP("ConfigPage", "File tools may leave the workspace")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Tools"), "tools.web.fetch.allow_private",
         QT_TRANSLATE_NOOP("ConfigPage", "Web fetch may reach local addresses")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.enabled",
         QT_TRANSLATE_NOOP("ConfigPage", "Write a log file")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.max_size_mb",
         QT_TRANSLATE_NOOP("ConfigPage", "Rotate after (MiB)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "logging.retention_days",
         QT_TRANSLATE_NOOP("ConfigPage", "Keep rotated logs (days)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Logging"), "uploads.retention_days",
         QT_TRANSLATE_NOOP("ConfigPage", "Keep uploaded files (days)")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Window"), "window.close_to_tray",
         QT_TRANSLATE_NOOP("ConfigPage", "Closing the window keeps ClawGo in the tray")},
        {QT_TRANSLATE_NOOP("ConfigPage", "Window"), "window.start_at_login",
         QT_TRANSLATE_NOOP("ConfigPage", "Start at login (in the tray)")},
    };
    return fields;
}
