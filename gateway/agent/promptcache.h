#pragma once

#include "core/toolspec.h"
#include "skills/skillcatalog.h"

#include <QDate>
#include <QFileSystemWatcher>
#include <QObject>
#include <QPointer>
#include <functional>

// The system prompt of the workspace, built on the file pool (ContextBuilder reads a dozen
// files) and kept until a file it read changes (a watcher says so) or the day, the workspace or
// the tools change. A turn never reads the workspace files on the event loop.
class PromptCache : public QObject
{
    Q_OBJECT

public:
    explicit PromptCache(QObject *parent = nullptr);
    // Calls `ready(prompt)` on this thread: at once when cached, else after a build (several
    // callers share one build). Dropped when `context` is gone.
    void get(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
             const QList<ToolSpec> &tools, const QDate &today, QObject *context,
             std::function<void(const QString &prompt)> ready);
    void invalidate();
    quint64 builds() const { return m_builds; } // how often it was built (tests)

private:
    struct Waiting
    {
        QPointer<QObject> context;
        std::function<void(const QString &)> ready;
    };
    QString keyOf(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                  const QList<ToolSpec> &tools, const QDate &today) const;
    void watch(const QStringList &paths);

    QFileSystemWatcher m_watcher;
    QString m_key;    // what the cached prompt was built for
    QString m_prompt; // valid while m_key is set
    QString m_buildingKey;
    quint64 m_generation = 0; // bumped on every invalidation
    quint64 m_builds = 0;
    QList<Waiting> m_waiting;
};
