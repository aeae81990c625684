#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/memory (list, read, write, delete under workspace/memory) and /api/workspace_file (read
// and write a workspace file): paths confined to their folder.
namespace WorkspaceApi {

// Both answer later: the file work runs on the file pool (never on the event loop).
void memory(ApiServices &services, const ApiRequest &request, Reply reply);
void workspaceFile(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace WorkspaceApi
