#include "fileanswers.h"

#include "core/atomicfile.h"
#include "core/background.h"
#include "core/safefile.h"

#include <QDir>
#include <QFileInfo>

namespace FileAnswers {

namespace {

constexpr qint64 kMaxFileBytes = 4 * 1024 * 1024;

} // namespace

void answerOnPool(const ApiRequest &request, const Reply &reply, std::function<ApiResponse()> work)
{
    QObject *context = request.connection.data();
    if (!context)
        return;
    Background::run(context, std::move(work),
                    [reply](const ApiResponse &response) { reply(response); });
}

ApiResponse pathError(const WorkspacePaths::Resolved &resolved)
{
    return ApiResponse::fromError(ApiError::text(
        resolved.error == QLatin1String("workspace not configured") ? 500 : 400, resolved.error));
}

TextRead readText(const QString &path)
{
    TextRead read;
    const SafeFile::ReadResult file = SafeFile::read(path, kMaxFileBytes);
    read.found = file.status != SafeFile::Status::NotFound;
    if (file.status == SafeFile::Status::TooLarge)
        read.failure = ApiResponse::text(QStringLiteral("file too large (over 4 MiB)"), 413);
    else if (read.found && !file.ok())
        read.failure = ApiResponse::text(QStringLiteral("cannot read the file"), 400);
    else
        read.content = QString::fromUtf8(file.data);
    return read;
}

bool writeText(const QString &path, const QString &content, ApiResponse *failure)
{
    QString error;
    if (!QDir().mkpath(QFileInfo(path).absolutePath()) ||
        !AtomicFile::write(path, content.toUtf8(), &error)) {
        *failure = ApiResponse::text(QStringLiteral("cannot write the file"), 500);
        return false;
    }
    return true;
}

} // namespace FileAnswers
