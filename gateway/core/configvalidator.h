#pragma once

#include <QJsonObject>
#include <QStringList>

// Validation of an effective (defaults-merged) config, rule for rule as spec/config.md §5,
// plus type checks against the defaults so a string where a number belongs is caught early.
// Maps are walked in sorted key order, so the error list is stable.
class ConfigValidator
{
public:
    explicit ConfigValidator(const QJsonObject &defaults);
    QStringList validate(const QJsonObject &config) const;

private:
    void checkTypes(const QJsonObject &config, const QJsonObject &defaults, const QString &prefix,
                    QStringList &errors) const;
    QJsonObject m_defaults;
};
