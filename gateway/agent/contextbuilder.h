#pragma once

#include "core/chatmessage.h"
#include "core/toolspec.h"
#include "skills/skillcatalog.h"

#include <QDate>

// The system prompt, in our own words, from the workspace files (spec/agent.md §2.3). It holds
// nothing that changes from turn to turn on its own (no clock time; tools sorted by name), so
// providers' prompt caches keep hitting; only edits of the files, or the date, change it.
namespace ContextBuilder {

QString systemPrompt(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                     const QList<ToolSpec> &tools, const QDate &today);
// The files and folders systemPrompt() reads that exist (or, for a missing skills root, the
// folder above it), so a cache can watch them. Reads the disk: on the pool.
QStringList promptSources(const QString &workspace, const QList<SkillCatalog::Root> &skillRoots,
                          const QDate &today);
// The tail of `history` that fits `maxMessages`, starting at a user message so no tool result
// loses the call that asked for it.
QList<ChatMessage> historyWindow(const QList<ChatMessage> &history, int maxMessages);

} // namespace ContextBuilder
