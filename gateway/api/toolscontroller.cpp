#include "toolscontroller.h"

#include "agent/agentruntime.h"
#include "apiservices.h"
#include "core/configstore.h"
#include "fileanswers.h"
#include "tools/tool.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QStandardPaths>

namespace {

struct ToolGroup
{
    const char *name;
    const char *description;
    QStringList aliases;
    QStringList tools;
};

} // namespace

namespace ToolsApi {

ApiResponse allowlistGroups(const ApiRequest &)
{
    // Sorted by name; aliases and tools sorted (spec/api.md §18).
    static const QList<ToolGroup> groups = {
        {"files_read",
         "Read-only workspace file tools",
         {"file_read", "readonly_files"},
         {"list_dir", "read_file"}},
        {"files_write",
         "Workspace file modification tools",
         {"file_write"},
         {"edit_file", "write_file"}},
        {"memory_all",
         "All memory tools",
         {"memory"},
         {"memory_get", "memory_search", "memory_write"}},
        {"memory_read",
         "Read-only memory and session recall tools",
         {"mem_read"},
         {"memory_get", "memory_search", "session_search"}},
        {"memory_write", "Memory write tools", {"mem_write"}, {"memory_write"}},
        {"skills", "Skill script execution tools", {"skill", "skill_scripts"}, {"skill_exec"}},
        {"subagent", "Subagent execution tools", {"agent_runtime"}, {"spawn", "subagent_profile"}},
    };
    QJsonArray out;
    for (const ToolGroup &group : groups) {
        QJsonObject entry{{"name", QLatin1String(group.name)},
                          {"description", QLatin1String(group.description)},
                          {"tools", QJsonArray::fromStringList(group.tools)}};
        if (!group.aliases.isEmpty())
            entry.insert("aliases", QJsonArray::fromStringList(group.aliases));
        out.append(entry);
    }
    return ApiResponse::json(QJsonObject{{"ok", true}, {"groups", out}});
}

} // namespace ToolsApi

namespace ToolsApi {

InstallSpec inferInstall(const QString &command, const QStringList &args, const QString &package)
{
    if (!package.trimmed().isEmpty())
        return {package.trimmed(), QString(), false};
    const QString base = QFileInfo(command.trimmed()).fileName().toLower();
    QString firstArg;
    for (const QString &arg : args)
        if (!arg.startsWith(QLatin1Char('-'))) {
            firstArg = arg.trimmed();
            break;
        }
    if (base == QLatin1String("npx"))
        return {firstArg, QString(), false};
    if (base == QLatin1String("uvx"))
        return {firstArg, QStringLiteral("uv"), !firstArg.isEmpty()};
    if (base == QLatin1String("bunx"))
        return {firstArg, QStringLiteral("bun"), !firstArg.isEmpty()};
    if (base == QLatin1String("python") || base == QLatin1String("python3")) {
        const qsizetype module = args.indexOf(QStringLiteral("-m"));
        if (module >= 0 && module + 1 < args.size())
            return {args.at(module + 1), QStringLiteral("pip"), false};
    }
    return {};
}

void tools(ApiServices &services, const ApiRequest &request, Reply reply)
{
    // The catalog a turn of the window's chat would get.
    const ToolContext context = services.agent->toolContext(QStringLiteral("main"));
    QJsonArray list;
    for (const ToolSpec &tool : ToolRegistry::builtIn(context)->specs())
        list.append(QJsonObject{
            {"name", tool.name},
            {"description", tool.description},
            {"parameters", tool.parameters},
            {"source", "local"},
            {"visibility",
             QJsonObject{{"main_agent", true},
                         {"subagent",
                          tool.name == QLatin1String("skill_exec") ? "inherited" : "allowlist"}}}});
    const QJsonObject servers = services.config->effective()
                                    .value("tools")
                                    .toObject()
                                    .value("mcp")
                                    .toObject()
                                    .value("servers")
                                    .toObject();
    FileAnswers::answerOnPool(request, reply, [list, servers] {
        QJsonArray checks;
        QStringList names = servers.keys();
        names.sort();
        for (const QString &name : std::as_const(names)) {
            const QJsonObject server = servers.value(name).toObject();
            const bool enabled = server.value("enabled").toBool();
            QString transport = server.value("transport").toString().trimmed().toLower();
            if (transport.isEmpty())
                transport = QStringLiteral("stdio");
            const QString command = server.value("command").toString().trimmed();
            QStringList args;
            for (const QJsonValue &arg : server.value("args").toArray())
                args << arg.toString();
            const InstallSpec install =
                inferInstall(command, args, server.value("package").toString());
            QString status;
            QString message;
            QString resolved;
            bool missing = false;
            if (!enabled) {
                status = QStringLiteral("disabled");
                message = QStringLiteral("server is disabled");
            } else if (transport != QLatin1String("stdio")) {
                status = QStringLiteral("not_applicable");
                message = QStringLiteral("command check not required for non-stdio transport");
            } else if (command.isEmpty()) {
                status = QStringLiteral("missing_command");
                message = QStringLiteral("command is empty");
            } else if (QDir::isAbsolutePath(command)) {
                if (QFileInfo(command).isFile()) {
                    status = QStringLiteral("ok");
                    message = QStringLiteral("command found");
                    resolved = command;
                } else {
                    status = QStringLiteral("missing_command");
                    message = QStringLiteral("command not found: %1").arg(command);
                    missing = true;
                }
            } else {
                // ~/.local/bin too: where uv and bun put what they install.
                resolved = QStandardPaths::findExecutable(command);
                if (resolved.isEmpty())
                    resolved = QStandardPaths::findExecutable(
                        command, {QDir::homePath() + QStringLiteral("/.local/bin")});
                if (!resolved.isEmpty()) {
                    status = QStringLiteral("ok");
                    message = QStringLiteral("command found");
                } else {
                    status = QStringLiteral("missing_command");
                    message = QStringLiteral("command not found in PATH: %1").arg(command);
                    missing = true;
                }
            }
            checks.append(QJsonObject{{"name", name},
                                      {"enabled", enabled},
                                      {"transport", transport},
                                      {"status", status},
                                      {"message", message},
                                      {"command", command},
                                      {"resolved", resolved},
                                      {"package", install.package},
                                      {"installer", install.installer},
                                      {"installable", missing && install.autoInstall},
                                      {"missing_command", missing}});
        }
        return ApiResponse::json(QJsonObject{
            {"tools", list}, {"mcp_tools", QJsonArray()}, {"mcp_server_checks", checks}});
    });
}

} // namespace ToolsApi
