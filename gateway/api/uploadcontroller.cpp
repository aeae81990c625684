#include "uploadcontroller.h"

#include "apiservices.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/configstore.h"
#include "core/gatewaypaths.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "http/multipartparser.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

// What finishing an upload needs, shared with the pool task that syncs it: the sink may be gone
// (its client left) by the time the disk answers.
struct StoredFile
{
    QString partPath;  // written while the body arrives
    QString finalPath; // after fsync and rename
    int fd = -1;
};

// Syncs the file and moves it to its final name: only then is the upload acknowledged.
bool commit(const StoredFile &file, QString *error)
{
    if (::fsync(file.fd) != 0 || ::close(file.fd) != 0) {
        *error = QStringLiteral("cannot write the upload file");
        return false;
    }
    if (::rename(QFile::encodeName(file.partPath).constData(),
                 QFile::encodeName(file.finalPath).constData()) != 0) {
        *error = QStringLiteral("cannot store the upload file");
        return false;
    }
    // The rename itself must survive a crash too.
    const int dir = ::open(QFile::encodeName(QFileInfo(file.finalPath).absolutePath()).constData(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

// A new part file for an upload named `clientName` in `folder`: "<stamp>_<safe name>" once
// committed, "<that>.<run tag>.part" until then. fd < 0 on failure, with `error` set.
StoredFile createPartFile(const QString &folder, const QString &runTag, const QString &clientName,
                          QString *error)
{
    StoredFile file;
    if (!Paths::makePrivateDir(folder)) {
        *error = QStringLiteral("cannot create the upload folder");
        return file;
    }
    const QString safe = UploadApi::sanitizeFileName(clientName);
    const QString stamp =
        QString::number(Clock::nowMs() * 1000000 + QRandomGenerator::system()->bounded(1000000));
    file.finalPath = QDir(folder).filePath(stamp + QLatin1Char('_') + safe);
    file.partPath = file.finalPath + QLatin1Char('.') + runTag + QStringLiteral(".part");
    // O_EXCL and O_NOFOLLOW: never write through something that was already there.
    file.fd = ::open(QFile::encodeName(file.partPath).constData(),
                     O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (file.fd < 0) {
        file.partPath.clear();
        *error = QStringLiteral("cannot create the upload file");
    }
    return file;
}

bool writeAll(int fd, const char *data, qsizetype size)
{
    qsizetype written = 0;
    while (written < size) {
        const ssize_t n = ::write(fd, data + written, size_t(size - written));
        if (n <= 0)
            return false;
        written += n;
    }
    return true;
}

// Copies a file of this machine into the uploads, as POST /api/upload stores one. Blocking: runs
// on the file pool.
UploadApi::Stored copyLocalFile(const QString &source, const QString &folder, const QString &runTag,
                                qint64 maxBytes)
{
    UploadApi::Stored result;
    result.name = UploadApi::clientBaseName(source);
    // O_NONBLOCK: a FIFO picked by mistake must not hang the pool; only regular files go on.
    const int in = ::open(QFile::encodeName(source).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat info;
    if (in < 0 || ::fstat(in, &info) != 0 || !S_ISREG(info.st_mode)) {
        if (in >= 0)
            ::close(in);
        result.error = QStringLiteral("The file cannot be read, or is not a regular file.");
        return result;
    }
    if (info.st_size > maxBytes) {
        ::close(in);
        result.error = QStringLiteral("The file is larger than the upload limit of %1 MiB.")
                           .arg(maxBytes / (1024 * 1024));
        return result;
    }
    QString error;
    StoredFile file = createPartFile(folder, runTag, source, &error);
    if (file.fd < 0) {
        ::close(in);
        result.error = error;
        return result;
    }
    char buffer[64 * 1024];
    qint64 total = 0;
    bool ok = true;
    for (;;) {
        const ssize_t n = ::read(in, buffer, sizeof buffer);
        if (n == 0)
            break;
        total += n;
        if (n < 0 || total > maxBytes || !writeAll(file.fd, buffer, n)) {
            ok = false;
            break;
        }
    }
    ::close(in);
    if (!ok) {
        ::close(file.fd);
        QFile::remove(file.partPath);
        result.error = QStringLiteral("The file could not be copied into the uploads.");
        return result;
    }
    if (!commit(file, &error)) {
        QFile::remove(file.partPath);
        result.error = error;
        return result;
    }
    result.path = file.finalPath;
    return result;
}

class UploadSink final : public RequestBodySink
{
public:
    UploadSink(const QString &folder, const QString &runTag, const QByteArray &boundary)
        : m_folder(folder), m_runTag(runTag), m_parser(boundary)
    {
        m_parser.onPartBegin = [this](const MultipartParser::PartHeaders &headers) {
            m_inFile = headers.name == "file" && headers.hasFilename && m_file.partPath.isEmpty();
            return m_inFile ? open(QString::fromUtf8(headers.filename)) : true;
        };
        m_parser.onPartData = [this](const QByteArray &bytes) {
            if (!m_inFile || writeAll(m_file.fd, bytes.constData(), bytes.size()))
                return true;
            return fail(500, QStringLiteral("cannot write the upload file"));
        };
        m_parser.onPartEnd = [this] {
            m_complete |= m_inFile;
            m_inFile = false;
            return true;
        };
    }

    ~UploadSink() override
    {
        if (!m_handedOver)
            discard();
    }

    void write(const char *data, qsizetype size) override
    {
        if (!m_parser.feed(QByteArray::fromRawData(data, size)))
            throw m_error.status ? m_error
                                 : ApiError::text(400, QStringLiteral("malformed multipart body"));
    }

    void finish(Reply reply) override
    {
        if (!m_parser.finished())
            return reply(ApiError::text(400, QStringLiteral("malformed multipart body")));
        if (!m_complete)
            return reply(ApiError::text(400, QStringLiteral("file required")));
        m_handedOver = true;
        const StoredFile file = m_file;
        const QString name = m_clientName;
        auto *context = new QObject();
        Background::run(
            context,
            [file] {
                QString error;
                return commit(file, &error) ? QString() : error;
            },
            [context, file, name, reply](const QString &error) {
                context->deleteLater();
                if (!error.isEmpty()) {
                    QFile::remove(file.partPath);
                    return reply(ApiError::text(500, error));
                }
                qCInfo(lcHttp).noquote() << "stored an upload as" << file.finalPath;
                reply(ApiResponse::json(
                    QJsonObject{{"ok", true}, {"path", file.finalPath}, {"name", name}}));
            });
    }

    void abort() override { discard(); }

private:
    bool open(const QString &clientName)
    {
        m_clientName = UploadApi::clientBaseName(clientName);
        QString error;
        m_file = createPartFile(m_folder, m_runTag, clientName, &error);
        if (m_file.fd < 0)
            return fail(500, error);
        return true;
    }

    bool fail(int status, const QString &message)
    {
        m_error = ApiError::text(status, message);
        return false;
    }

    void discard()
    {
        if (m_file.fd >= 0)
            ::close(m_file.fd);
        m_file.fd = -1;
        if (!m_file.partPath.isEmpty())
            QFile::remove(m_file.partPath);
        m_file.partPath.clear();
    }

    QString m_folder;
    QString m_runTag;
    MultipartParser m_parser;
    StoredFile m_file;
    QString m_clientName;
    ApiError m_error = ApiError::text(0, QString());
    bool m_inFile = false;
    bool m_complete = false;
    bool m_handedOver = false; // the pool task owns the file now
};

} // namespace

namespace UploadApi {

std::unique_ptr<RequestBodySink> start(ApiServices &services, const ApiRequest &request)
{
    const QByteArray boundary = MultipartParser::boundaryOf(request.header("content-type"));
    if (boundary.isEmpty())
        throw ApiError::text(400, QStringLiteral("request Content-Type isn't multipart/form-data"));
    return std::make_unique<UploadSink>(GatewayPaths::uploads(*services.config),
                                        services.uploadRunTag, boundary);
}

void storeLocalFile(ApiServices &services, const QString &source, QObject *context,
                    std::function<void(const Stored &)> done)
{
    const QString folder = GatewayPaths::uploads(*services.config);
    const QString runTag = services.uploadRunTag;
    const qint64 maxBytes = services.uploadMaxBytes;
    Background::run(
        context, [=] { return copyLocalFile(source, folder, runTag, maxBytes); },
        [done](const Stored &stored) {
            if (stored.error.isEmpty())
                qCInfo(lcHttp).noquote() << "stored a local file as" << stored.path;
            done(stored);
        });
}

namespace {

QString lastComponent(const QString &clientName)
{
    QString name = clientName;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    return name.mid(name.lastIndexOf(QLatin1Char('/')) + 1);
}

} // namespace

QString clientBaseName(const QString &clientName)
{
    QString name = lastComponent(clientName);
    name.remove(QChar(0));
    return name.left(255);
}

QString sanitizeFileName(const QString &clientName)
{
    const QString name = lastComponent(clientName);
    QString safe;
    for (const QChar c : name) {
        if (c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') ||
            c == QLatin1Char('_'))
            safe += c;
        else
            safe += QLatin1Char('_');
    }
    while (safe.startsWith(QLatin1Char('.')))
        safe.remove(0, 1);
    if (safe.size() > 100)
        safe = safe.right(100);
    if (safe.endsWith(QLatin1String(".part")))
        safe += QLatin1Char('_');
    if (safe.isEmpty() || safe.count(QLatin1Char('_')) == safe.size())
        safe = QStringLiteral("upload");
    return safe;
}

} // namespace UploadApi
