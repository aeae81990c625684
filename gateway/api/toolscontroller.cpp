#include "toolscontroller.h"

#include <QJsonArray>

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
