#include "memorytools.h"

#include "pooltool.h"

#include "core/atomicfile.h"
#include "core/clock.h"
#include "core/safefile.h"
#include "core/workspacepaths.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace {

struct Block
{
    QString file; // relative to the workspace
    int startLine = 0;
    int endLine = 0;
    QString heading;
    QString text;
};

QStringList memoryFiles(const QString &workspace)
{
    QStringList files;
    if (QFileInfo(workspace + QStringLiteral("/MEMORY.md")).isFile())
        files << QStringLiteral("MEMORY.md");
    QStringList daily;
    QDirIterator it(workspace + QStringLiteral("/memory"), {QStringLiteral("*.md")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        daily << QDir(workspace).relativeFilePath(it.next());
    daily.sort();
    return files + daily;
}

QList<Block> blocksOf(const QString &workspace, const QString &relative)
{
    QList<Block> blocks;
    // Confined like every other path the tools open: a symlinked memory/ or MEMORY.md that
    // leads out of the workspace is skipped.
    const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(workspace, relative);
    if (!resolved.ok)
        return blocks;
    const SafeFile::ReadResult file = SafeFile::read(resolved.absolute, 4 * 1024 * 1024);
    if (!file.ok())
        return blocks;
    static const QRegularExpression listItem(QStringLiteral("^(\\s*[-*] |\\s*\\d+\\. )"));
    const QStringList lines = QString::fromUtf8(file.data).split(QLatin1Char('\n'));
    QString heading;
    Block current;
    auto flush = [&] {
        if (!current.text.trimmed().isEmpty())
            blocks << current;
        current = Block();
    };
    for (int i = 0; i < lines.size(); ++i) {
        const QString &line = lines.at(i);
        if (line.startsWith(QLatin1Char('#'))) {
            flush();
            heading = line.trimmed();
            blocks << Block{relative, i + 1, i + 1, QString(), line};
            continue;
        }
        if (line.trimmed().isEmpty()) {
            flush();
            continue;
        }
        if (listItem.match(line).hasMatch())
            flush();
        if (current.text.isEmpty()) {
            current = Block{relative, i + 1, i + 1, heading, line};
        } else {
            current.text += QLatin1Char('\n') + line;
            current.endLine = i + 1;
        }
    }
    flush();
    return blocks;
}

} // namespace

static ToolSpec memorySearchSpec()
{
    return {
        QStringLiteral("memory_search"),
        QStringLiteral(
            "Search MEMORY.md and memory/*.md for paragraphs containing the query words."),
        QJsonObject{{"type", "object"},
                    {"properties", QJsonObject{{"query", QJsonObject{{"type", "string"}}},
                                               {"maxResults", QJsonObject{{"type", "integer"}}}}},
                    {"required", QJsonArray{"query"}}}};
}

static ToolOutcome memorySearch(const QJsonObject &arguments, const ToolContext &context)
{
    const QString query = arguments.value("query").toString().trimmed();
    if (query.isEmpty())
        return (ToolOutcome::fail(QStringLiteral("query is required")));
    const int maxResults = qBound(1, arguments.value("maxResults").toInt(5), 50);
    const QStringList keywords =
        query.toLower().split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    struct Hit
    {
        int score;
        Block block;
    };
    QList<Hit> hits;
    for (const QString &file : memoryFiles(context.workspace)) {
        for (const Block &block : blocksOf(context.workspace, file)) {
            const QString text = block.text.toLower();
            const QString heading = block.heading.toLower();
            int score = 0;
            for (const QString &keyword : keywords)
                score += int(text.contains(keyword)) + int(heading.contains(keyword));
            if (score > 0)
                hits << Hit{score, block};
        }
    }
    std::stable_sort(hits.begin(), hits.end(), [](const Hit &a, const Hit &b) {
        if (a.score != b.score)
            return a.score > b.score;
        if (a.block.file != b.block.file)
            return a.block.file < b.block.file;
        return a.block.startLine < b.block.startLine;
    });
    if (hits.isEmpty())
        return (ToolOutcome::ok(
            QStringLiteral("No memory found for query: %1 (namespace=main)").arg(query)));
    QString out = QStringLiteral("Found %1 memories for '%2' (namespace=main):\n\n")
                      .arg(qMin<qsizetype>(hits.size(), maxResults))
                      .arg(query);
    for (const Hit &hit : hits.mid(0, maxResults)) {
        QString content = hit.block.text;
        if (!hit.block.heading.isEmpty() && !content.startsWith(QLatin1Char('#')))
            content = QLatin1Char('[') + hit.block.heading + QStringLiteral("]\n") + content;
        out += QStringLiteral("Source: %1#L%2-L%3\n%4\n\n")
                   .arg(hit.block.file)
                   .arg(hit.block.startLine)
                   .arg(hit.block.endLine)
                   .arg(content);
    }
    return (ToolOutcome::ok(out.trimmed()));
}

static ToolSpec memoryGetSpec()
{
    return {QStringLiteral("memory_get"),
            QStringLiteral("Read lines of MEMORY.md or memory/*.md (from: first line, lines: how "
                           "many, at most 500)."),
            QJsonObject{{"type", "object"},
                        {"properties", QJsonObject{{"path", QJsonObject{{"type", "string"}}},
                                                   {"from", QJsonObject{{"type", "integer"}}},
                                                   {"lines", QJsonObject{{"type", "integer"}}}}},
                        {"required", QJsonArray{"path"}}}};
}

static ToolOutcome memoryGet(const QJsonObject &arguments, const ToolContext &context)
{
    const QString path = arguments.value("path").toString().trimmed();
    if (path.isEmpty())
        return (ToolOutcome::fail(QStringLiteral("path is required")));
    if (QDir::isAbsolutePath(path))
        return (ToolOutcome::fail(QStringLiteral("absolute path is not allowed")));
    const QString clean = QDir::cleanPath(path);
    const bool allowed =
        clean == QLatin1String("MEMORY.md") ||
        (clean.startsWith(QLatin1String("memory/")) && clean.endsWith(QLatin1String(".md")) &&
         !clean.contains(QLatin1String("..")));
    const WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(context.workspace, clean);
    if (!allowed || !resolved.ok)
        return (ToolOutcome::fail(QStringLiteral("path not allowed: %1").arg(path)));
    const int from = qMax(1, arguments.value("from").toInt(1));
    const int count = qBound(1, arguments.value("lines").toInt(80), 500);
    const SafeFile::ReadResult file = SafeFile::read(resolved.absolute, 4 * 1024 * 1024, true);
    if (!file.ok())
        return (ToolOutcome::fail(QStringLiteral("%1 does not exist").arg(clean)));
    const QStringList lines = QString::fromUtf8(file.data).split(QLatin1Char('\n'));
    QString out = QStringLiteral("Source: %1#L%2-L%3\n").arg(clean).arg(from).arg(from + count - 1);
    int shown = 0;
    for (int i = from - 1; i < lines.size() && shown < count; ++i, ++shown)
        out += QStringLiteral("%1: %2\n").arg(i + 1).arg(lines.at(i));
    if (shown == 0)
        return (ToolOutcome::ok(QStringLiteral("No content in range for %1 (from=%2, lines=%3)")
                                    .arg(clean)
                                    .arg(from)
                                    .arg(count)));
    return (ToolOutcome::ok(out));
}

static ToolSpec memoryWriteSpec()
{
    return {
        QStringLiteral("memory_write"),
        QStringLiteral("Write a memory entry: kind=longterm (MEMORY.md, for durable preferences "
                       "and decisions) or daily (memory/YYYY-MM-DD.md)."),
        QJsonObject{
            {"type", "object"},
            {"properties",
             QJsonObject{{"content", QJsonObject{{"type", "string"}}},
                         {"kind", QJsonObject{{"type", "string"},
                                              {"enum", QJsonArray{"longterm", "daily"}}}},
                         {"importance", QJsonObject{{"type", "string"},
                                                    {"enum", QJsonArray{"low", "medium", "high"}}}},
                         {"source", QJsonObject{{"type", "string"}}},
                         {"tags", QJsonObject{{"type", "array"},
                                              {"items", QJsonObject{{"type", "string"}}}}},
                         {"append", QJsonObject{{"type", "boolean"}}}}},
            {"required", QJsonArray{"content"}}}};
}

static ToolOutcome memoryWrite(const QJsonObject &arguments, const ToolContext &context)
{
    const QString content = arguments.value("content").toString().trimmed();
    if (content.isEmpty())
        return (ToolOutcome::ok(QStringLiteral("error: content is required")));
    const QString kind =
        arguments.value("kind").toString(QStringLiteral("daily")).trimmed().toLower();
    const QString importance =
        arguments.value("importance").toString(QStringLiteral("medium")).trimmed().toLower();
    const QString source = arguments.value("source").toString(QStringLiteral("user")).trimmed();
    QStringList tags;
    for (const QJsonValue &tag : arguments.value("tags").toArray())
        if (!tag.toString().trimmed().isEmpty())
            tags << tag.toString().trimmed().toLower();
    bool longterm;
    if (kind == QLatin1String("longterm") || kind == QLatin1String("memory") ||
        kind == QLatin1String("permanent"))
        longterm = true;
    else if (kind == QLatin1String("daily") || kind == QLatin1String("log") ||
             kind == QLatin1String("today"))
        longterm = false;
    else
        return (ToolOutcome::fail(
            QStringLiteral("invalid kind '%1', expected longterm or daily").arg(kind)));
    if (longterm) {
        // Only durable things go to long-term memory; the rest is kept as a daily note.
        static const QStringList gateTags{"preference", "decision", "rule", "policy", "identity"};
        bool passes = importance == QLatin1String("high");
        for (const QString &tag : tags)
            passes |= gateTags.contains(tag);
        if (!passes) {
            longterm = false;
            tags << QStringLiteral("downgraded:longterm_gate");
        }
    }
    const QDateTime now = Clock::nowUtc().toLocalTime();
    const QString relative =
        longterm ? QStringLiteral("MEMORY.md")
                 : QStringLiteral("memory/%1.md").arg(now.toString(QStringLiteral("yyyy-MM-dd")));
    // Confined like the other file tools: a memory/ folder that is a symlink out of the
    // workspace is not written through.
    WorkspacePaths::Resolved resolved = WorkspacePaths::resolve(context.workspace, relative);
    if (!resolved.ok)
        return (ToolOutcome::fail(
            QStringLiteral("cannot write memory: %1 is not inside the workspace").arg(relative)));
    QDir().mkpath(QFileInfo(resolved.absolute).absolutePath());
    resolved = WorkspacePaths::resolve(context.workspace, relative); // the folder exists now
    if (!resolved.ok)
        return (ToolOutcome::fail(
            QStringLiteral("cannot write memory: %1 is not inside the workspace").arg(relative)));
    QString line = QStringLiteral("[importance=%1 | source=%2").arg(importance, source);
    if (!tags.isEmpty())
        line += QStringLiteral(" | tags=") + tags.join(QLatin1Char(','));
    line += QStringLiteral("] ") + content;
    const bool append = arguments.value("append").toBool(true);
    QString error;
    if (append) {
        if (!SafeFile::append(resolved.absolute,
                              QStringLiteral("- [%1] %2\n")
                                  .arg(now.toString(QStringLiteral("HH:mm")), line)
                                  .toUtf8(),
                              &error))
            return (ToolOutcome::fail(QStringLiteral("cannot write memory")));
        return (ToolOutcome::ok(QStringLiteral("Appended memory to %1").arg(relative)));
    }
    if (!AtomicFile::write(resolved.absolute, (line + QLatin1Char('\n')).toUtf8(), &error))
        return (ToolOutcome::fail(QStringLiteral("cannot write memory")));
    return (ToolOutcome::ok(QStringLiteral("Wrote %1 memory: %2 (namespace=main)")
                                .arg(longterm ? "long-term" : "daily", relative)));
}

namespace MemoryTools {

std::unique_ptr<Tool> memorySearchTool()
{
    return std::make_unique<PoolTool>(memorySearchSpec(), &memorySearch);
}

std::unique_ptr<Tool> memoryGetTool()
{
    return std::make_unique<PoolTool>(memoryGetSpec(), &memoryGet);
}

std::unique_ptr<Tool> memoryWriteTool()
{
    return std::make_unique<PoolTool>(memoryWriteSpec(), &memoryWrite);
}

} // namespace MemoryTools
