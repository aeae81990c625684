#include "skillarchive.h"

#include "skillcatalog.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <archive.h>
#include <archive_entry.h>
#include <memory>

namespace SkillArchive {

namespace {

Result failure(int status, const QString &error)
{
    Result result;
    result.status = status;
    result.error = error;
    return result;
}

enum class Format
{
    Unknown,
    Zip,
    Tar,
    TarGz
};

Format formatOf(const QString &name)
{
    const QString lower = name.toLower();
    if (lower.endsWith(QLatin1String(".zip")))
        return Format::Zip;
    if (lower.endsWith(QLatin1String(".tar.gz")) || lower.endsWith(QLatin1String(".tgz")))
        return Format::TarGz;
    if (lower.endsWith(QLatin1String(".tar")))
        return Format::Tar;
    return Format::Unknown;
}

QString baseName(const QString &clientName)
{
    QString name = QFileInfo(clientName).fileName();
    for (const char *suffix : {".tar.gz", ".tgz", ".zip", ".tar"})
        if (name.toLower().endsWith(QLatin1String(suffix)))
            return name.chopped(int(strlen(suffix)));
    return QFileInfo(name).completeBaseName();
}

// Unpacks `archivePath` into `target`; a failure result, or status 200.
Result unpack(const QString &archivePath, Format format, const QString &target,
              const Limits &limits)
{
    std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                  &archive_read_free);
    if (format == Format::Zip) {
        archive_read_support_format_zip(reader.get());
    } else {
        archive_read_support_format_tar(reader.get());
        if (format == Format::TarGz)
            archive_read_support_filter_gzip(reader.get());
    }
    if (archive_read_open_filename(reader.get(), QFile::encodeName(archivePath).constData(),
                                   64 * 1024) != ARCHIVE_OK)
        return failure(400, QStringLiteral("the archive cannot be read: %1")
                                .arg(QString::fromUtf8(archive_error_string(reader.get()))));
    const qint64 archiveBytes = qMax<qint64>(1, QFileInfo(archivePath).size());
    const qint64 ratioAllowance = 1024 * 1024 + archiveBytes * limits.maxRatio;
    int entries = 0;
    qint64 unpacked = 0;
    archive_entry *entry = nullptr;
    QByteArray block(64 * 1024, Qt::Uninitialized);
    for (;;) {
        const int status = archive_read_next_header(reader.get(), &entry);
        if (status == ARCHIVE_EOF)
            break;
        if (status != ARCHIVE_OK && status != ARCHIVE_WARN)
            return failure(400, QStringLiteral("the archive cannot be read: %1")
                                    .arg(QString::fromUtf8(archive_error_string(reader.get()))));
        if (++entries > limits.maxEntries)
            return failure(
                413, QStringLiteral("the archive has more than %1 entries").arg(limits.maxEntries));
        const char *rawName = archive_entry_pathname_utf8(entry);
        if (!rawName)
            rawName = archive_entry_pathname(entry);
        const QString name = QString::fromUtf8(rawName ? rawName : "");
        const QString clean = QDir::cleanPath(name);
        if (name.startsWith(QLatin1Char('/')) || QDir::isAbsolutePath(clean) ||
            clean == QLatin1String("..") || clean.startsWith(QLatin1String("../")) ||
            name.contains(QChar(0)))
            return failure(400, QStringLiteral("invalid archive entry path: %1").arg(name));
        if (clean.isEmpty() || clean == QLatin1String("."))
            continue;
        const QString destination = target + QLatin1Char('/') + clean;
        const mode_t type = archive_entry_filetype(entry);
        if (type == AE_IFDIR) {
            if (!QDir().mkpath(destination))
                return failure(500, QStringLiteral("cannot unpack the archive"));
            continue;
        }
        if (type != AE_IFREG || archive_entry_hardlink(entry)) {
            // Links, devices, FIFOs are not part of a skill; whatever data they carry is still
            // unpacked to get past it, and counted like the rest.
            for (;;) {
                const la_ssize_t read = archive_read_data(reader.get(), block.data(), block.size());
                if (read <= 0)
                    break;
                unpacked += read;
                if (unpacked > limits.maxUnpackedBytes || unpacked > ratioAllowance)
                    return failure(413, QStringLiteral("the archive unpacks to more than %1 MiB")
                                            .arg(limits.maxUnpackedBytes / (1024 * 1024)));
            }
            continue;
        }
        if (!QDir().mkpath(QFileInfo(destination).absolutePath()))
            return failure(500, QStringLiteral("cannot unpack the archive"));
        QFile file(destination);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return failure(500, QStringLiteral("cannot unpack the archive"));
        for (;;) {
            // The bytes that really come out count, never the sizes the headers claim.
            const la_ssize_t read = archive_read_data(reader.get(), block.data(), block.size());
            if (read == 0)
                break;
            if (read < 0)
                return failure(400,
                               QStringLiteral("the archive cannot be read: %1")
                                   .arg(QString::fromUtf8(archive_error_string(reader.get()))));
            unpacked += read;
            if (unpacked > limits.maxUnpackedBytes)
                return failure(413, QStringLiteral("the archive unpacks to more than %1 MiB")
                                        .arg(limits.maxUnpackedBytes / (1024 * 1024)));
            if (unpacked > ratioAllowance)
                return failure(413, QStringLiteral("the archive unpacks to over %1 times its size "
                                                   "(a compression bomb?)")
                                        .arg(limits.maxRatio));
            if (file.write(block.constData(), read) != read)
                return failure(500, QStringLiteral("cannot unpack the archive"));
        }
        // Scripts stay runnable: the owner's execute bit survives, nothing else does.
        if (archive_entry_perm(entry) & 0100)
            file.setPermissions(file.permissions() | QFileDevice::ExeOwner | QFileDevice::ExeUser);
    }
    return Result();
}

// Copies a folder; false when it fails or the bytes copied so far pass `*budget`.
bool copyTree(const QString &from, const QString &to, qint64 *budget)
{
    if (!QDir().mkpath(to))
        return false;
    QDirIterator it(from, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString destination =
            to + QLatin1Char('/') + QDir(from).relativeFilePath(info.filePath());
        if (info.isDir()) {
            if (!QDir().mkpath(destination))
                return false;
        } else {
            *budget -= info.size();
            if (*budget < 0 || !QFile::copy(info.filePath(), destination))
                return false;
        }
    }
    return true;
}

} // namespace

QString prepareSkillsFolder(const QString &skillsDir)
{
    const QFileInfo info(skillsDir);
    if (info.isSymLink())
        return QStringLiteral("%1 is a symbolic link; it must be a folder of the workspace")
            .arg(skillsDir);
    if (!info.exists() && !QDir().mkpath(skillsDir))
        return QStringLiteral("cannot create the skills folder");
    if (!QFileInfo(skillsDir).isDir())
        return QStringLiteral("%1 is not a folder").arg(skillsDir);
    return QString();
}

QString sanitize(const QString &name)
{
    static const QRegularExpression others(QStringLiteral("[^a-z0-9_-]+"));
    QString clean = name.toLower();
    clean.replace(others, QStringLiteral("-"));
    while (clean.startsWith(QLatin1Char('-')))
        clean.remove(0, 1);
    while (clean.endsWith(QLatin1Char('-')))
        clean.chop(1);
    return clean.left(128);
}

Result import(const QString &archivePath, const QString &clientName, const QString &skillsDir,
              const Limits &limits)
{
    const Format format = formatOf(clientName);
    if (format == Format::Unknown)
        return failure(
            400,
            QStringLiteral("unsupported archive format: %1").arg(QFileInfo(clientName).fileName()));
    if (const QString problem = prepareSkillsFolder(skillsDir); !problem.isEmpty())
        return failure(500, problem);
    // Unpacked and staged beside the skills, so the last step is a rename on one file system.
    // The staging folder's name is no valid skill name: nothing lists it meanwhile.
    QTemporaryDir staging(skillsDir + QStringLiteral("/.import-XXXXXX"));
    if (!staging.isValid())
        return failure(500, QStringLiteral("cannot create a staging folder"));
    const QString unpacked = staging.filePath(QStringLiteral("unpacked"));
    QDir().mkpath(unpacked);
    const Result unpackedResult = unpack(archivePath, format, unpacked, limits);
    if (unpackedResult.status != 200)
        return unpackedResult;

    // Every folder holding a SKILL.md is a skill; one at the root takes the archive's name.
    QList<QPair<QString, QString>> candidates; // name, folder
    QStringList names;
    QDirIterator it(unpacked, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList found;
    while (it.hasNext()) {
        it.next();
        if (it.fileName().compare(QLatin1String("SKILL.md"), Qt::CaseInsensitive) == 0)
            found << it.filePath();
    }
    found.sort(); // the same archive imports the same way on every file system
    for (const QString &skillMd : std::as_const(found)) {
        const QString folder = QFileInfo(skillMd).absolutePath();
        const QString name = sanitize(QDir::cleanPath(folder) == QDir::cleanPath(unpacked)
                                          ? baseName(clientName)
                                          : QFileInfo(folder).fileName());
        if (name.isEmpty() || !SkillCatalog::isValidName(name) || names.contains(name))
            continue;
        names << name;
        candidates.append({name, folder});
    }
    if (candidates.isEmpty())
        return failure(400, QStringLiteral("no SKILL.md found in archive"));
    for (const auto &candidate : std::as_const(candidates)) {
        if (QFileInfo::exists(skillsDir + QLatin1Char('/') + candidate.first))
            return failure(400, QStringLiteral("skill already exists: %1").arg(candidate.first));
        if (QFileInfo::exists(skillsDir + QLatin1Char('/') + candidate.first +
                              QStringLiteral(".disabled")))
            return failure(
                400, QStringLiteral("disabled skill already exists: %1").arg(candidate.first));
    }
    // Each skill whole (nested skills inside a skill stay in it too), then all moved in. The
    // copies count too: a chain of nested skills must not multiply one big file.
    qint64 budget = limits.maxUnpackedBytes;
    for (const auto &candidate : std::as_const(candidates))
        if (!copyTree(candidate.second,
                      staging.filePath(QStringLiteral("ready/") + candidate.first), &budget))
            return budget < 0 ? failure(413, QStringLiteral("the skills of the archive take more "
                                                            "than %1 MiB")
                                                 .arg(limits.maxUnpackedBytes / (1024 * 1024)))
                              : failure(500, QStringLiteral("cannot unpack the archive"));
    QStringList moved;
    for (const auto &candidate : std::as_const(candidates)) {
        const QString destination = skillsDir + QLatin1Char('/') + candidate.first;
        if (!QDir().rename(staging.filePath(QStringLiteral("ready/") + candidate.first),
                           destination)) {
            for (const QString &name : std::as_const(moved)) // all or nothing
                QDir(skillsDir + QLatin1Char('/') + name).removeRecursively();
            return failure(500, QStringLiteral("cannot move the skills into place"));
        }
        moved << candidate.first;
    }
    Result result;
    result.imported = moved;
    result.imported.sort();
    return result;
}

} // namespace SkillArchive
