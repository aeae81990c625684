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

// skill_exec (spec/agent.md §8.2): a script under a skill's scripts/ folder, run with bash
// (.sh) or python3 (.py) in the skill's folder, like exec (timeout, output cap, the process
// group killed at the end); each run is noted in memory/skill-audit.jsonl.
class SkillExecTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;
};
