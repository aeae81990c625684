#pragma once

#include "tool.h"

// memory_search, memory_get, memory_write over MEMORY.md and memory/*.md of the workspace
// (spec/agent.md §4.2, main namespace).

class MemorySearchTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};

class MemoryGetTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};

class MemoryWriteTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};
