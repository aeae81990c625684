#pragma once

#include "http/apiresponse.h"

// /api/tool_allowlist_groups: the named tool groups that allowlists may use (static data).
namespace ToolsApi {

ApiResponse allowlistGroups(const ApiRequest &request);

} // namespace ToolsApi
