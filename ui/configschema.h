#pragma once

#include <QList>
#include <QString>

struct ConfigKey;

// The fields the config form shows, by section. How each is edited (its type, whether it is a
// secret, its range) and whether a change applies at once come from the key table
// (core/configkeys.h); this list only chooses and labels.
struct ConfigField
{
    enum class Kind
    {
        Text,
        Secret,
        Integer,
        Decimal,
        Flag
    };
    const char *section; // group box title (translated in the page)
    const char *path; // dotted path; "{provider}" is the provider of agents.defaults.model.primary
    const char *label;

    const ConfigKey &key() const; // the table's row for the path
    Kind kind() const;
};

const QList<ConfigField> &configFields();
