#pragma once

#include <QString>

// "Start at login": the XDG autostart entry ($XDG_CONFIG_HOME/autostart/clawgo-desktop.desktop)
// that starts this program in the tray (--minimized) when the user logs in.
namespace Autostart {

QString entryPath();
// The entry's text for this binary and config file (--config only when it is not the default).
QString entryText(const QString &binary, const QString &configPath, const QString &defaultConfig);
// Writes or removes the entry on the file pool; never blocks the caller.
void apply(bool enabled, const QString &configPath);

} // namespace Autostart
