#pragma once

#include <QString>
#include <QStringList>

// Skills imported from an archive (.zip, .tar, .tar.gz, .tgz) through libarchive
// (spec/api.md §15.2), unlike the reference: an entry with an absolute or escaping path refuses
// the archive, links and devices are ignored, the number of entries, the unpacked size and the
// compression ratio are capped (413 for a bomb), and the import is atomic — every skill of the
// archive is imported, or none. Reads and writes the disk: call it on the file pool.
namespace SkillArchive {

struct Limits
{
    int maxEntries = 10000;
    qint64 maxUnpackedBytes = 256LL * 1024 * 1024;
    qint64 maxRatio = 100; // unpacked bytes per archive byte, past the first MiB
};

struct Result
{
    int status = 200; // 400 refused, 413 too big, 500 the disk failed
    QString error;
    QStringList imported; // sorted
};

// `archivePath` holds the upload; `clientName` is the name the client gave it (its suffix says
// the format, its base names a SKILL.md at the archive's root).
Result import(const QString &archivePath, const QString &clientName, const QString &skillsDir,
              const Limits &limits = Limits());

// Creates <workspace>/skills when missing; "" or why it cannot be used (a symbolic link: what
// is done in it must stay in the workspace).
QString prepareSkillsFolder(const QString &skillsDir);

// clawgo's skill name from a folder or file name: lower case, `a-z0-9_-` kept, other runs
// become one `-`, `-` trimmed at both ends.
QString sanitize(const QString &name);

} // namespace SkillArchive
