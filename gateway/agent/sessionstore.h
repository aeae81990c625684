#pragma once

#include "providers/llmtypes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <functional>

// Chat sessions on disk as clawgo keeps them (spec/agent.md §3): one JSON line per message in
// <dir>/<escaped key>.active.jsonl (older segments <key>.NNNN.jsonl and legacy <key>.jsonl are
// read too), append-only, written through per message. A torn last line (a crash mid-write) is
// skipped on load and reported in the log. Loaded sessions stay in memory.
class SessionStore : public QObject
{
    Q_OBJECT

public:
    struct Compaction
    {
        QString summary;
        int compactedMessages = 0; // messages folded into the summary
        int count = 0;             // how many times the session was compacted
    };

    explicit SessionStore(const QString &directory = QString(), QObject *parent = nullptr);

    void setDirectory(const QString &directory);
    QString directory() const { return m_directory; }

    // File-name escaping of keys: % : \ / (spec/agent.md §3.1), and back.
    static QString encodeKey(const QString &key);
    static QString decodeKey(const QString &stem);
    // subagent:, internal:, heartbeat:, cron: and hook: sessions are internal.
    static bool isInternalKey(const QString &key);

    // The messages of a session, reading it from disk on first use (on this thread: prefer
    // loadAsync() where a long session must not hold up the event loop).
    const QList<ChatMessage> &messages(const QString &key);
    // Reads the session on the thread pool if it is not in memory yet, then calls `ready` on
    // the event loop (at once when it is already loaded). `context` bounds the callback.
    void loadAsync(const QString &key, QObject *context, std::function<void()> ready);
    // Starts loading every session on disk in the background (at startup).
    void preloadAll();
    bool append(const QString &key, const ChatMessage &message, QString *error = nullptr);
    // The summary of the older part of a session and how far it reaches. The log itself is
    // never rewritten; the summary lives in <key>.meta.json (clawgo's sidecar, "summary").
    Compaction compaction(const QString &key);
    bool setCompaction(const QString &key, const Compaction &compaction, QString *error = nullptr);
    // Keys of the sessions on disk (decoded), sorted, plus those created in memory.
    QStringList keys() const;
    // The history API's window over sequence numbers 1..n (spec/agent.md §3.7).
    QList<ChatMessage> window(const QString &key, int around, int before, int after, int limit);

private:
    struct Loaded
    {
        QList<ChatMessage> messages;
        bool tornActiveTail = false;
        Compaction compaction;
    };
    QStringList segmentFiles(const QString &key) const;
    // Pure: safe on any thread.
    static Loaded parseFiles(const QString &key, const QStringList &files);
    void adopt(const QString &key, const Loaded &loaded);

    QString m_directory;
    QHash<QString, QList<ChatMessage>> m_cache;
    QHash<QString, Compaction> m_compactions;
    QSet<QString> m_needsNewline; // active files whose last line was torn
};
