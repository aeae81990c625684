#include "routes.h"

#include "apiservices.h"
#include "chatcontroller.h"
#include "configcontroller.h"
#include "croncontroller.h"
#include "eventscontroller.h"
#include "http/router.h"
#include "logscontroller.h"
#include "mcpcontroller.h"
#include "providercontroller.h"
#include "sessionscontroller.h"
#include "skillscontroller.h"
#include "toolscontroller.h"
#include "uploadcontroller.h"
#include "versioncontroller.h"
#include "weixincontroller.h"
#include "workspacecontroller.h"

namespace {

// Adapters from the controllers' functions, which take the services first, to the router's
// handler types.
template <typename F> Router::Handler sync(ApiServices &s, F f)
{
    return [&s, f](const ApiRequest &request) { return f(s, request); };
}

template <typename F> Router::AsyncHandler async(ApiServices &s, F f)
{
    return [&s, f](const ApiRequest &request, Reply reply) { f(s, request, std::move(reply)); };
}

template <typename F> Router::WebSocketHandler socket(ApiServices &s, F f)
{
    return [&s, f](WebSocket *ws, const ApiRequest &request) { f(s, ws, request); };
}

template <typename F> Router::StreamHandler stream(ApiServices &s, F f)
{
    return [&s, f](const ApiRequest &request) { return f(s, request); };
}

} // namespace

void registerRoutes(Router &r, ApiServices &s)
{
    using Access = Router::Access;
    // clang-format off
    //                 method    path                           controller
    r.add(            "",       "/health",                      "version",   VersionApi::health, Access::Public);
    r.add(            "GET",    "/api/version",                 "version",   sync(s, VersionApi::version));

    r.add(            "GET",    "/api/config",                  "config",    sync(s, ConfigApi::get));
    r.addAsync(       "POST",   "/api/config",                  "config",    async(s, ConfigApi::post));

    r.addWebSocket(             "/api/events/live",             "events",    socket(s, EventsApi::live));

    r.addAsync(       "GET",    "/api/logs/recent",             "logs",      async(s, LogsApi::recent));
    r.addWebSocket(             "/api/logs/live",               "logs",      socket(s, LogsApi::live));

    r.addAsync(       "POST",   "/api/chat",                    "chat",      async(s, ChatApi::post));
    r.addAsync(       "GET",    "/api/chat/history",            "chat",      async(s, ChatApi::history));
    r.addWebSocket(             "/api/chat/live",               "chat",      socket(s, ChatApi::live));
    r.addAsync(       "GET",    "/api/sessions",                "sessions",  async(s, SessionsApi::list));

    r.addAsync(       "GET",    "/api/memory",                  "workspace", async(s, WorkspaceApi::memory));
    r.addAsync(       "POST",   "/api/memory",                  "workspace", async(s, WorkspaceApi::memory));
    r.addAsync(       "DELETE", "/api/memory",                  "workspace", async(s, WorkspaceApi::memory));
    r.addAsync(       "GET",    "/api/workspace_file",          "workspace", async(s, WorkspaceApi::workspaceFile));
    r.addAsync(       "POST",   "/api/workspace_file",          "workspace", async(s, WorkspaceApi::workspaceFile));
    r.addStream(      "POST",   "/api/upload",                  "upload",    s.uploadMaxBytes, stream(s, UploadApi::start));

    r.add(            "GET",    "/api/provider/runtime",        "provider",  sync(s, ProviderApi::runtimeView));
    r.addAsync(       "POST",   "/api/provider/runtime",        "provider",  async(s, ProviderApi::runtimeAction));
    r.addAsync(       "POST",   "/api/provider/models",         "provider",  async(s, ProviderApi::models));
    r.addWebSocket(             "/v1/ws",                       "provider",  socket(s, ProviderApi::relay));
    r.addAsync(       "GET",    "/api/provider/oauth/accounts", "provider",  async(s, ProviderApi::oauthAccounts));
    r.addAsync(       "POST",   "/api/provider/oauth/accounts", "provider",  async(s, ProviderApi::oauthAccounts));
    r.addStream(      "POST",   "/api/provider/oauth/import",   "provider",  16 * 1024 * 1024, stream(s, ProviderApi::oauthImport));
    r.addAsync(       "GET",    "/api/provider/oauth/start",    "provider",  async(s, ProviderApi::oauthStart));
    r.addAsync(       "POST",   "/api/provider/oauth/start",    "provider",  async(s, ProviderApi::oauthStart));
    r.addAsync(       "POST",   "/api/provider/oauth/complete", "provider",  async(s, ProviderApi::oauthComplete));
    r.addAsync(       "GET",    "/api/cron",                    "cron",      async(s, CronApi::cron));
    r.addAsync(       "POST",   "/api/cron",                    "cron",      async(s, CronApi::cron));

    r.addAsync(       "GET",    "/api/skills",                  "skills",    async(s, SkillsApi::skills));
    r.addAsync(       "POST",   "/api/skills",                  "skills",    async(s, SkillsApi::skills));
    r.addAsync(       "DELETE", "/api/skills",                  "skills",    async(s, SkillsApi::skills));

    r.add(            "GET",    "/api/tool_allowlist_groups",   "tools",     ToolsApi::allowlistGroups);
    r.addAsync(       "GET",    "/api/tools",                   "tools",     async(s, ToolsApi::tools));
    r.addAsync(       "POST",   "/api/mcp/install",             "mcp",       async(s, McpApi::install));

    r.addAsync(       "GET",    "/api/weixin/status",           "weixin",    async(s, WeixinApi::status));
    r.addAsync(       "POST",   "/api/weixin/login/start",      "weixin",    async(s, WeixinApi::startLogin));
    r.addAsync(       "POST",   "/api/weixin/login/cancel",     "weixin",    async(s, WeixinApi::cancelLogin));
    r.addAsync(       "GET",    "/api/weixin/qr.svg",           "weixin",    async(s, WeixinApi::qrSvg));
    r.addAsync(       "POST",   "/api/weixin/accounts/remove",  "weixin",    async(s, WeixinApi::removeAccount));
    r.addAsync(       "POST",   "/api/weixin/accounts/default", "weixin",    async(s, WeixinApi::setDefaultAccount));
    // clang-format on
}
