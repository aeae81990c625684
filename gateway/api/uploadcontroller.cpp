#include "uploadcontroller.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "http/apiserver.h"
#include "http/frontdoor.h"
#include "http/multipartparser.h"
#include "http/requestguard.h"
#include "http/requesthead.h"
#include "http/router.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <fcntl.h>
#include <unistd.h>

namespace {

// Writes the part named "file" to a new private file; everything else is skipped.
class UploadWriter
{
public:
    explicit UploadWriter(const QString &folder) : m_folder(folder) {}
    ~UploadWriter()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        if (!m_kept && !m_path.isEmpty())
            QFile::remove(m_path);
    }

    void attach(MultipartParser &parser)
    {
        parser.onPartBegin = [this](const MultipartParser::PartHeaders &headers) {
            m_inFile = headers.name == "file" && headers.hasFilename && m_path.isEmpty();
            if (!m_inFile)
                return true;
            m_name = UploadController::sanitizeFileName(QString::fromUtf8(headers.filename));
            QString error;
            if (!Paths::makePrivateDir(m_folder, &error))
                return fail(QStringLiteral("cannot create the upload folder"));
            const QString stamp = QString::number(Clock::nowMs() * 1000000 +
                                                  QRandomGenerator::system()->bounded(1000000));
            m_path = QDir(m_folder).filePath(stamp + QLatin1Char('_') + m_name);
            // O_EXCL and O_NOFOLLOW: never write through something that was already there.
            m_fd = ::open(QFile::encodeName(m_path).constData(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (m_fd < 0) {
                m_path.clear();
                return fail(QStringLiteral("cannot create the upload file"));
            }
            return true;
        };
        parser.onPartData = [this](const QByteArray &bytes) {
            if (!m_inFile)
                return true;
            qsizetype written = 0;
            while (written < bytes.size()) {
                const ssize_t n =
                    ::write(m_fd, bytes.constData() + written, size_t(bytes.size() - written));
                if (n <= 0)
                    return fail(QStringLiteral("cannot write the upload file"));
                written += n;
            }
            return true;
        };
        parser.onPartEnd = [this] {
            if (m_inFile) {
                ::close(m_fd);
                m_fd = -1;
                m_complete = true;
            }
            m_inFile = false;
            return true;
        };
    }

    bool fail(const QString &error)
    {
        m_error = error;
        return false;
    }
    // The answer once the whole body was parsed.
    QPair<int, QByteArray> result(const MultipartParser &parser)
    {
        if (!m_error.isEmpty())
            return {500, m_error.toUtf8() + '\n'};
        if (!parser.finished())
            return {400, "malformed multipart body\n"};
        if (!m_complete)
            return {400, "file required\n"};
        m_kept = true;
        qCInfo(lcHttp).noquote() << "stored an upload as" << m_path;
        return {200, QJsonDocument(QJsonObject{{"ok", true}, {"path", m_path}, {"name", m_name}})
                             .toJson(QJsonDocument::Compact) +
                         '\n'};
    }

private:
    QString m_folder;
    QString m_path;
    QString m_name;
    QString m_error;
    int m_fd = -1;
    bool m_inFile = false;
    bool m_complete = false;
    bool m_kept = false;
};

// Reads one upload request from a socket taken over after its head, streaming it to disk.
class UploadReceiver : public QObject
{
public:
    UploadReceiver(QTcpSocket *socket, qint64 headSize, qint64 contentLength,
                   const QByteArray &boundary, const QString &folder)
        : QObject(socket), m_socket(socket), m_remaining(contentLength), m_parser(boundary),
          m_writer(folder)
    {
        m_writer.attach(m_parser);
        m_socket->read(headSize); // the head was only peeked
        m_idle.setSingleShot(true);
        m_idle.setInterval(60 * 1000);
        connect(&m_idle, &QTimer::timeout, this,
                [this] { finish(408, "request timeout\n", "text/plain; charset=utf-8"); });
        connect(socket, &QTcpSocket::readyRead, this, &UploadReceiver::onReadyRead);
        m_idle.start();
        onReadyRead();
    }

private:
    void onReadyRead()
    {
        if (m_done || !m_socket)
            return;
        m_idle.start();
        while (m_remaining > 0 && m_socket->bytesAvailable() > 0) {
            const QByteArray chunk = m_socket->read(qMin<qint64>(m_remaining, 256 * 1024));
            m_remaining -= chunk.size();
            if (!m_parser.feed(chunk)) {
                const QPair<int, QByteArray> answer = m_writer.result(m_parser);
                return finish(answer.first == 200 ? 400 : answer.first,
                              answer.first == 200 ? "malformed multipart body\n" : answer.second,
                              "text/plain; charset=utf-8");
            }
        }
        if (m_remaining == 0) {
            const QPair<int, QByteArray> answer = m_writer.result(m_parser);
            finish(answer.first, answer.second,
                   answer.first == 200 ? "application/json" : "text/plain; charset=utf-8");
        }
    }

    void finish(int status, const QByteArray &body, const QByteArray &contentType)
    {
        if (m_done)
            return;
        m_done = true;
        m_idle.stop();
        disconnect(m_socket, &QTcpSocket::readyRead, this, nullptr);
        writeRawHttpResponse(m_socket, status, contentType, body, {{"Cache-Control", "no-store"}});
    }

    QPointer<QTcpSocket> m_socket;
    qint64 m_remaining;
    MultipartParser m_parser;
    UploadWriter m_writer;
    QTimer m_idle;
    bool m_done = false;
};

} // namespace

QString UploadController::sanitizeFileName(const QString &clientName)
{
    QString name = clientName;
    name.replace(QLatin1Char('\\'), QLatin1Char('/'));
    name = name.mid(name.lastIndexOf(QLatin1Char('/')) + 1);
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
    if (safe.isEmpty() || safe.count(QLatin1Char('_')) == safe.size())
        safe = QStringLiteral("upload");
    return safe;
}

UploadController::UploadController(Router *router, FrontDoor *frontDoor, RequestGuard *guard,
                                   FolderSource uploadFolder, qint64 maxBytes)
{
    // The usual path: taken over right after the head, streamed to disk.
    frontDoor->setTakeover(
        "POST", QStringLiteral("/api/upload"),
        [guard, uploadFolder, maxBytes](QTcpSocket *socket, const RequestHead &head) {
            const GuardInput input{head.method, head.url(), head.headers, socket->peerAddress(),
                                   false};
            const GuardDecision decision = guard->check(input, true);
            if (!decision.passed())
                return writeRawHttpError(socket, decision.status, decision.body, decision.headers);
            const QByteArray boundary = MultipartParser::boundaryOf(head.header("content-type"));
            if (boundary.isEmpty())
                return writeRawHttpError(socket, 400,
                                         "request Content-Type isn't multipart/form-data\n");
            bool ok = false;
            const qint64 length = head.header("content-length").toLongLong(&ok);
            if (!ok || length < 0)
                return writeRawHttpError(socket, 411, "an upload needs a Content-Length\n");
            if (length > maxBytes)
                return writeRawHttpError(socket, 413,
                                         QByteArray("upload too large (limit ") +
                                             QByteArray::number(maxBytes / (1024 * 1024)) +
                                             " MiB)\n");
            new UploadReceiver(socket, head.headSize, length, boundary, uploadFolder());
        });
    // Reached only when the head arrived in pieces on a reused connection: the body is already
    // in memory (and within the JSON body limit), so it is parsed from there.
    router->addRoute(
        QStringLiteral("/api/upload"), {"POST"}, [uploadFolder](const ApiRequest &request) {
            const QByteArray boundary = MultipartParser::boundaryOf(request.header("content-type"));
            if (boundary.isEmpty())
                return ApiResponse::text(
                    QStringLiteral("request Content-Type isn't multipart/form-data"), 400);
            MultipartParser parser(boundary);
            UploadWriter writer(uploadFolder());
            writer.attach(parser);
            parser.feed(request.body);
            const QPair<int, QByteArray> answer = writer.result(parser);
            return ApiResponse::raw(answer.second,
                                    answer.first == 200 ? "application/json"
                                                        : "text/plain; charset=utf-8",
                                    answer.first);
        });
}
