#include "safefile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace SafeFile {

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Opens without blocking (O_NONBLOCK: a FIFO with no writer would otherwise wait), then checks
// what was opened; regular files go back to blocking mode for plain reads and writes.
int openRegular(const QString &path, int flags, Status *status, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(),
                          flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
    if (fd < 0) {
        *status = errno == ENOENT ? Status::NotFound
                                  : (errno == EISDIR ? Status::IsDirectory : Status::Failed);
        *error = errnoText();
        return -1;
    }
    struct stat info;
    if (::fstat(fd, &info) != 0) {
        *status = Status::Failed;
        *error = errnoText();
        ::close(fd);
        return -1;
    }
    if (S_ISDIR(info.st_mode) || !S_ISREG(info.st_mode)) {
        *status = S_ISDIR(info.st_mode) ? Status::IsDirectory : Status::NotRegular;
        *error = QStringLiteral("not a regular file");
        ::close(fd);
        return -1;
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    *status = Status::Ok;
    return fd;
}

} // namespace

ReadResult read(const QString &path, qint64 maxBytes, bool truncate)
{
    ReadResult result;
    const int fd = openRegular(path, O_RDONLY, &result.status, &result.error);
    if (fd < 0)
        return result;
    struct stat info;
    ::fstat(fd, &info);
    result.size = info.st_size;
    if (result.size > maxBytes && !truncate) {
        result.status = Status::TooLarge;
        ::close(fd);
        return result;
    }
    const qint64 want = qMin<qint64>(maxBytes, qMax<qint64>(result.size, 0));
    result.data.resize(want);
    qint64 got = 0;
    while (got < want) {
        const ssize_t n = ::read(fd, result.data.data() + got, size_t(want - got));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            result.status = Status::Failed;
            result.error = errnoText();
            ::close(fd);
            return result;
        }
        if (n == 0)
            break; // shrank meanwhile
        got += n;
    }
    result.data.truncate(got);
    ::close(fd);
    result.status = Status::Ok;
    return result;
}

bool append(const QString &path, const QByteArray &bytes, QString *error, bool sync)
{
    Status status;
    const int fd = openRegular(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, &status, error);
    if (fd < 0)
        return false;
    qint64 written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = errnoText();
            ::close(fd);
            return false;
        }
        written += n;
    }
    if (sync && ::fdatasync(fd) != 0) {
        *error = errnoText();
        ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}

QString describe(Status status)
{
    switch (status) {
    case Status::Ok:
        return QString();
    case Status::NotFound:
        return QStringLiteral("file does not exist");
    case Status::IsDirectory:
        return QStringLiteral("is a folder");
    case Status::NotRegular:
        return QStringLiteral("not a regular file");
    case Status::TooLarge:
        return QStringLiteral("file too large");
    case Status::Failed:
        break;
    }
    return QStringLiteral("cannot read the file");
}

} // namespace SafeFile
