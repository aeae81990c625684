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
// Secrets posted back as the placeholder although the address they are sent to changed (a
// provider's api_base, Weixin's base_url, an MCP server's command or URL, …). Keeping the stored
// value would hand it to the new address, so such a secret must be entered again. Each problem
// names the secret's path and what moved.
QStringList secretsSentElsewhere(const QJsonObject &incoming, const QJsonObject &current);
// A config a client sends back after reading it masked: the problems of secretsSentElsewhere(),
// or (when there are none) the config with the stored secrets put back.
QJsonObject acceptFromClient(const QJsonObject &incoming, const QJsonObject &current,
                             QStringList *problems);
// The non-empty secret values of a config (for scrubbing them out of log lines).
QStringList secretValues(const QJsonObject &config);

} // namespace SecretRedactor
