#include "workspacebootstrap.h"

#include "logcategories.h"
#include "paths.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

// The templates live in a resource of this static library, which must be registered by hand.
static void initTemplates()
{
    Q_INIT_RESOURCE(workspace);
}

namespace WorkspaceBootstrap {

int ensureWorkspace(const QString &workspacePath, QString *error)
{
    if (workspacePath.trimmed().isEmpty()) {
        *error = QStringLiteral("workspace is not configured");
        return -1;
    }
    if (!Paths::makePrivateDir(workspacePath, error))
        return -1;
    Paths::makePrivateDir(workspacePath + QStringLiteral("/memory"));
    initTemplates();
    int written = 0;
    QDirIterator templates(QStringLiteral(":/workspace"), QDir::Files);
    while (templates.hasNext()) {
        templates.next();
        const QString target = QDir(workspacePath).filePath(templates.fileName());
        if (QFile::exists(target))
            continue;
        if (QFile::copy(templates.filePath(), target)) {
            QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
            ++written;
        } else {
            qCWarning(lcConfig).noquote() << "could not create" << target;
        }
    }
    return written;
}

} // namespace WorkspaceBootstrap
