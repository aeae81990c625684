#pragma once

#include <QJsonObject>
#include <QStringList>

// Masks secret values in configs that leave the process (GET /api/config) and puts the stored
// values back when a client posts the mask unchanged (DESIGN.md, decision 9).
namespace SecretRedactor {

inline constexpr char kPlaceholder[] = "********";

QJsonObject redact(const QJsonObject &config);
// Every placeholder in `incoming` is replaced with the value at the same place in `current`.
QJsonObject restore(const QJsonObject &incoming, const QJsonObject &current);
// The non-empty secret values of a config (for scrubbing them out of log lines).
QStringList secretValues(const QJsonObject &config);

} // namespace SecretRedactor
