#include "workspacecontroller.h"

#include "apiservices.h"
#include "core/atomicfile.h"
#include "core/gatewaypaths.h"
#include "core/jsonutil.h"
#include "core/workspacepaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>

namespace {

constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

ApiResponse pathError(const WorkspacePaths::Resolved &resolved)
{
    return ApiResponse::text(
        resolved.error, resolved.error == QLatin1String("workspace not configured") ? 500 : 400);
}

bool readBody(const ApiRequest &request, QJsonObject *body)
{
    QString error;
    return request.hasJsonOrNoContentType() && JsonUtil::parseObject(request.body, body, &error);
}

// Reads a text file of at most 4 MiB; false with an answer otherwise.
bool readFile(const QString &path, QString *content, ApiResponse *failure)
{
    QFile file(path);
    if (QFileInfo(path).isDir() || !file.open(QIODevice::ReadOnly)) {
        *failure = ApiResponse::text(QStringLiteral("cannot read the file"), 400);
        return false;
    }
    if (file.size() > kMaxFileBytes) {
        *failure = ApiResponse::text(QStringLiteral("file too large (over 4 MiB)"), 413);
        return false;
    }
    *content = QString::fromUtf8(file.readAll());
    return true;
}

bool writeFile(const QString &path, const QString &content, ApiResponse *failure)
{
    QString error;
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) ||
        !AtomicFile::write(path, content.toUtf8(), &error)) {
        *failure = ApiResponse::text(QStringLiteral("cannot write the file"), 500);
        return false;
    }
    return true;
}

// The path a request names: the JSON body's "path" for POST, the query's otherwise.
bool pathOf(const ApiRequest &request, QJsonObject *body, QString *relative)
{
    if (request.method == "POST") {
        if (!readBody(request, body))
            return false;
        *relative = body->value("path").toString();
    } else {
        *relative = request.queryValue(QStringLiteral("path"));
    }
    return true;
}

} // namespace

namespace WorkspaceApi {

ApiResponse memory(ApiServices &services, const ApiRequest &request)
{
    const QString workspace = GatewayPaths::workspace(*services.config);
    const QString root =
        workspace.isEmpty() ? QString() : QDir(workspace).filePath(QStringLiteral("memory"));
    if (root.isEmpty())
        return ApiResponse::text(QStringLiteral("workspace not configured"), 500);
    if (request.method == "GET" && request.queryValue(QStringLiteral("path")).isEmpty()) {
        // Listing never creates the folder: a GET writes nothing.
        const QStringList files = QDir(root).entryList(QDir::Files, QDir::Name);
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"files", QJsonArray::fromStringList(files)}});
    }
    QJsonObject body;
    QString relative;
    if (!pathOf(request, &body, &relative))
        return ApiResponse::text(QStringLiteral("invalid json"), 400);
    const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(root, relative);
    if (!resolved.ok)
        return pathError(resolved);
    ApiResponse failure;
    if (request.method == "GET") {
        if (!QFileInfo::exists(resolved.absolute))
            return ApiResponse::text(QStringLiteral("file does not exist"), 404);
        QString content;
        if (!readFile(resolved.absolute, &content, &failure))
            return failure;
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"path", resolved.clean}, {"content", content}});
    }
    if (request.method == "POST") {
        if (!writeFile(resolved.absolute, body.value("content").toString(), &failure))
            return failure;
        return ApiResponse::json(QJsonObject{{"ok", true}, {"path", resolved.clean}});
    }
    if (!QFileInfo(resolved.absolute).isFile())
        return ApiResponse::text(QStringLiteral("file does not exist"), 404);
    if (!QFile::remove(resolved.absolute))
        return ApiResponse::text(QStringLiteral("cannot delete the file"), 500);
    return ApiResponse::json(
        QJsonObject{{"ok", true}, {"deleted", true}, {"path", resolved.clean}});
}

ApiResponse workspaceFile(ApiServices &services, const ApiRequest &request)
{
    QJsonObject body;
    QString relative;
    if (!pathOf(request, &body, &relative))
        return ApiResponse::text(QStringLiteral("invalid json"), 400);
    const WorkspacePaths::Resolved resolved =
        WorkspacePaths::resolve(GatewayPaths::workspace(*services.config), relative);
    if (!resolved.ok)
        return pathError(resolved);
    ApiResponse failure;
    if (request.method == "GET") {
        QString content;
        const bool found = QFileInfo::exists(resolved.absolute);
        if (found && !readFile(resolved.absolute, &content, &failure))
            return failure;
        return ApiResponse::json(QJsonObject{
            {"ok", true}, {"path", resolved.clean}, {"found", found}, {"content", content}});
    }
    if (!writeFile(resolved.absolute, body.value("content").toString(), &failure))
        return failure;
    return ApiResponse::json(QJsonObject{{"ok", true}, {"path", resolved.clean}, {"saved", true}});
}

} // namespace WorkspaceApi
