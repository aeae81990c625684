#include "workspacefiletools.h"

#include "pooltool.h"

#include "core/atomicfile.h"
#include "core/paths.h"
#include "core/safefile.h"
#include "core/workspacepaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace {

constexpr qint64 kMaxReadBytes = 256 * 1024;
constexpr qint64 kMaxWriteBytes = 4 * 1024 * 1024;

QJsonObject schema(const QJsonObject &properties, const QStringList &required)
{
    return QJsonObject{{"type", "object"},
                       {"properties", properties},
                       {"required", QJsonArray::fromStringList(required)}};
}

QJsonObject stringProperty(const QString &description)
{
    return QJsonObject{{"type", "string"}, {"description", description}};
}

enum class Access
{
    Read,
    Write,
};

// An absolute path inside a folder the read-only tools may read besides the workspace (the
// uploads, and the config folder's skills, which the Skills Catalog points at), symlinks
// resolved; or false.
bool locateReadOnly(const QString &path, const ToolContext &context, QString *absolute)
{
    if (!QDir::isAbsolutePath(path))
        return false;
    const QStringList folders{
        context.uploadsFolder,
        context.configDir.isEmpty() ? QString() : context.configDir + QStringLiteral("/skills")};
    for (const QString &folder : folders) {
        if (folder.isEmpty())
            continue;
        const QString relative = QDir(folder).relativeFilePath(QDir::cleanPath(path));
        if (relative.isEmpty() || relative == QLatin1String(".") ||
            relative.startsWith(QLatin1String("..")) || QDir::isAbsolutePath(relative))
            continue;
        const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(folder, relative);
        if (!resolved.ok)
            continue;
        *absolute = resolved.absolute;
        return true;
    }
    return false;
}

// The file a tool may touch, or the reason it may not.
bool locate(const QJsonObject &arguments, const ToolContext &context, Access access,
            QString *absolute, QString *error, const QString &fallback = QString())
{
    QString path = arguments.value("path").toString(fallback).trimmed();
    if (path.isEmpty()) {
        *error = QStringLiteral("path is required");
        return false;
    }
    if (context.allowOutsideWorkspace && QDir::isAbsolutePath(Paths::expandHome(path))) {
        *absolute = QDir::cleanPath(Paths::expandHome(path));
        return true;
    }
    if (access == Access::Read && locateReadOnly(path, context, absolute))
        return true;
    if (path == QLatin1String("."))
        path = QString();
    if (path.isEmpty()) {
        *absolute = QDir::cleanPath(context.workspace);
        return true;
    }
    const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(context.workspace, path);
    if (!resolved.ok) {
        *error = resolved.error == QLatin1String("invalid path")
                     ? (access == Access::Read
                            ? QStringLiteral("path %1 is outside the workspace and the uploads, "
                                             "or not allowed")
                                  .arg(path)
                            : QStringLiteral("path %1 is outside the workspace or not allowed")
                                  .arg(path))
                     : resolved.error;
        return false;
    }
    *absolute = resolved.absolute;
    return true;
}

} // namespace

static ToolSpec readFileSpec()
{
    return {QStringLiteral("read_file"),
            QStringLiteral("Read a text file of the workspace. Optional offset (first line, "
                           "1-based) and limit (number of lines)."),
            schema(QJsonObject{{"path", stringProperty("File path relative to the workspace")},
                               {"offset", QJsonObject{{"type", "integer"}}},
                               {"limit", QJsonObject{{"type", "integer"}}}},
                   {"path"})};
}

static ToolOutcome readFile(const QJsonObject &arguments, const ToolContext &context)
{
    QString path;
    QString error;
    if (!locate(arguments, context, Access::Read, &path, &error))
        return ToolOutcome::fail(error);
    const QString shown = arguments.value("path").toString();
    const SafeFile::ReadResult file = SafeFile::read(path, kMaxReadBytes, true);
    if (file.status == SafeFile::Status::IsDirectory)
        return ToolOutcome::fail(QStringLiteral("%1 is a folder; use list_dir").arg(shown));
    if (!file.ok())
        return ToolOutcome::fail(
            QStringLiteral("cannot read %1: %2").arg(shown, SafeFile::describe(file.status)));
    QString text = QString::fromUtf8(file.data);
    const int offset = qMax(1, arguments.value("offset").toInt(1));
    const int limit = arguments.value("limit").toInt(0);
    if (offset > 1 || limit > 0) {
        const QStringList lines = text.split(QLatin1Char('\n'));
        text = lines.mid(offset - 1, limit > 0 ? limit : -1).join(QLatin1Char('\n'));
    }
    if (file.size > kMaxReadBytes)
        text += QStringLiteral("\n[truncated: the file is larger than %1 KiB]")
                    .arg(kMaxReadBytes / 1024);
    return ToolOutcome::ok(text);
}

static ToolSpec writeFileSpec()
{
    return {QStringLiteral("write_file"),
            QStringLiteral("Create or replace a text file in the workspace (folders are created)."),
            schema(QJsonObject{{"path", stringProperty("File path relative to the workspace")},
                               {"content", stringProperty("The complete new content")}},
                   {"path", "content"})};
}

static ToolOutcome writeFile(const QJsonObject &arguments, const ToolContext &context)
{
    QString path;
    QString error;
    if (!locate(arguments, context, Access::Write, &path, &error))
        return (ToolOutcome::fail(error));
    if (!arguments.value("content").isString())
        return (ToolOutcome::fail(QStringLiteral("content is required")));
    const QByteArray content = arguments.value("content").toString().toUtf8();
    if (content.size() > kMaxWriteBytes)
        return (ToolOutcome::fail(QStringLiteral("content is larger than 4 MiB")));
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return (ToolOutcome::fail(QStringLiteral("cannot create the folder of %1")
                                      .arg(arguments.value("path").toString())));
    if (!AtomicFile::write(path, content, &error))
        return (ToolOutcome::fail(
            QStringLiteral("cannot write %1").arg(arguments.value("path").toString())));
    return (ToolOutcome::ok(QStringLiteral("Wrote %1 bytes to %2")
                                .arg(content.size())
                                .arg(arguments.value("path").toString())));
}

static ToolSpec editFileSpec()
{
    return {
        QStringLiteral("edit_file"),
        QStringLiteral(
            "Replace one exact occurrence of old_text with new_text in a workspace file."),
        schema(QJsonObject{{"path", stringProperty("File path relative to the workspace")},
                           {"old_text", stringProperty("Text to replace; must occur exactly once")},
                           {"new_text", stringProperty("Replacement text")}},
               {"path", "old_text", "new_text"})};
}

static ToolOutcome editFile(const QJsonObject &arguments, const ToolContext &context)
{
    QString path;
    QString error;
    if (!locate(arguments, context, Access::Write, &path, &error))
        return (ToolOutcome::fail(error));
    const QString oldText = arguments.value("old_text").toString();
    if (oldText.isEmpty())
        return (ToolOutcome::fail(QStringLiteral("old_text is required")));
    const SafeFile::ReadResult file = SafeFile::read(path, kMaxWriteBytes);
    if (file.status == SafeFile::Status::TooLarge)
        return (ToolOutcome::fail(QStringLiteral("the file is larger than 4 MiB")));
    if (!file.ok())
        return (ToolOutcome::fail(
            QStringLiteral("cannot read %1: %2")
                .arg(arguments.value("path").toString(), SafeFile::describe(file.status))));
    QString text = QString::fromUtf8(file.data);
    const qsizetype count = text.count(oldText);
    if (count == 0)
        return (ToolOutcome::fail(QStringLiteral("old_text was not found in %1")
                                      .arg(arguments.value("path").toString())));
    if (count > 1)
        return (ToolOutcome::fail(
            QStringLiteral("old_text occurs %1 times in %2; give more context so it is unique")
                .arg(count)
                .arg(arguments.value("path").toString())));
    text.replace(text.indexOf(oldText), oldText.size(), arguments.value("new_text").toString());
    if (!AtomicFile::write(path, text.toUtf8(), &error))
        return (ToolOutcome::fail(
            QStringLiteral("cannot write %1").arg(arguments.value("path").toString())));
    return (ToolOutcome::ok(QStringLiteral("Edited %1").arg(arguments.value("path").toString())));
}

static ToolSpec listDirSpec()
{
    return {
        QStringLiteral("list_dir"),
        QStringLiteral("List a folder of the workspace (default: its root). Folders end with /."),
        schema(QJsonObject{{"path", stringProperty("Folder relative to the workspace")}}, {})};
}

static ToolOutcome listDir(const QJsonObject &arguments, const ToolContext &context)
{
    QString path;
    QString error;
    if (!locate(arguments, context, Access::Read, &path, &error, QStringLiteral(".")))
        return (ToolOutcome::fail(error));
    QDir dir(path);
    if (!dir.exists())
        return (ToolOutcome::fail(QStringLiteral("folder %1 does not exist")
                                      .arg(arguments.value("path").toString(QStringLiteral(".")))));
    const QFileInfoList entries = dir.entryInfoList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::DirsFirst | QDir::Name);
    QStringList lines;
    for (const QFileInfo &entry : entries) {
        if (lines.size() >= 500) {
            lines << QStringLiteral("[… %1 more entries]").arg(entries.size() - 500);
            break;
        }
        lines << (entry.isDir()
                      ? entry.fileName() + QLatin1Char('/')
                      : QStringLiteral("%1 (%2 bytes)").arg(entry.fileName()).arg(entry.size()));
    }
    return (ToolOutcome::ok(lines.isEmpty() ? QStringLiteral("(empty)")
                                            : lines.join(QLatin1Char('\n'))));
}

namespace WorkspaceFileTools {

std::unique_ptr<Tool> readFileTool()
{
    return std::make_unique<PoolTool>(readFileSpec(), &readFile);
}

std::unique_ptr<Tool> writeFileTool()
{
    return std::make_unique<PoolTool>(writeFileSpec(), &writeFile);
}

std::unique_ptr<Tool> editFileTool()
{
    return std::make_unique<PoolTool>(editFileSpec(), &editFile);
}

std::unique_ptr<Tool> listDirTool()
{
    return std::make_unique<PoolTool>(listDirSpec(), &listDir);
}

} // namespace WorkspaceFileTools
