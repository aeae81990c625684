#pragma once

class Router;

// /api/tool_allowlist_groups: the named tool groups that allowlists may use (static data).
class ToolsController
{
public:
    explicit ToolsController(Router *router);
};
