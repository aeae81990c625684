#pragma once

#include <QString>

// Where files live. Everything derives from the config file's folder, so `--config` moves
// the whole state (workspace, logs, sessions) along with it.
namespace Paths {

// --config beats CLAWGO_CONFIG beats ~/.clawgo/config.json.
QString resolveConfigPath(const QString &fromCommandLine);
QString defaultConfigDir();
// "~/x" → home + "/x"; other values unchanged (unlike the reference, "~bob" stays literal).
QString expandHome(const QString &path);
// Creates the folder (and parents) with mode 0700 for the ones it creates.
bool makePrivateDir(const QString &path, QString *error = nullptr);
// Takes group and other permissions away from an existing file or folder (0755 → 0700,
// 0644 → 0600) and says so in the log; true when it already was private or now is.
bool tightenToPrivate(const QString &path);

} // namespace Paths
