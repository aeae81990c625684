#pragma once

#include <QString>

// Confines relative paths to a root folder (the workspace, its memory folder): no absolute
// paths, no "..", and no symlink that leads outside — checked on the real, resolved path of
// the deepest part that exists.
namespace WorkspacePaths {

struct Resolved
{
    bool ok = false;
    QString absolute; // the file inside the root
    QString clean;    // the cleaned relative path, as answers show it
    QString error;    // "invalid path", "workspace not configured", …
};

Resolved resolve(const QString &root, const QString &relative);

} // namespace WorkspacePaths
