#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// POST /api/mcp/install (spec/agent.md §8.6): installs an MCP server's package with `uv tool
// install` or `bun add -g` as a process (10 minutes at most, never on the event loop), then
// finds its binary (PATH, ~/.local/bin, /usr/local/bin, /opt/homebrew/bin). The config is not
// changed.
namespace McpApi {

void install(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace McpApi
