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
};
