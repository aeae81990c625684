#include "paths.h"

#include "logcategories.h"

#include <sys/stat.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace Paths {

QString defaultConfigDir()
{
    return QDir::homePath() + QStringLiteral("/.clawgo");
}

QString resolveConfigPath(const QString &fromCommandLine)
{
    QString path = fromCommandLine.trimmed();
    if (path.isEmpty())
        path = qEnvironmentVariable("CLAWGO_CONFIG").trimmed();
    if (path.isEmpty())
        path = defaultConfigDir() + QStringLiteral("/config.json");
    return QFileInfo(expandHome(path)).absoluteFilePath();
}

QString expandHome(const QString &path)
{
    if (path == QLatin1String("~"))
        return QDir::homePath();
    if (path.startsWith(QLatin1String("~/")))
        return QDir::homePath() + path.mid(1);
    return path;
}

bool makePrivateDir(const QString &path, QString *error)
{
    QDir dir(path);
    if (dir.exists())
        return true;
    // Create parents one by one so each new folder gets 0700, not the umask default.
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QStringList parts = absolute.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString current;
    for (const QString &part : parts) {
        current += QLatin1Char('/') + part;
        if (QFileInfo::exists(current))
            continue;
        if (!QDir().mkdir(current, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
            if (error)
                *error = QStringLiteral("cannot create folder %1").arg(current);
            return false;
        }
    }
    return true;
}

} // namespace Paths

bool Paths::tightenToPrivate(const QString &path)
{
    struct stat info;
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0 || S_ISLNK(info.st_mode))
        return false;
    const mode_t mode = info.st_mode & 0777;
    if ((mode & 077) == 0)
        return true;
    const mode_t tightened = mode & 0700;
    if (::chmod(QFile::encodeName(path).constData(), tightened) != 0) {
        qCWarning(lcConfig).noquote() << "could not make" << path << "private";
        return false;
    }
    qCInfo(lcConfig).noquote() << QStringLiteral("made %1 private: mode %2 is now %3")
                                      .arg(path)
                                      .arg(mode, 4, 8, QLatin1Char('0'))
                                      .arg(tightened, 4, 8, QLatin1Char('0'));
    return true;
}
