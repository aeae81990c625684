#include "logfilereader.h"

#include "clock.h"

#include <QFile>
#include <QJsonDocument>

namespace LogFileReader {

std::optional<QJsonObject> parseLine(const QByteArray &rawLine)
{
    const QByteArray line = rawLine.trimmed();
    if (line.isEmpty())
        return std::nullopt;
    if (line.startsWith('{')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error == QJsonParseError::NoError && doc.isObject())
            return doc.object();
    }
    return QJsonObject{{"time", Clock::nowUtc().toString(Qt::ISODate)},
                       {"level", QStringLiteral("INFO")},
                       {"msg", QString::fromUtf8(line)}};
}

bool readRecent(const QString &path, int limit, QJsonArray *entries, QString *error,
                qint64 maxScanBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.exists() ? QStringLiteral("cannot read the log file")
                               : QStringLiteral("log file does not exist yet");
        return false;
    }
    const qint64 size = file.size();
    constexpr qint64 chunkSize = 64 * 1024;
    QByteArray tail; // bytes from `start` to the end of the file
    qint64 start = size;
    QList<QByteArray> lines;
    while (start > 0 && size - start < maxScanBytes) {
        const qint64 readFrom = qMax<qint64>(0, start - chunkSize);
        file.seek(readFrom);
        tail.prepend(file.read(start - readFrom));
        start = readFrom;
        // Count complete lines seen so far (the first one may be cut unless start == 0).
        if (tail.count('\n') > limit + 1)
            break;
    }
    lines = tail.replace("\r\n", "\n").split('\n');
    if (start > 0 && !lines.isEmpty())
        lines.removeFirst(); // partial line at the cut
    QList<QJsonObject> parsed;
    for (qsizetype i = lines.size() - 1; i >= 0 && parsed.size() < limit; --i) {
        if (auto entry = parseLine(lines.at(i)))
            parsed.prepend(*entry);
    }
    for (const QJsonObject &entry : parsed)
        entries->append(entry);
    return true;
}

} // namespace LogFileReader
