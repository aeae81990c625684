#include "promptcache.h"

#include "contextbuilder.h"
#include "core/background.h"

#include <QDir>
#include <QFileInfo>

PromptCache::PromptCache(QObject *parent) : QObject(parent)
{
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &PromptCache::invalidate);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &PromptCache::invalidate);
}

QString PromptCache::keyOf(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                           const QList<ToolSpec> &tools, const QDate &today) const
{
    QString key = workspace + QLatin1Char('\n') + today.toString(Qt::ISODate);
    for (const SkillCatalog::Root &root : skillRoots)
        key += QLatin1Char('\n') + root.path;
    for (const ToolSpec &tool : tools)
        key += QLatin1Char('\n') + tool.name + QLatin1Char('\t') + tool.description;
    return key;
}

void PromptCache::invalidate()
{
    ++m_generation;
    m_key.clear();
    m_prompt.clear();
}

void PromptCache::watch(const QStringList &paths)
{
    const QStringList watched = m_watcher.files() + m_watcher.directories();
    if (!watched.isEmpty())
        m_watcher.removePaths(watched);
    if (!paths.isEmpty())
        m_watcher.addPaths(paths); // existing ones (promptSources() checked on the pool)
}

void PromptCache::get(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                      const QList<ToolSpec> &tools, const QDate &today, QObject *context,
                      std::function<void(const QString &)> ready)
{
    const QString key = keyOf(workspace, skillRoots, tools, today);
    if (!m_key.isEmpty() && m_key == key) {
        ready(m_prompt);
        return;
    }
    m_waiting.append(Waiting{context, std::move(ready)});
    if (m_buildingKey == key)
        return; // joins the build under way
    m_buildingKey = key;
    const quint64 generation = m_generation;
    ++m_builds;
    Background::run(
        this,
        [workspace, skillRoots, tools, today] {
            const QString prompt =
                ContextBuilder::systemPrompt(workspace, skillRoots, tools, today);
            return qMakePair(prompt, ContextBuilder::promptSources(workspace, skillRoots, today));
        },
        [this, key, generation](const QPair<QString, QStringList> &built) {
            if (m_buildingKey == key)
                m_buildingKey.clear();
            // Watched from now on; a change that happened during the build made it stale.
            if (generation == m_generation) {
                m_key = key;
                m_prompt = built.first;
                watch(built.second);
            }
            const QList<Waiting> waiting = std::exchange(m_waiting, {});
            for (const Waiting &w : waiting)
                if (w.context)
                    w.ready(built.first);
        });
}
