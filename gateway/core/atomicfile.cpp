#include "atomicfile.h"

#include <QFileInfo>
#include <QTemporaryFile>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace AtomicFile {

bool write(const QString &path, const QByteArray &bytes, QString *error)
{
    const QFileInfo target(path);
    QTemporaryFile temp(target.absolutePath() + QStringLiteral("/.") + target.fileName() +
                        QStringLiteral(".XXXXXX"));
    auto fail = [&](const QString &what) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, what);
        return false;
    };
    if (!temp.open())
        return fail(temp.errorString());
    // QTemporaryFile already creates 0600; say so explicitly in case that ever changes.
    temp.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    const int fd = temp.handle();
    qint64 written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, size_t(bytes.size() - written));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(QString::fromLocal8Bit(std::strerror(errno)));
        }
        if (n == 0)
            return fail(QStringLiteral("short write"));
        written += n;
    }
    if (::fsync(fd) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    struct stat info;
    if (::fstat(fd, &info) != 0 || info.st_size != bytes.size())
        return fail(QStringLiteral("short write"));
    if (::rename(QFile::encodeName(temp.fileName()).constData(),
                 QFile::encodeName(path).constData()) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    temp.setAutoRemove(false); // it is the config now
    // The rename must survive a crash as well as the content.
    const int dir = ::open(QFile::encodeName(target.absolutePath()).constData(),
                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return true;
}

} // namespace AtomicFile
