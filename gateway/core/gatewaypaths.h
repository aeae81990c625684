#pragma once

#include <QString>

class ConfigStore;

// Where the running gateway keeps its files, from the live config (spec/config.md §1): every
// reader asks here instead of re-deriving paths from config keys.
namespace GatewayPaths {

QString workspace(const ConfigStore &config); // agents.defaults.workspace, "~" expanded
QString logFile(const ConfigStore &config);   // logging.dir + logging.filename; empty if unset
QString uploads(const ConfigStore &config);   // <config folder>/uploads (0700)

} // namespace GatewayPaths
