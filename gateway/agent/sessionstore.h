#pragma once

#include "core/chatmessage.h"

#include "core/background.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <functional>
#include <memory>

// Chat sessions on disk as clawgo keeps them (spec/agent.md §3): one JSON line per message in
// <dir>/<escaped key>.active.jsonl (older segments <key>.NNNN.jsonl and legacy <key>.jsonl are
// read too), append-only. A torn last line (a crash mid-write) is skipped on load and reported
// in the log. Loaded sessions stay in memory. The disk is only touched on the file pool: loads
// are parsed there, and appends are written there in order (one writer per store), synced, so
// the event loop never waits for it. Keys are literal everywhere (never file-name patterns).
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

    ~SessionStore() override;

    // The messages of a loaded session (empty when it is not loaded: see loadAsync()).
    QList<ChatMessage> messages(const QString &key) const;
    bool isLoaded(const QString &key) const { return m_cache.contains(key); }
    // Reads the session on the file pool if it is not in memory yet, then calls `ready` on
    // the event loop (at once when it is already loaded). `context` bounds the callback.
    void loadAsync(const QString &key, QObject *context, std::function<void()> ready);
    // Starts loading every session on disk in the background (at startup).
    void preloadAll();
    // Adds a message: in memory at once, on disk through the store's writer. `durable` (if
    // given) runs on this thread once the line is synced (or failed to be written), unless
    // `context` is gone.
    void append(const QString &key, const ChatMessage &message, QObject *context = nullptr,
                std::function<void(bool ok)> durable = {});
    // The summary of the older part of a session and how far it reaches (of a loaded session).
    // The log itself is never rewritten; the summary lives in <key>.meta.json (clawgo's sidecar,
    // "summary").
    Compaction compaction(const QString &key) const;
    void setCompaction(const QString &key, const Compaction &compaction);
    // Keys of the sessions known in memory (loaded or written here), sorted.
    QStringList knownKeys() const;
    // Deletes a session as clawgo marks deleted logs: its files are renamed
    // `<name>.deleted.<yyyyMMddTHHmmss>` (clawgo removes those after 30 days; until then they can
    // be brought back by hand). `done(ok)` runs on this thread once the files are renamed.
    void remove(const QString &key, QObject *context, std::function<void(bool)> done);
    // The title given with rename(), else the session's first user message, shortened, when it
    // is loaded; else empty.
    QString title(const QString &key) const;
    // Names a session (an empty title goes back to the first question). Kept in
    // session-titles.json beside the sessions folder.
    void rename(const QString &key, const QString &title);
    // Lists the sessions on disk on the file pool, merges them into knownKeys() and calls
    // `done` with the decoded keys, sorted.
    void listKeys(QObject *context, std::function<void(const QStringList &)> done);
    // The history API's window over sequence numbers 1..n (spec/agent.md §3.7).
    QList<ChatMessage> window(const QString &key, int around, int before, int after,
                              int limit) const;
    // Blocks until every write handed to the writer is on disk (shutdown, tests).
    void waitForWrites();
    // Loads under way or appends waiting for their session's load (they need the event loop).
    bool hasPendingWork() const;

private:
    struct Loaded
    {
        QList<ChatMessage> messages;
        bool tornActiveTail = false;
        Compaction compaction;
    };
    // Pure: safe on any thread.
    static QStringList segmentFiles(const QString &directory, const QString &key);
    static QStringList keysOnDisk(const QString &directory);
    static Loaded load(const QString &directory, const QString &key);
    static bool writeLine(const QString &directory, const QString &key, const QByteArray &line);
    void adopt(const QString &key, const Loaded &loaded);
    static QString titlesPath(const QString &directory);
    void saveTitle(const QString &key, const QString &title); // empty: removes it

    QString m_directory;
    QHash<QString, QList<ChatMessage>> m_cache;
    QHash<QString, Compaction> m_compactions;
    QSet<QString> m_needsNewline;     // active files whose last line was torn
    QSet<QString> m_keys;             // known keys (on disk or written here)
    QHash<QString, QString> m_titles; // given titles, by key
    bool m_titlesRead = false;        // session-titles.json was read for this folder
    struct Deferred
    {
        ChatMessage message;
        QPointer<QObject> context;
        bool hadContext = false;
        std::function<void(bool)> durable;
    };
    QHash<QString, QList<Deferred>> m_deferred; // appends to sessions still loading
    int m_loading = 0;
    std::unique_ptr<Background::SerialQueue> m_writer;

Q_SIGNALS:
    // preloadAll() has read every session it found (their titles are known now).
    void preloaded();
};
