#pragma once

#include "tool.h"

// read_file, write_file, edit_file, list_dir: confined to the workspace unless the config
// allows more (tools.filesystem.allow_outside_workspace).

class ReadFileTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};

class WriteFileTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};

class EditFileTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};

class ListDirTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};
