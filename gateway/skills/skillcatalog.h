#pragma once

#include <QList>
#include <QString>
#include <QStringList>

// clawgo's skills (spec/agent.md §7): a folder with a SKILL.md under one of the skill roots;
// `<name>.disabled` is a disabled one. The agent sees a catalog of them in its system prompt
// (never their bodies) and reads the SKILL.md it needs. Everything here is pure and reads the
// disk: call it on the file pool.
namespace SkillCatalog {

struct Root
{
    QString path;
    QString source; // "workspace", "global"
};

struct Entry
{
    QString name; // the folder's name
    QString description;
    QString location; // absolute path of its SKILL.md
    QString source;
};

// The roots in precedence order: <workspace>/skills, <config dir>/skills. (clawgo's third,
// <start folder>/skills, is left out: a desktop app starts in $HOME or /, and neither the
// agent's file tools nor skill_exec may reach it.)
QList<Root> roots(const QString &workspace, const QString &configDir);
// The enabled skills of the roots: a name from an earlier root shadows a later one; `.disabled`
// folders and folders without SKILL.md are left out (the reference listed disabled ones).
QList<Entry> scan(const QList<Root> &roots);
// The "## Skills Catalog" section (empty without skills); the same skills give the same bytes.
QString render(const QList<Entry> &entries);
// The description of a SKILL.md's front matter (JSON or simple `key: value` lines); empty when
// it has none.
QString description(const QString &skillMd);
// What to watch so a new, removed or edited skill rebuilds the catalog: each root, or the
// nearest existing folder above it, its skill folders and their SKILL.md (existing paths).
QStringList watchPaths(const QList<Root> &roots);

// A skill name as the API and the tools accept it: letters, digits, `.`, `_`, `-`, at most
// 128 characters, not starting with `.` and without `..` (so never a path).
bool isValidName(const QString &name);

} // namespace SkillCatalog
