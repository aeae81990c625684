#include "mcpcontroller.h"

#include "agent/agentruntime.h"
#include "apiservices.h"
#include "core/background.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/processrun.h"

#include <QDir>
#include <QFileInfo>
#include <QPointer>
#include <QRegularExpression>
#include <QStandardPaths>

namespace {

constexpr int kInstallTimeoutMs = 10 * 60 * 1000;

// The binary a package installs, as clawgo guesses it: `@scope/foo-mcp` → `foo-mcp`.
QString binaryName(const QString &package)
{
    QString name = package;
    if (name.startsWith(QLatin1Char('@')))
        name.remove(0, 1);
    return name.mid(name.lastIndexOf(QLatin1Char('/')) + 1);
}

QString findBinary(const QString &name)
{
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty())
        found = QStandardPaths::findExecutable(
            name, {QDir::homePath() + QStringLiteral("/.local/bin"),
                   QStringLiteral("/usr/local/bin"), QStringLiteral("/opt/homebrew/bin")});
    return found;
}

ApiResponse failed(const QString &output, const QString &error)
{
    return ApiResponse::text((output.trimmed() + QLatin1Char('\n') + error).trimmed(), 500);
}

} // namespace

namespace McpApi {

void install(ApiServices &services, const ApiRequest &request, Reply reply)
{
    QJsonObject body;
    QString parseError;
    if (!JsonUtil::parseObject(request.body, &body, &parseError))
        throw ApiError::text(400, QStringLiteral("invalid json"));
    const QString package = body.value("package").toString().trimmed();
    if (package.isEmpty())
        throw ApiError::text(400, QStringLiteral("package required"));
    // A package name, never an option or a shell word (no shell runs it here anyway).
    if (package.startsWith(QLatin1Char('-')) || package.size() > 214 ||
        package.contains(QRegularExpression(QStringLiteral("[\\s\"'`$;&|<>\\\\]"))))
        throw ApiError::text(400, QStringLiteral("invalid package name"));
    QString installer = body.value("installer").toString().trimmed().toLower();
    if (installer.isEmpty())
        installer = QStringLiteral("uv");
    if (installer != QLatin1String("uv") && installer != QLatin1String("bun"))
        return reply(failed(QString(), QStringLiteral("unsupported installer: %1").arg(installer)));
    QPointer<QObject> client(request.connection.data());
    if (!client)
        return;
    QObject *owner = services.agent;
    // Looking for the installer reads the disk: on the pool.
    Background::run(
        client, [installer] { return findBinary(installer); },
        [owner, client, reply, installer, package](const QString &program) {
            if (program.isEmpty())
                return reply(failed(QString(), QStringLiteral("%1 is not installed; install %1 "
                                                              "first to auto-install %2")
                                                   .arg(installer, package)));
            ProcessRun::Options options;
            options.program = program;
            options.arguments =
                installer == QLatin1String("uv")
                    ? QStringList{QStringLiteral("tool"), QStringLiteral("install"), package}
                    : QStringList{QStringLiteral("add"), QStringLiteral("-g"), package};
            options.workingDirectory = QDir::homePath();
            options.timeoutMs = kInstallTimeoutMs;
            qCInfo(lcTools).noquote() << "installing MCP package" << package << "with" << installer;
            ProcessRun::start(
                owner, client, options,
                [owner, reply, installer, package](const ProcessRun::Result &run) {
                    const QString output = QString::fromUtf8(run.output).trimmed();
                    if (!run.error.isEmpty())
                        return reply(failed(output, run.error));
                    const QString bin = binaryName(package);
                    QObject *context = owner;
                    Background::run(
                        context, [bin] { return findBinary(bin); },
                        [reply, installer, package, output, bin](const QString &path) {
                            if (path.isEmpty())
                                return reply(failed(
                                    output, QStringLiteral("installed %1 but binary \"%2\" not "
                                                           "found in PATH")
                                                .arg(package, bin)));
                            reply(ApiResponse::json(QJsonObject{
                                {"ok", true},
                                {"package", package},
                                {"output", QStringLiteral("%1\ninstalled %2 via %3\nresolved "
                                                          "binary: %4")
                                               .arg(output, package, installer, path)
                                               .trimmed()},
                                {"bin_name", bin},
                                {"bin_path", path}}));
                        });
                });
        });
}

} // namespace McpApi
