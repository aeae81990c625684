#pragma once

#include <QByteArray>
#include <QString>

// File access for routes and tools that a user (or a model) names: only regular files are
// opened, and opening never blocks. A FIFO, a device or a socket in the workspace would
// otherwise hang the thread that opens it until someone writes to it (DESIGN.md, decision 15).
namespace SafeFile {

enum class Status
{
    Ok,
    NotFound,
    IsDirectory,
    NotRegular, // FIFO, device, socket
    TooLarge,
    Failed,
};

struct ReadResult
{
    Status status = Status::Failed;
    QByteArray data;
    qint64 size = 0; // the file's size (also when TooLarge)
    QString error;   // for logs, not for answers
    bool ok() const { return status == Status::Ok; }
};

// Reads at most `maxBytes`; a larger file is TooLarge unless `truncate` (then its first
// `maxBytes` are returned with size telling the whole).
ReadResult read(const QString &path, qint64 maxBytes, bool truncate = false);
// Appends to a regular file (created 0600 when missing), never through a FIFO or a symlink;
// with `sync`, only reports success once the bytes are on disk.
bool append(const QString &path, const QByteArray &bytes, QString *error, bool sync = false);
// The short words a route or tool answer may carry for a failed read.
QString describe(Status status);

} // namespace SafeFile
