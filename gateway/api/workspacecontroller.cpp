#include "workspacecontroller.h"

#include "apiservices.h"
#include "core/atomicfile.h"
#include "core/background.h"
#include "core/gatewaypaths.h"
#include "core/jsonutil.h"
#include "core/safefile.h"
#include "core/workspacepaths.h"
#include "fileanswers.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <optional>

namespace {

using namespace FileAnswers;

// What a request asks for, read on the event loop (cheap); the file work runs on the pool.
struct FileRequest
{
    QByteArray method;
    QString root;     // the folder paths are confined to
    QString relative; // as the client sent it
    QString content;  // POST
    bool list = false;
};

// The path a request names: the JSON body's "path" for POST, the query's otherwise.
FileRequest parse(const ApiRequest &request, const QString &root)
{
    FileRequest parsed;
    parsed.method = request.method;
    parsed.root = root;
    if (request.method == "POST") {
        QJsonObject body;
        QString error;
        if (!request.hasJsonOrNoContentType() ||
            !JsonUtil::parseObject(request.body, &body, &error))
            throw ApiError::text(400, QStringLiteral("invalid json"));
        parsed.relative = body.value("path").toString();
        parsed.content = body.value("content").toString();
    } else {
        parsed.relative = request.queryValue(QStringLiteral("path"));
    }
    return parsed;
}

ApiResponse memoryWork(const FileRequest &request)
{
    if (request.list) {
        // Listing never creates the folder: a GET writes nothing.
        const QStringList files = QDir(request.root).entryList(QDir::Files, QDir::Name);
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"files", QJsonArray::fromStringList(files)}});
    }
    const WorkspacePaths::Resolved resolved =
        WorkspacePaths::resolve(request.root, request.relative);
    if (!resolved.ok)
        return pathError(resolved);
    ApiResponse failure;
    if (request.method == "GET") {
        const TextRead read = readText(resolved.absolute);
        if (!read.found)
            return ApiResponse::text(QStringLiteral("file does not exist"), 404);
        if (read.failure)
            return *read.failure;
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"path", resolved.clean}, {"content", read.content}});
    }
    if (request.method == "POST") {
        if (!writeText(resolved.absolute, request.content, &failure))
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

ApiResponse workspaceFileWork(const FileRequest &request)
{
    const WorkspacePaths::Resolved resolved =
        WorkspacePaths::resolve(request.root, request.relative);
    if (!resolved.ok)
        return pathError(resolved);
    if (request.method == "GET") {
        const TextRead read = readText(resolved.absolute);
        if (read.failure)
            return *read.failure;
        return ApiResponse::json(QJsonObject{{"ok", true},
                                             {"path", resolved.clean},
                                             {"found", read.found},
                                             {"content", read.content}});
    }
    ApiResponse failure;
    if (!writeText(resolved.absolute, request.content, &failure))
        return failure;
    return ApiResponse::json(QJsonObject{{"ok", true}, {"path", resolved.clean}, {"saved", true}});
}

} // namespace

namespace WorkspaceApi {

void memory(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const QString workspace = GatewayPaths::workspace(*services.config);
    if (workspace.isEmpty())
        throw ApiError::text(500, QStringLiteral("workspace not configured"));
    const QString root = QDir(workspace).filePath(QStringLiteral("memory"));
    FileRequest parsed;
    if (request.method == "GET" && request.queryValue(QStringLiteral("path")).isEmpty()) {
        parsed.method = request.method;
        parsed.root = root;
        parsed.list = true;
    } else {
        parsed = parse(request, root);
    }
    answerOnPool(request, reply, [parsed] { return memoryWork(parsed); });
}

void workspaceFile(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const FileRequest parsed = parse(request, GatewayPaths::workspace(*services.config));
    answerOnPool(request, reply, [parsed] { return workspaceFileWork(parsed); });
}

} // namespace WorkspaceApi
