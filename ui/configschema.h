#pragma once

#include <QList>
#include <QString>

// The config form's fields, in one table: where each value lives, how to edit it, and whether
// a change applies to the running gateway at once (every one does today: the gateway reapplies
// its sections on save, host/port included).
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
    Kind kind;
    bool hot;
    int minimum = 0;
    int maximum = 1000000;
};

const QList<ConfigField> &configFields();
