#include "tool.h"

#include "crontools.h"
#include "exectool.h"
#include "memorytools.h"
#include "webfetchtool.h"
#include "workspacefiletools.h"

void ToolRegistry::add(std::unique_ptr<Tool> tool)
{
    const QString name = tool->spec().name;
    m_tools[name] = std::move(tool);
}

Tool *ToolRegistry::find(const QString &name) const
{
    auto it = m_tools.find(name);
    return it == m_tools.end() ? nullptr : it->second.get();
}

QList<ToolSpec> ToolRegistry::specs() const
{
    QList<ToolSpec> specs;
    for (const auto &entry : m_tools)
        specs.append(entry.second->spec());
    return specs;
}

std::unique_ptr<ToolRegistry> ToolRegistry::builtIn(const ToolContext &context)
{
    auto registry = std::make_unique<ToolRegistry>();
    registry->add(WorkspaceFileTools::readFileTool());
    registry->add(WorkspaceFileTools::writeFileTool());
    registry->add(WorkspaceFileTools::editFileTool());
    registry->add(WorkspaceFileTools::listDirTool());
    if (context.shellEnabled) { // both run programs: off with the shell
        registry->add(std::make_unique<ExecTool>());
        registry->add(std::make_unique<SkillExecTool>());
    }
    registry->add(std::make_unique<WebFetchTool>());
    registry->add(MemoryTools::memorySearchTool());
    registry->add(MemoryTools::memoryGetTool());
    registry->add(MemoryTools::memoryWriteTool());
    registry->add(CronTools::cronTool());
    registry->add(CronTools::remindTool());
    return registry;
}
