#pragma once

#include "tool.h"

// exec: a shell command in the workspace, through QProcess (never blocking), with a timeout
// that kills the whole process group and a cap on the output kept.
class ExecTool : public Tool
{
public:
    ToolSpec spec() const override;
    void run(const QJsonObject &arguments, const ToolContext &context, QObject *owner,
             std::function<void(const ToolOutcome &)> done) override;
};
