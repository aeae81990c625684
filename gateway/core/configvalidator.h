#pragma once

#include <QJsonObject>
#include <QStringList>

// Validation of an effective (defaults-merged) config, rule for rule as spec/config.md §5,
// after the key table's type, range and choice checks (configkeys.h).
// Maps are walked in sorted key order, so the error list is stable.
class ConfigValidator
{
public:
    static QStringList validate(const QJsonObject &config);
    // Stricter rules for what a client (API or window) sets, beyond what clawgo checks: a
    // listen address that is an address or a host name, a model written provider/model,
    // provider URLs that are http(s) URLs. Each applies only to a value that differs from
    // `before`, so a config clawgo accepted keeps loading and saving as it is.
    static QStringList validateChange(const QJsonObject &before, const QJsonObject &after);
};
