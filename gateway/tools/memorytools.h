#pragma once

#include "tool.h"

#include <memory>

// memory_search, memory_get, memory_write over MEMORY.md and memory/*.md (spec/agent.md §4),
// confined to the workspace, on the file pool.
namespace MemoryTools {

std::unique_ptr<Tool> memorySearchTool();
std::unique_ptr<Tool> memoryGetTool();
std::unique_ptr<Tool> memoryWriteTool();

} // namespace MemoryTools
