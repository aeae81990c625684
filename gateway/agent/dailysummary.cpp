#include "dailysummary.h"

#include "core/safefile.h"
#include "core/workspacepaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>

namespace DailySummary {

QString cutUtf8(const QString &text, int maxBytes)
{
    if (text.toUtf8().size() <= maxBytes)
        return text;
    QString cut;
    int bytes = 0;
    const int budget = maxBytes - 3;
    for (qsizetype i = 0; i < text.size(); ++i) {
        // A surrogate pair is one character: keep or drop it whole.
        const qsizetype length = text.at(i).isHighSurrogate() && i + 1 < text.size() ? 2 : 1;
        const int size = int(text.mid(i, length).toUtf8().size());
        if (bytes + size > budget)
            break;
        cut += text.mid(i, length);
        bytes += size;
        i += length - 1;
    }
    return cut + QStringLiteral("...");
}

QString entry(const QDateTime &localNow, const QString &request, const QString &reply,
              const QString &sessionKey)
{
    if (reply.trimmed().isEmpty())
        return QString();
    if (request.contains(QLatin1String("heartbeat"), Qt::CaseInsensitive) &&
        reply.contains(QLatin1String("heartbeat_ok"), Qt::CaseInsensitive))
        return QString();
    QString task = request;
    const qsizetype marker = task.indexOf(QLatin1String("Task:\n"));
    if (marker >= 0)
        task = task.mid(marker + 6);
    task = task.trimmed().section(QLatin1Char('\n'), 0, 0).trimmed();
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    const QString did = QString(reply).replace(spaces, QStringLiteral(" ")).trimmed();
    const qsizetype colon = sessionKey.indexOf(QLatin1Char(':'));
    const QString channel = colon > 0 ? sessionKey.left(colon) : QStringLiteral("webui");
    return QStringLiteral("## %1 Main Agent | %2\n\n- Did: %3\n- Channel: %4\n- Session: %5\n")
        .arg(localNow.toString(QStringLiteral("HH:mm")), cutUtf8(task, 72), cutUtf8(did, 320),
             channel, sessionKey);
}

bool append(const QString &workspace, const QDate &date, const QString &entry, QString *error)
{
    static QMutex mutex; // turns of different sessions may finish together
    const QMutexLocker locker(&mutex);
    const QString day = date.toString(Qt::ISODate);
    const QString relative = QStringLiteral("memory/%1.md").arg(day);
    // Confined like the file tools: a memory/ that is a symlink out of the workspace is not
    // written through.
    WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(workspace, relative);
    if (!resolved.ok) {
        *error = QStringLiteral("%1 is not inside the workspace").arg(relative);
        return false;
    }
    if (!QDir().mkpath(QFileInfo(resolved.absolute).absolutePath())) {
        *error = QStringLiteral("cannot create the memory folder");
        return false;
    }
    resolved = WorkspacePaths::resolve(workspace, relative);
    if (!resolved.ok) {
        *error = QStringLiteral("%1 is not inside the workspace").arg(relative);
        return false;
    }
    const bool fresh = !QFileInfo::exists(resolved.absolute);
    const QByteArray text =
        (fresh ? QStringLiteral("# %1\n\n").arg(day) : QStringLiteral("\n")).toUtf8() +
        entry.toUtf8();
    if (!SafeFile::append(resolved.absolute, text, error)) {
        *error = QStringLiteral("cannot write %1: %2").arg(relative, *error);
        return false;
    }
    return true;
}

} // namespace DailySummary
