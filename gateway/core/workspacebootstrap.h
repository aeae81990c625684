#pragma once

#include <QString>

namespace WorkspaceBootstrap {

// Creates the workspace folder (0700) and copies our template files into it, never
// overwriting a file the user already has. Returns the number of files written.
int ensureWorkspace(const QString &workspacePath, QString *error);

} // namespace WorkspaceBootstrap
