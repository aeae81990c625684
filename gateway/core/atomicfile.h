#pragma once

#include <QByteArray>
#include <QString>

namespace AtomicFile {

// Replaces `path` with `bytes` atomically: a private temporary file in the same folder is
// written, flushed, synced and size-checked, then renamed over the target. On any failure the
// old file is untouched and the temporary file removed. The new file has mode 0600.
//
// Not QSaveFile: on Qt 6.4 its commit() reports success after a short write (seen with a file
// size limit: 64 of 5000 bytes written, commit() == true), which would truncate the config.
bool write(const QString &path, const QByteArray &bytes, QString *error);

} // namespace AtomicFile
