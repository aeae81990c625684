#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/tool_allowlist_groups: the named tool groups that allowlists may use (static data), and
// /api/tools: the agent's tools as a turn would get them, and a check of each configured MCP
// server's command (spec/agent.md §8.3).
namespace ToolsApi {

ApiResponse allowlistGroups(const ApiRequest &request);
// Answers later: finding the servers' commands looks at the disk (on the file pool).
void tools(ApiServices &services, const ApiRequest &request, Reply reply);

// What §8.3 infers about how a server's command could be installed.
struct InstallSpec
{
    QString package;
    QString installer; // "uv", "bun", "pip" or ""
    bool autoInstall = false;
};
InstallSpec inferInstall(const QString &command, const QStringList &args, const QString &package);

} // namespace ToolsApi
