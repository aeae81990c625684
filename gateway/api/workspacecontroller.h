#pragma once

#include <functional>

class QString;
class Router;

// /api/memory (files of <workspace>/memory) and /api/workspace_file (any file of the
// workspace): relative paths only, confined to their root, symlinks included.
class WorkspaceController
{
public:
    using WorkspaceSource = std::function<QString()>;
    WorkspaceController(Router *router, WorkspaceSource workspace);
};
