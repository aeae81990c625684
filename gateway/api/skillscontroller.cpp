#include "skillscontroller.h"

#include "agent/agentruntime.h"
#include "apiservices.h"
#include "core/background.h"
#include "core/gatewaypaths.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/processrun.h"
#include "core/safefile.h"
#include "fileanswers.h"
#include "http/multipartparser.h"
#include "skills/skillarchive.h"
#include "skills/skillcatalog.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <optional>

namespace {

using namespace FileAnswers;

constexpr int kInstallTimeoutMs = 5 * 60 * 1000;
constexpr qint64 kInstallOutputCap = 256 * 1024;
constexpr int kMostFilesListed = 5000;

QString clawhubPath()
{
    const QString found = QStandardPaths::findExecutable(QStringLiteral("clawhub"));
    if (!found.isEmpty())
        return found;
    for (const char *path : {"/usr/local/bin/clawhub", "/opt/homebrew/bin/clawhub"})
        if (QFileInfo(QLatin1String(path)).isFile())
            return QString::fromLatin1(path);
    return QString();
}

// SKILL.md's parts as the API shows them (the reference's rules, trimmed).
struct SkillMeta
{
    QString description;
    QStringList tools;
    QString systemPrompt;
};

SkillMeta readMeta(const QString &skillMd)
{
    SkillMeta meta;
    const TextRead read = readText(skillMd);
    if (!read.found || read.failure)
        return meta;
    QString text = read.content;
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    static const QRegularExpression description(QStringLiteral("^description:\\s*(.+)$"),
                                                QRegularExpression::MultilineOption);
    meta.description = description.match(text).captured(1).trimmed();
    static const QRegularExpression toolsHeading(QStringLiteral("^##\\s*Tools\\s*$"),
                                                 QRegularExpression::MultilineOption);
    static const QRegularExpression promptHeading(QStringLiteral("^##\\s*System Prompt\\s*$"),
                                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch tools = toolsHeading.match(text);
    const QRegularExpressionMatch prompt = promptHeading.match(text);
    if (tools.hasMatch()) {
        const qsizetype end = prompt.hasMatch() && prompt.capturedStart() > tools.capturedEnd()
                                  ? prompt.capturedStart()
                                  : text.size();
        for (QString line :
             text.mid(tools.capturedEnd(), end - tools.capturedEnd()).split(QLatin1Char('\n'))) {
            line = line.trimmed();
            if (line.startsWith(QLatin1Char('-')))
                line = line.mid(1).trimmed();
            if (!line.isEmpty())
                meta.tools << line;
        }
    }
    if (prompt.hasMatch())
        meta.systemPrompt = text.mid(prompt.capturedEnd()).trimmed();
    return meta;
}

// The folder of a skill, enabled or disabled; empty when it has none.
QString resolveSkill(const QString &skillsDir, const QString &name)
{
    for (const QString &candidate : {name, name + QStringLiteral(".disabled")}) {
        const QFileInfo info(skillsDir + QLatin1Char('/') + candidate);
        if (info.isDir() && !info.isSymLink())
            return info.absoluteFilePath();
    }
    return QString();
}

QJsonObject listAnswer(const QString &skillsDir)
{
    QJsonArray skills;
    QSet<QString> seen;
    const QFileInfoList entries =
        QDir(skillsDir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &entry : entries) {
        if (entry.isSymLink())
            continue;
        const QString folder = entry.fileName();
        const bool enabled = !folder.endsWith(QLatin1String(".disabled"));
        const QString base = enabled ? folder : folder.chopped(int(strlen(".disabled")));
        if (!SkillCatalog::isValidName(base) || seen.contains(base))
            continue;
        seen.insert(base);
        const SkillMeta meta = readMeta(entry.absoluteFilePath() + QStringLiteral("/SKILL.md"));
        QJsonObject item{{"id", base},
                         {"name", base},
                         {"description", meta.description},
                         {"tools", QJsonArray::fromStringList(meta.tools)},
                         {"enabled", enabled},
                         {"update_checked", false},
                         {"source", skillsDir}};
        if (!meta.systemPrompt.isEmpty())
            item.insert("system_prompt", meta.systemPrompt);
        skills.append(item);
    }
    const QString clawhub = clawhubPath();
    return QJsonObject{{"ok", true},
                       {"skills", skills},
                       {"source", "clawhub"},
                       {"clawhub_installed", !clawhub.isEmpty()},
                       {"clawhub_path", clawhub}};
}

// The first object in a ClawHub answer whose name (or id) holds `skill`.
std::optional<QJsonObject> findRemote(const QJsonValue &value, const QString &skill)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QString name = object.value("name").toString();
        if (name.isEmpty())
            name = object.value("id").toString();
        if (!name.isEmpty() && name.toLower().contains(skill.toLower()))
            return object;
        for (const QJsonValue &child : object)
            if (auto found = findRemote(child, skill))
                return found;
    } else if (value.isArray()) {
        for (const QJsonValue &child : value.toArray())
            if (auto found = findRemote(child, skill))
                return found;
    }
    return std::nullopt;
}

// check_updates=1: `clawhub search <name> --json` for every skill, a few at a time, each with
// 8 s; the answer goes out once all are back. Processes, never the event loop's time.
class UpdateCheck : public QObject
{
public:
    UpdateCheck(QObject *parent, QObject *client, const QString &clawhub, QJsonObject answer,
                Reply reply)
        : QObject(parent), m_client(client), m_clawhub(clawhub), m_answer(std::move(answer)),
          m_skills(m_answer.value("skills").toArray()), m_reply(std::move(reply))
    {
        for (qsizetype i = 0; i < m_skills.size(); ++i)
            m_waiting << i;
        next();
    }

private:
    static constexpr int kParallel = 4;
    static constexpr int kTimeoutMs = 8000;

    void next()
    {
        if (!m_client) // the client left: what runs is stopped, nothing more starts
            m_waiting.clear();
        while (m_running < kParallel && !m_waiting.isEmpty())
            start(m_waiting.takeFirst());
        if (m_running == 0 && m_waiting.isEmpty()) {
            m_answer.insert("skills", m_skills);
            m_reply(ApiResponse::json(m_answer));
            deleteLater();
        }
    }

    void start(qsizetype index)
    {
        ++m_running;
        const QString name = m_skills.at(index).toObject().value("name").toString();
        ProcessRun::Options options;
        options.program = m_clawhub;
        options.arguments = {QStringLiteral("search"), name, QStringLiteral("--json")};
        options.timeoutMs = kTimeoutMs;
        options.mergeChannels = false; // the JSON alone
        ProcessRun::start(
            this, m_client, options, [this, index, name](const ProcessRun::Result &run) {
                QJsonObject item = m_skills.at(index).toObject();
                item.insert("update_checked", true);
                const QJsonDocument json = QJsonDocument::fromJson(run.output);
                if (!run.error.isEmpty()) {
                    item.insert("check_error", run.error.startsWith(QLatin1String("exit status"))
                                                   ? QStringLiteral("clawhub %1").arg(run.error)
                                                   : run.error);
                } else if (json.isNull()) {
                    item.insert("check_error", QStringLiteral("clawhub answered no JSON"));
                } else if (auto remote = findRemote(json.isArray() ? QJsonValue(json.array())
                                                                   : QJsonValue(json.object()),
                                                    name)) {
                    item.insert("remote_found", true);
                    const QJsonValue version = remote->contains("version")
                                                   ? remote->value("version")
                                                   : remote->value("latest_version");
                    item.insert("remote_version", version.toVariant().toString());
                } else {
                    item.insert("remote_found", false);
                }
                m_skills.replace(index, item);
                --m_running;
                next();
            });
    }

    QPointer<QObject> m_client;
    QString m_clawhub;
    QJsonObject m_answer;
    QJsonArray m_skills;
    Reply m_reply;
    QList<qsizetype> m_waiting;
    int m_running = 0;
};

ApiResponse listFiles(const QString &skillDir, const QString &id)
{
    QStringList files;
    QDirIterator it(skillDir, QDir::Files | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories); // symlinked folders are not followed
    while (it.hasNext() && files.size() < kMostFilesListed) {
        it.next();
        files << QDir(skillDir).relativeFilePath(it.filePath());
    }
    files.sort();
    return ApiResponse::json(
        QJsonObject{{"ok", true},
                    {"id", id},
                    {"files", files.isEmpty() ? QJsonValue() : QJsonArray::fromStringList(files)}});
}

QString skillMdText(const QString &name, const QString &descriptionIn, const QStringList &tools,
                    const QString &systemPrompt)
{
    const QString description = descriptionIn.trimmed().isEmpty()
                                    ? QStringLiteral("No description provided.")
                                    : descriptionIn;
    QStringList toolLines;
    for (const QString &tool : tools)
        toolLines << QStringLiteral("- ") + tool;
    if (toolLines.isEmpty())
        toolLines << QStringLiteral("- (none)");
    return QStringLiteral("---\nname: %1\ndescription: %2\n---\n\n# %1\n\n%2\n\n## Tools\n%3\n\n"
                          "## System Prompt\n%4\n")
        .arg(name, description, toolLines.join(QLatin1Char('\n')), systemPrompt);
}

QStringList toolsOf(const QJsonValue &value)
{
    QStringList raw;
    if (value.isArray())
        for (const QJsonValue &tool : value.toArray())
            raw << tool.toString();
    else
        raw = value.toString().split(QLatin1Char(','));
    QStringList tools;
    for (const QString &tool : std::as_const(raw))
        if (!tool.trimmed().isEmpty() && !tools.contains(tool.trimmed()))
            tools << tool.trimmed();
    return tools;
}

// Removes a skill folder; a symlink is removed as a link, never followed.
// Removes a skill folder; a symlink is removed as a link, never followed. The entry is first
// renamed to a private name (a rename never follows a link), so what is removed is what was
// looked at, even if someone swaps it meanwhile.
bool removeFolder(const QString &skillsDir, const QString &path)
{
    if (!QFileInfo(path).isSymLink() && !QFileInfo(path).isDir())
        return false; // nothing, or a file: not a skill
    const QString aside = skillsDir + QStringLiteral("/.delete-") +
                          QString::number(QDateTime::currentMSecsSinceEpoch(), 36) +
                          QLatin1Char('-') + QFileInfo(path).fileName();
    if (!QDir().rename(path, aside))
        return false;
    const QFileInfo moved(aside);
    if (moved.isSymLink() || !moved.isDir())
        return QFile::remove(aside);
    return QDir(aside).removeRecursively();
}

// `clawhub install <name>` in the workspace, answered once it is over.
void install(ApiServices &services, const ApiRequest &request, const Reply &reply,
             const QString &clawhub, const QString &workspace, const QString &name, bool force)
{
    ProcessRun::Options options;
    options.program = clawhub;
    options.arguments = {QStringLiteral("install"), name};
    if (force)
        options.arguments << QStringLiteral("--force");
    options.workingDirectory = workspace;
    options.timeoutMs = kInstallTimeoutMs;
    options.outputCap = kInstallOutputCap;
    qCInfo(lcSkills).noquote() << "clawhub install" << name << (force ? "--force" : "");
    ProcessRun::start(services.agent, request.connection.data(), options,
                      [reply, name](const ProcessRun::Result &run) {
                          const QString text = QString::fromUtf8(run.output);
                          if (run.error.isEmpty())
                              return reply(ApiResponse::json(QJsonObject{
                                  {"ok", true}, {"installed", name}, {"output", text}}));
                          const QString lower = text.toLower();
                          if (lower.contains(QLatin1String("rate limit exceeded")) ||
                              lower.contains(QLatin1String("too many requests")))
                              return reply(ApiResponse::text(
                                  QStringLiteral("clawhub rate limit exceeded. please retry later "
                                                 "or configure auth token.\n") +
                                      text,
                                  429));
                          reply(ApiResponse::text(
                              QStringLiteral("install failed: %1\n%2").arg(run.error, text), 500));
                      });
}

bool truthy(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble())
        return value.toDouble() != 0;
    const QString text = value.toString().trimmed().toLower();
    return text == QLatin1String("true") || text == QLatin1String("1") ||
           text == QLatin1String("yes") || text == QLatin1String("on");
}

ApiResponse jsonAction(const QString &skillsDir, const QJsonObject &body, const QString &action,
                       const QString &name)
{
    const QString enabledPath = skillsDir + QLatin1Char('/') + name;
    const QString disabledPath = enabledPath + QStringLiteral(".disabled");
    if (action == QLatin1String("enable") || action == QLatin1String("disable")) {
        const bool enable = action == QLatin1String("enable");
        const QString from = enable ? disabledPath : enabledPath;
        const QString to = enable ? enabledPath : disabledPath;
        if (QFileInfo::exists(from)) {
            if (QFileInfo::exists(to))
                return ApiResponse::text(
                    QStringLiteral("both %1 and %1.disabled exist: remove one first").arg(name),
                    409);
            if (!QDir().rename(from, to))
                return ApiResponse::text(QStringLiteral("cannot rename the skill folder"), 500);
        }
        return ApiResponse::json(QJsonObject{{"ok", true}});
    }
    if (action == QLatin1String("write_file")) {
        const QString skillDir = resolveSkill(skillsDir, name);
        if (skillDir.isEmpty())
            return ApiResponse::text(QStringLiteral("skill not found: %1").arg(name), 404);
        const WorkspacePaths::Resolved file =
            WorkspacePaths::resolve(skillDir, body.value("file").toString());
        if (!file.ok)
            return pathError(file);
        ApiResponse failure;
        if (!writeText(file.absolute, body.value("content").toString(), &failure))
            return failure;
        return ApiResponse::json(QJsonObject{{"ok", true}, {"name", name}, {"file", file.clean}});
    }
    if (action == QLatin1String("create") || action == QLatin1String("update")) {
        const bool create = action == QLatin1String("create");
        if (create && (QFileInfo::exists(enabledPath) || QFileInfo::exists(disabledPath)))
            return ApiResponse::text(QStringLiteral("skill already exists"), 400);
        // update: a disabled skill is updated where it is (the reference made a second,
        // enabled copy).
        QString folder = enabledPath;
        if (!create && !QFileInfo::exists(enabledPath) && QFileInfo::exists(disabledPath))
            folder = disabledPath;
        if (QFileInfo(folder).isSymLink()) // never written through a link out of skills/
            return ApiResponse::text(QStringLiteral("skill %1 is a symbolic link").arg(name), 400);
        if (!QDir().mkpath(folder + QStringLiteral("/scripts")))
            return ApiResponse::text(QStringLiteral("cannot create the skill folder"), 500);
        ApiResponse failure;
        if (!writeText(folder + QStringLiteral("/SKILL.md"),
                       skillMdText(name, body.value("description").toString(),
                                   toolsOf(body.value("tools")),
                                   body.value("system_prompt").toString()),
                       &failure))
            return failure;
        return ApiResponse::json(QJsonObject{{"ok", true}});
    }
    return ApiResponse::text(QStringLiteral("unsupported action"), 400);
}

// POST multipart: the `file` field is an archive of skills. The body is in memory (the
// server's body limit bounds it); it is written to a temporary file and imported on the pool.
void importArchive(const ApiRequest &request, const Reply &reply, const QString &skillsDir)
{
    const QByteArray boundary = MultipartParser::boundaryOf(request.header("content-type"));
    if (boundary.isEmpty())
        throw ApiError::text(400, QStringLiteral("malformed multipart body"));
    struct Upload
    {
        QByteArray name;
        QByteArray data;
        bool inFile = false;
        bool found = false;
    };
    auto upload = std::make_shared<Upload>();
    MultipartParser parser(boundary);
    parser.onPartBegin = [upload](const MultipartParser::PartHeaders &headers) {
        upload->inFile = headers.name == "file" && !upload->found;
        if (upload->inFile) {
            upload->found = true;
            upload->name = headers.filename;
        }
        return true;
    };
    parser.onPartData = [upload](const QByteArray &bytes) {
        if (upload->inFile)
            upload->data.append(bytes);
        return true;
    };
    parser.onPartEnd = [upload] {
        upload->inFile = false;
        return true;
    };
    if (!parser.feed(request.body) || !parser.finished())
        throw ApiError::text(400, QStringLiteral("malformed multipart body"));
    if (!upload->found)
        throw ApiError::text(400, QStringLiteral("file required"));
    const QString clientName = QFileInfo(QString::fromUtf8(upload->name)).fileName();
    answerOnPool(request, reply, [upload, clientName, skillsDir] {
        QTemporaryFile file(QDir::tempPath() + QStringLiteral("/clawgo-skill-XXXXXX"));
        if (!file.open() || file.write(upload->data) != upload->data.size() || !file.flush())
            return ApiResponse::text(QStringLiteral("cannot store the upload"), 500);
        const SkillArchive::Result result =
            SkillArchive::import(file.fileName(), clientName, skillsDir);
        if (result.status != 200)
            return ApiResponse::text(result.error, result.status);
        qCInfo(lcSkills).noquote()
            << "imported skills" << result.imported.join(QLatin1String(", "));
        return ApiResponse::json(
            QJsonObject{{"ok", true}, {"imported", QJsonArray::fromStringList(result.imported)}});
    });
}

} // namespace

namespace SkillsApi {

void skills(ApiServices &services, const ApiRequest &request, Reply reply)
{
    const QString workspace = GatewayPaths::workspace(*services.config);
    if (workspace.trimmed().isEmpty())
        throw ApiError::text(500, QStringLiteral("workspace not configured"));
    const QString skillsDir = QDir::cleanPath(workspace + QStringLiteral("/skills"));
    const auto invalidName = [] {
        return ApiError::text(400, QStringLiteral("invalid skill name"));
    };

    if (request.method == "GET") {
        const QString id = request.queryValue(QStringLiteral("id"));
        const bool files = request.queryValue(QStringLiteral("files")) == QLatin1String("1");
        const QString file = request.queryValue(QStringLiteral("file"));
        if (!id.isEmpty() && (files || !file.isEmpty()) && !SkillCatalog::isValidName(id))
            throw invalidName();
        const bool checkUpdates =
            request.queryValue(QStringLiteral("check_updates")) == QLatin1String("1");
        if ((id.isEmpty() || (!files && file.isEmpty())) && checkUpdates) {
            // The list on the pool, then ClawHub's answers through processes.
            QPointer<QObject> client(request.connection.data());
            if (!client)
                return;
            QObject *owner = services.agent;
            Background::run(
                client,
                [skillsDir] {
                    const QString problem = SkillArchive::prepareSkillsFolder(skillsDir);
                    return problem.isEmpty() ? listAnswer(skillsDir)
                                             : QJsonObject{{"problem", problem}};
                },
                [owner, client, reply](const QJsonObject &answer) {
                    if (answer.contains("problem"))
                        return reply(ApiResponse::text(answer.value("problem").toString(), 500));
                    const QString clawhub = answer.value("clawhub_path").toString();
                    if (clawhub.isEmpty())
                        return reply(ApiResponse::json(answer));
                    // A client that leaves stops the searches; the check ends once they have.
                    new UpdateCheck(owner, client, clawhub, answer, reply);
                });
            return;
        }
        return answerOnPool(request, reply, [skillsDir, id, files, file] {
            if (const QString problem = SkillArchive::prepareSkillsFolder(skillsDir);
                !problem.isEmpty())
                return ApiResponse::text(problem, 500);
            if (id.isEmpty() || (!files && file.isEmpty()))
                return ApiResponse::json(listAnswer(skillsDir));
            const QString skillDir = resolveSkill(skillsDir, id);
            if (skillDir.isEmpty())
                return ApiResponse::text(QStringLiteral("skill not found: %1").arg(id), 404);
            if (files)
                return listFiles(skillDir, id);
            const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(skillDir, file);
            if (!resolved.ok)
                return pathError(resolved);
            const TextRead read = readText(resolved.absolute);
            if (!read.found)
                return ApiResponse::text(QStringLiteral("file does not exist"), 404);
            if (read.failure)
                return *read.failure;
            return ApiResponse::json(QJsonObject{
                {"ok", true}, {"id", id}, {"file", resolved.clean}, {"content", read.content}});
        });
    }

    if (request.method == "DELETE") {
        const QString id = request.queryValue(QStringLiteral("id"));
        if (id.isEmpty())
            throw ApiError::text(400, QStringLiteral("id required"));
        if (!SkillCatalog::isValidName(id))
            throw invalidName();
        return answerOnPool(request, reply, [skillsDir, id] {
            if (const QString problem = SkillArchive::prepareSkillsFolder(skillsDir);
                !problem.isEmpty())
                return ApiResponse::text(problem, 500);
            const bool enabled = removeFolder(skillsDir, skillsDir + QLatin1Char('/') + id);
            const bool disabled = removeFolder(skillsDir, skillsDir + QLatin1Char('/') + id +
                                                              QStringLiteral(".disabled"));
            return ApiResponse::json(
                QJsonObject{{"ok", true}, {"deleted", enabled || disabled}, {"id", id}});
        });
    }

    // POST
    if (request.header("content-type").toLower().contains("multipart/form-data"))
        return importArchive(request, reply, skillsDir);
    QJsonObject body;
    QString error;
    if (!JsonUtil::parseObject(request.body, &body, &error))
        throw ApiError::text(400, QStringLiteral("invalid json"));
    const QString action = body.value("action").toString().trimmed().toLower();
    QString name = body.value("name").toString().trimmed();
    if (name.isEmpty())
        name = body.value("id").toString().trimmed();
    if (name.isEmpty())
        throw ApiError::text(400, QStringLiteral("name required"));
    if (!SkillCatalog::isValidName(name))
        throw invalidName();
    if (action == QLatin1String("install")) {
        // Finding the CLI looks at the disk: on the pool, then the process on the event loop.
        QPointer<QObject> client(request.connection.data());
        if (!client)
            return;
        const bool force = truthy(body.value("ignore_suspicious"));
        ApiServices *shared = &services;
        const ApiRequest copy = request;
        Background::run(
            client,
            [skillsDir] {
                const QString problem = SkillArchive::prepareSkillsFolder(skillsDir);
                return problem.isEmpty() ? qMakePair(clawhubPath(), QString())
                                         : qMakePair(QString(), problem);
            },
            [shared, copy, reply, workspace, name, force](const QPair<QString, QString> &found) {
                if (!found.second.isEmpty())
                    return reply(ApiResponse::text(found.second, 500));
                const QString clawhub = found.first;
                if (clawhub.isEmpty())
                    return reply(ApiResponse::text(
                        QStringLiteral("clawhub is not installed. please install clawhub first."),
                        412));
                install(*shared, copy, reply, clawhub, workspace, name, force);
            });
        return;
    }
    answerOnPool(request, reply, [skillsDir, body, action, name] {
        if (const QString problem = SkillArchive::prepareSkillsFolder(skillsDir);
            !problem.isEmpty())
            return ApiResponse::text(problem, 500);
        return jsonAction(skillsDir, body, action, name);
    });
}

} // namespace SkillsApi
