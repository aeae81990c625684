#pragma once

#include <QJsonObject>

// The reduced, UI-friendly projection of the config (spec/config.md §3): `core` + `runtime`.
namespace NormalizedConfig {

QJsonObject fromRaw(const QJsonObject &effective);
// Applies a normalized view onto the current raw config (spec/config.md §3.2).
QJsonObject applyToRaw(const QJsonObject &raw, const QJsonObject &view);

} // namespace NormalizedConfig
