#pragma once

#include <QJsonObject>
#include <QString>

// A tool as offered to the model: the tools declare it, the providers translate it.
struct ToolSpec
{
    QString name;
    QString description;
    QJsonObject parameters; // JSON schema
};
