#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/memory (list, read, write, delete under workspace/memory) and /api/workspace_file (read
// and write a workspace file): paths confined to their folder.
namespace WorkspaceApi {

ApiResponse memory(ApiServices &services, const ApiRequest &request);
ApiResponse workspaceFile(ApiServices &services, const ApiRequest &request);

} // namespace WorkspaceApi
