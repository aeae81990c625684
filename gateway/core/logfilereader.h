#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace LogFileReader {

// One log line as the API shows it: a JSON object line as it is, anything else wrapped as
// {time, level: INFO, msg}. Blank lines give nothing.
std::optional<QJsonObject> parseLine(const QByteArray &line);

// The last `limit` non-blank lines of the file, oldest first, read backwards from the end so
// a huge file costs only its tail. At most `maxScanBytes` are read.
bool readRecent(const QString &path, int limit, QJsonArray *entries, QString *error,
                qint64 maxScanBytes = 8 * 1024 * 1024);

} // namespace LogFileReader
