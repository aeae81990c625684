#include "contextbuilder.h"

#include "core/safefile.h"
#include "skills/skillcatalog.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace ContextBuilder {

namespace {

constexpr qint64 kMaxFileChars = 64 * 1024;

QString readText(const QString &path)
{
    // Only regular files, opened without blocking: a FIFO named AGENTS.md must not hang a turn.
    const SafeFile::ReadResult file = SafeFile::read(path, kMaxFileChars * 4, true);
    if (!file.ok())
        return QString();
    QString text = QString::fromUtf8(file.data);
    if (text.size() > kMaxFileChars)
        text = text.left(kMaxFileChars) + QStringLiteral("\n[…truncated]");
    return text.trimmed();
}

} // namespace

QString systemPrompt(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                     const QList<ToolSpec> &tools, const QDate &today)
{
    QStringList parts;
    QString identity =
        QStringLiteral("# ClawGo\n\n"
                       "You are ClawGo, a personal assistant that runs on the user's own computer. "
                       "Be direct and "
                       "accurate, say when you are unsure, and ask before doing anything that "
                       "cannot be undone.\n\n"
                       "## Workspace\n"
                       "Your workspace is %1. Paths you give to file tools are relative to it.\n"
                       "- Long-term memory: MEMORY.md (durable facts, preferences, decisions)\n"
                       "- Daily notes: memory/YYYY-MM-DD.md\n"
                       "- Skills: skills/<name>/SKILL.md\n"
                       "Use memory_search before saying you do not remember something.")
            .arg(QDir::cleanPath(workspace));
    if (!tools.isEmpty()) {
        QList<ToolSpec> sorted = tools;
        std::sort(sorted.begin(), sorted.end(),
                  [](const ToolSpec &a, const ToolSpec &b) { return a.name < b.name; });
        identity += QStringLiteral("\n\n## Tools\n");
        for (const ToolSpec &tool : sorted)
            identity += QStringLiteral("- `%1`: %2\n").arg(tool.name, tool.description);
        identity = identity.trimmed();
    }
    parts << identity;

    QString files;
    for (const char *name : {"AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md"}) {
        const QString text = readText(QDir(workspace).filePath(QLatin1String(name)));
        if (!text.isEmpty())
            files += QStringLiteral("## %1\n\n%2\n\n").arg(QLatin1String(name), text);
    }
    if (!files.isEmpty())
        parts << files.trimmed();

    // clawgo's catalog: names, descriptions and where each SKILL.md is, never the bodies.
    const QString catalog = SkillCatalog::render(SkillCatalog::scan(skillRoots));
    if (!catalog.isEmpty())
        parts << catalog;

    QStringList memory;
    QStringList notes;
    for (const QDate &day : {today, today.addDays(-1)}) {
        const QString text = readText(QDir(workspace).filePath(
            QStringLiteral("memory/%1.md").arg(day.toString(Qt::ISODate))));
        if (!text.isEmpty())
            notes << text;
    }
    if (!notes.isEmpty())
        memory << QStringLiteral("## Recent daily notes\n\n") +
                      notes.join(QStringLiteral("\n\n---\n\n"));
    const QString longTerm = readText(QDir(workspace).filePath(QStringLiteral("MEMORY.md")));
    if (!longTerm.isEmpty())
        memory << QStringLiteral("## Long-term memory\n\n") + longTerm;
    if (!memory.isEmpty())
        parts << QStringLiteral("# Memory\n\n") + memory.join(QStringLiteral("\n\n---\n\n"));
    return parts.join(QStringLiteral("\n\n---\n\n"));
}

QStringList promptSources(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                          const QDate &today)
{
    const QDir dir(workspace);
    QStringList paths{dir.path(), dir.filePath(QStringLiteral("memory")),
                      dir.filePath(QStringLiteral("skills")),
                      dir.filePath(QStringLiteral("MEMORY.md"))};
    for (const char *name : {"AGENTS.md", "SOUL.md", "USER.md", "IDENTITY.md", "TOOLS.md"})
        paths << dir.filePath(QLatin1String(name));
    for (const QDate &day : {today, today.addDays(-1)})
        paths << dir.filePath(QStringLiteral("memory/%1.md").arg(day.toString(Qt::ISODate)));
    paths << SkillCatalog::watchPaths(skillRoots);
    // Only what exists can be watched; checked here, on the pool.
    QStringList existing;
    for (const QString &path : std::as_const(paths))
        if (QFileInfo::exists(path))
            existing << path;
    return existing;
}

QList<ChatMessage> historyWindow(const QList<ChatMessage> &history, int maxMessages)
{
    if (maxMessages <= 0 || history.size() <= maxMessages)
        return history;
    qsizetype start = history.size() - maxMessages;
    while (start < history.size() && history.at(start).role != QLatin1String("user"))
        ++start;
    return history.mid(start);
}

} // namespace ContextBuilder
