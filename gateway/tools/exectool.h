#pragma once

#include "tool.h"

// exec: a shell command in the workspace, through QProcess (never blocking), with a timeout
// that kills the whole process group and a cap on the output kept.
class ExecTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};
