#pragma once

#include <QIcon>

// The program's icons: our SVG application icon (resources/icons), the tray icon in its states,
// and the sidebar's page icons (the icon theme's when it has them, ours otherwise).
namespace AppIcons {

QIcon application();
// The application icon; when the gateway is not serving, with a red mark in the corner.
QIcon tray(bool ok);
// `name` is one of chat, weixin, providers, config, logs, status.
QIcon page(const QString &name);

} // namespace AppIcons
