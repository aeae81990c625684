#include "skillcatalog.h"

#include "core/safefile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace SkillCatalog {

namespace {

constexpr qint64 kSkillMdCap = 256 * 1024;
constexpr int kMostSkillsPerRoot = 2000;

QString escapeXml(QString text)
{
    return text.replace(QLatin1Char('&'), QLatin1String("&amp;"))
        .replace(QLatin1Char('<'), QLatin1String("&lt;"))
        .replace(QLatin1Char('>'), QLatin1String("&gt;"));
}

QString unquote(QString value)
{
    value = value.trimmed();
    if (value.size() >= 2 &&
        (value.front() == QLatin1Char('"') || value.front() == QLatin1Char('\'')) &&
        value.back() == value.front())
        value = value.mid(1, value.size() - 2);
    return value;
}

} // namespace

QList<Root> roots(const QString &workspace, const QString &configDir)
{
    QList<Root> list;
    const auto add = [&list](const QString &folder, const char *source) {
        if (folder.trimmed().isEmpty())
            return;
        const QString path = QDir::cleanPath(folder + QStringLiteral("/skills"));
        for (const Root &root : std::as_const(list))
            if (root.path == path)
                return; // the same folder twice (the workspace inside the config folder)
        list.append({path, QString::fromLatin1(source)});
    };
    add(workspace, "workspace");
    add(configDir, "global");
    return list;
}

QString description(const QString &skillMd)
{
    QString text = skillMd;
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    if (!text.startsWith(QLatin1String("---\n")))
        return QString();
    // The front matter ends at the first closing line (the reference took the last one, so a
    // `---` rule in the body swallowed the body).
    const qsizetype end = text.indexOf(QLatin1String("\n---"), 3);
    if (end < 4) // none, or an empty front matter
        return QString();
    const QString front = text.mid(4, end - 4);
    const QJsonDocument json = QJsonDocument::fromJson(front.toUtf8());
    if (json.isObject())
        return json.object().value("description").toString().trimmed();
    QString found;
    for (const QString &line : front.split(QLatin1Char('\n'))) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon > 0 && line.left(colon).trimmed() == QLatin1String("description"))
            found = unquote(line.mid(colon + 1)); // a later one wins, as in the reference
    }
    return found;
}

QList<Entry> scan(const QList<Root> &roots)
{
    QList<Entry> entries;
    QSet<QString> seen;
    for (const Root &root : roots) {
        const QFileInfoList folders =
            QDir(root.path).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        int taken = 0;
        for (const QFileInfo &folder : folders) {
            const QString name = folder.fileName();
            if (name.endsWith(QLatin1String(".disabled")) || !isValidName(name) ||
                seen.contains(name))
                continue;
            const QString skillMd = folder.absoluteFilePath() + QStringLiteral("/SKILL.md");
            const SafeFile::ReadResult read = SafeFile::read(skillMd, kSkillMdCap, true);
            if (!read.ok())
                continue;
            seen.insert(name);
            // A description is a line of the catalog, not a document: bounded.
            entries.append(
                {name, description(QString::fromUtf8(read.data)).left(1024), skillMd, root.source});
            if (++taken >= kMostSkillsPerRoot)
                break;
        }
    }
    return entries;
}

QString render(const QList<Entry> &entries)
{
    if (entries.isEmpty())
        return QString();
    QString text = QStringLiteral("## Skills Catalog\n\n<skills>\n");
    for (const Entry &entry : entries)
        text += QStringLiteral("  <skill>\n    <name>%1</name>\n    <description>%2</description>\n"
                               "    <location>%3</location>\n    <source>%4</source>\n  </skill>\n")
                    .arg(escapeXml(entry.name), escapeXml(entry.description),
                         escapeXml(entry.location), entry.source);
    text += QStringLiteral("</skills>");
    return text;
}

QStringList watchPaths(const QList<Root> &roots)
{
    QStringList paths;
    for (const Root &root : roots) {
        // A root made later is noticed through the folder above it.
        QString watched = root.path;
        while (!QFileInfo(watched).isDir() && QFileInfo(watched).absolutePath() != watched)
            watched = QFileInfo(watched).absolutePath();
        paths << watched;
        const QFileInfoList folders =
            QDir(root.path).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
        for (qsizetype i = 0; i < folders.size() && i < kMostSkillsPerRoot; ++i) {
            paths << folders.at(i).absoluteFilePath();
            const QString skillMd = folders.at(i).absoluteFilePath() + QStringLiteral("/SKILL.md");
            if (QFileInfo::exists(skillMd))
                paths << skillMd;
        }
    }
    return paths;
}

bool isValidName(const QString &name)
{
    static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$"));
    return allowed.match(name).hasMatch() && !name.contains(QLatin1String(".."));
}

} // namespace SkillCatalog
