#pragma once

#include "tool.h"

#include <memory>

// read_file, write_file, edit_file, list_dir: confined to the workspace unless the config
// allows more (tools.filesystem.allow_outside_workspace); only regular files are opened, on the
// file pool.
namespace WorkspaceFileTools {

std::unique_ptr<Tool> readFileTool();
std::unique_ptr<Tool> writeFileTool();
std::unique_ptr<Tool> editFileTool();
std::unique_ptr<Tool> listDirTool();

} // namespace WorkspaceFileTools
