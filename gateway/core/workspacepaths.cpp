#include "workspacepaths.h"

#include <QDir>
#include <QFileInfo>

namespace WorkspacePaths {

Resolved resolve(const QString &rootIn, const QString &relative)
{
    Resolved result;
    const QString root = rootIn.trimmed();
    if (root.isEmpty()) {
        result.error = QStringLiteral("workspace not configured");
        return result;
    }
    const QString input = relative.trimmed();
    const QString clean = QDir::cleanPath(input);
    if (input.isEmpty() || clean == QLatin1String(".") || clean.startsWith(QLatin1String("..")) ||
        QDir::isAbsolutePath(input) || input.contains(QChar(0)) ||
        input.startsWith(QLatin1Char('~'))) {
        result.error = QStringLiteral("invalid path");
        return result;
    }
    const QString cleanRoot = QDir::cleanPath(QFileInfo(root).absoluteFilePath());
    const QString joined = QDir::cleanPath(cleanRoot + QLatin1Char('/') + clean);
    if (!joined.startsWith(cleanRoot + QLatin1Char('/'))) {
        result.error = QStringLiteral("invalid path");
        return result;
    }
    // Resolve symlinks on the part that exists: it must still be inside the (resolved) root.
    const QString realRoot = QFileInfo(cleanRoot).canonicalFilePath();
    QString existing = joined;
    while (!existing.isEmpty() && !QFileInfo::exists(existing) && existing != cleanRoot)
        existing = QFileInfo(existing).absolutePath();
    if (!realRoot.isEmpty() && QFileInfo::exists(existing)) {
        const QString realExisting = QFileInfo(existing).canonicalFilePath();
        if (realExisting != realRoot && !realExisting.startsWith(realRoot + QLatin1Char('/'))) {
            result.error = QStringLiteral("invalid path");
            return result;
        }
    }
    // A dangling symlink as the target itself would be followed on write: refuse it.
    if (QFileInfo(joined).isSymLink() && !QFileInfo::exists(joined)) {
        result.error = QStringLiteral("invalid path");
        return result;
    }
    result.ok = true;
    result.absolute = joined;
    result.clean = clean;
    return result;
}

} // namespace WorkspacePaths
