#pragma once

#include "tool.h"

#include <functional>

// A tool whose whole work is one function of its arguments, run on the file pool (file and
// memory tools): the function gets copies of everything it needs and never touches the event
// loop's objects.
class PoolTool final : public Tool
{
public:
    using Work =
        std::function<ToolOutcome(const QJsonObject &arguments, const ToolContext &context)>;
    PoolTool(ToolSpec spec, Work work) : m_spec(std::move(spec)), m_work(std::move(work)) {}
    ToolSpec spec() const override { return m_spec; }
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override
    {
        return ToolTask::onPool(
            [work = m_work, arguments, context] { return work(arguments, context); });
    }

private:
    ToolSpec m_spec;
    Work m_work;
};
