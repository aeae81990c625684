#include "sessionstore.h"

#include "core/atomicfile.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "core/safefile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QPromise>
#include <QRegularExpression>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

ChatMessage parseLine(const QJsonObject &object, bool *ok)
{
    ChatMessage message;
    *ok = false;
    if (!object.value("role").toString().trimmed().isEmpty()) {
        // A plain message object.
        message.role = object.value("role").toString().toLower();
        message.content = object.value("content").toString();
        message.reasoning = object.value("reasoning_content").toString();
        message.toolCallId = object.value("tool_call_id").toString();
        for (const QJsonValue &call : object.value("tool_calls").toArray())
            message.toolCalls.append(ToolCall::fromJson(call.toObject()));
    } else if (object.value("type").toString() == QLatin1String("message")) {
        const QJsonObject inner = object.value("message").toObject();
        message.time =
            QDateTime::fromString(object.value("timestamp").toString(), Qt::ISODateWithMs);
        message.role = inner.value("role").toString().toLower();
        QStringList texts;
        for (const QJsonValue &part : inner.value("content").toArray())
            if (part.toObject().contains("text"))
                texts << part.toObject().value("text").toString();
        if (inner.value("content").isString())
            texts << inner.value("content").toString();
        message.content = texts.join(QLatin1Char('\n'));
        message.reasoning = inner.value("reasoning_content").toString();
        message.toolCallId = inner.value("toolCallId").toString();
        for (const QJsonValue &call : inner.value("toolCalls").toArray())
            message.toolCalls.append(ToolCall::fromJson(call.toObject()));
    } else {
        return message;
    }
    if (message.role == QLatin1String("toolresult"))
        message.role = QStringLiteral("tool");
    *ok = !message.role.isEmpty();
    return message;
}

QByteArray eventLine(const ChatMessage &message)
{
    QJsonObject content{{"type", "text"}};
    if (!message.content.isEmpty())
        content.insert("text", message.content);
    QJsonObject inner{{"role", message.role == QLatin1String("tool") ? QStringLiteral("toolResult")
                                                                     : message.role},
                      {"content", QJsonArray{content}}};
    if (!message.reasoning.isEmpty())
        inner.insert("reasoning_content", message.reasoning);
    if (!message.toolCallId.isEmpty())
        inner.insert("toolCallId", message.toolCallId);
    if (!message.toolCalls.isEmpty()) {
        QJsonArray calls;
        for (const ToolCall &call : message.toolCalls)
            calls.append(call.toJson());
        inner.insert("toolCalls", calls);
    }
    const QJsonObject event{{"type", "message"},
                            {"timestamp", (message.time.isValid() ? message.time : Clock::nowUtc())
                                              .toUTC()
                                              .toString(Qt::ISODateWithMs)},
                            {"message", inner}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

SessionStore::SessionStore(const QString &directory, QObject *parent)
    : QObject(parent), m_directory(directory), m_writer(std::make_unique<Background::SerialQueue>())
{}

SessionStore::~SessionStore()
{
    m_writer->waitForIdle();
}

void SessionStore::setDirectory(const QString &directory)
{
    if (directory == m_directory)
        return;
    m_directory = directory;
    m_cache.clear();
    m_compactions.clear();
    m_needsNewline.clear();
    m_keys.clear();
    m_titles.clear();
    m_titlesRead = false; // read with the next listing of the folder
}

QString SessionStore::titlesPath(const QString &directory)
{
    // Beside clawgo's sessions folder, not in it: clawgo never reads it.
    return QFileInfo(directory).absolutePath() + QStringLiteral("/session-titles.json");
}

void SessionStore::rename(const QString &key, const QString &titleIn)
{
    const QString title = titleIn.simplified().left(200);
    if (title.isEmpty())
        m_titles.remove(key);
    else
        m_titles.insert(key, title);
    saveTitle(key, title);
}

void SessionStore::saveTitle(const QString &key, const QString &title)
{
    // Read, change one entry, write: on the writer, so saves keep their order and a title
    // file not read yet loses nothing.
    if (m_directory.isEmpty())
        return;
    const QString path = titlesPath(m_directory);
    m_writer->post([path, key, title] {
        const SafeFile::ReadResult file = SafeFile::read(path, 4 << 20);
        QJsonObject titles =
            file.ok() ? QJsonDocument::fromJson(file.data).object() : QJsonObject();
        if (title.isEmpty())
            titles.remove(key);
        else
            titles.insert(key, title);
        QString error;
        if (!AtomicFile::write(path, QJsonDocument(titles).toJson(), &error))
            qCWarning(lcAgent).noquote() << "cannot save session titles:" << error;
    });
}

QString SessionStore::encodeKey(const QString &key)
{
    QString stem = key;
    stem.replace(QLatin1String("%"), QLatin1String("%25"));
    stem.replace(QLatin1String(":"), QLatin1String("%3A"));
    stem.replace(QLatin1String("\\"), QLatin1String("%5C"));
    stem.replace(QLatin1String("/"), QLatin1String("%2F"));
    return stem;
}

QString SessionStore::decodeKey(const QString &stem)
{
    QString key = stem;
    key.replace(QLatin1String("%2F"), QLatin1String("/"), Qt::CaseInsensitive);
    key.replace(QLatin1String("%5C"), QLatin1String("\\"), Qt::CaseInsensitive);
    key.replace(QLatin1String("%3A"), QLatin1String(":"), Qt::CaseInsensitive);
    key.replace(QLatin1String("%25"), QLatin1String("%"));
    return key;
}

bool SessionStore::isInternalKey(const QString &key)
{
    const QString lower = key.trimmed().toLower();
    for (const char *prefix : {"subagent:", "internal:", "heartbeat:", "cron:", "hook:"})
        if (lower.startsWith(QLatin1String(prefix)))
            return true;
    return false;
}

QStringList SessionStore::segmentFiles(const QString &directory, const QString &key)
{
    // Matched literally: a key is never a file-name pattern ("*" or "[" in a key are just
    // characters of it).
    const QString stem = encodeKey(key);
    QStringList archives;
    QString legacy;
    QString active;
    const QStringList names = QDir(directory).entryList(QDir::Files, QDir::Name);
    for (const QString &name : names) {
        if (!name.startsWith(stem) || name.size() <= stem.size() ||
            name.at(stem.size()) != QLatin1Char('.'))
            continue;
        const QString rest = name.mid(stem.size());
        if (rest == QLatin1String(".jsonl"))
            legacy = name;
        else if (rest == QLatin1String(".active.jsonl"))
            active = name;
        else if (rest.size() == 11 && rest.endsWith(QLatin1String(".jsonl")) &&
                 std::all_of(rest.begin() + 1, rest.begin() + 5,
                             [](QChar c) { return c.isDigit(); }))
            archives << name;
    }
    QStringList files;
    const QDir dir(directory);
    if (!legacy.isEmpty())
        files << dir.filePath(legacy);
    for (const QString &archive : std::as_const(archives))
        files << dir.filePath(archive);
    if (!active.isEmpty())
        files << dir.filePath(active);
    return files;
}

SessionStore::Loaded SessionStore::load(const QString &directory, const QString &key)
{
    Loaded loaded;
    const QStringList files = segmentFiles(directory, key);
    for (const QString &path : files) {
        const SafeFile::ReadResult file = SafeFile::read(path, 512 * 1024 * 1024);
        if (!file.ok()) {
            qCWarning(lcAgent).noquote()
                << "cannot read a session file of" << key << ":" << SafeFile::describe(file.status);
            continue;
        }
        const QByteArray &data = file.data;
        const bool endsCleanly = data.isEmpty() || data.endsWith('\n');
        const QList<QByteArray> lines = data.split('\n');
        struct Parsed
        {
            ChatMessage message;
            bool ok = false;
            bool blank = false;
        };
        // Sequential: this already runs on a pool thread (one task per session), and a nested
        // blocking map there could wait on the very pool it runs in.
        QList<Parsed> results;
        results.reserve(lines.size());
        for (const QByteArray &raw : lines) {
            Parsed parsed;
            const QByteArray line = raw.trimmed();
            if (line.isEmpty()) {
                parsed.blank = true;
            } else {
                const QJsonDocument doc = QJsonDocument::fromJson(line);
                if (doc.isObject())
                    parsed.message = parseLine(doc.object(), &parsed.ok);
            }
            results.append(std::move(parsed));
        }
        for (qsizetype i = 0; i < results.size(); ++i) {
            if (results.at(i).blank)
                continue;
            if (results.at(i).ok) {
                loaded.messages.append(results.at(i).message);
                continue;
            }
            const bool tornTail = i == lines.size() - 1 && !endsCleanly;
            qCWarning(lcAgent).noquote()
                << (tornTail ? "skipping a torn last line" : "skipping an unreadable line")
                << "in session" << key << "(" << QFileInfo(path).fileName() << "line" << i + 1
                << ")";
        }
        if (!endsCleanly && path.endsWith(QLatin1String(".active.jsonl")))
            loaded.tornActiveTail = true;
    }
    {
        const SafeFile::ReadResult metaFile =
            SafeFile::read(QDir(directory).filePath(encodeKey(key) + QStringLiteral(".meta.json")),
                           16 * 1024 * 1024);
        if (metaFile.ok()) {
            const QJsonObject meta = QJsonDocument::fromJson(metaFile.data).object();
            loaded.compaction.summary = meta.value("summary").toString();
            loaded.compaction.count = meta.value("compaction_count").toInt();
            loaded.compaction.compactedMessages =
                qBound(0, meta.value("clawgo_desktop_compacted_messages").toInt(),
                       int(loaded.messages.size()));
        }
    }
    return loaded;
}

void SessionStore::adopt(const QString &key, const Loaded &loaded)
{
    if (m_cache.contains(key))
        return; // loaded meanwhile (appends keep the cache current)
    m_cache.insert(key, loaded.messages);
    m_compactions.insert(key, loaded.compaction);
    if (loaded.tornActiveTail)
        m_needsNewline.insert(key);
    if (!loaded.messages.isEmpty())
        m_keys.insert(key);
}

QList<ChatMessage> SessionStore::messages(const QString &key) const
{
    return m_cache.value(key);
}

SessionStore::Compaction SessionStore::compaction(const QString &key) const
{
    return m_compactions.value(key);
}

void SessionStore::setCompaction(const QString &key, const Compaction &compaction)
{
    m_compactions.insert(key, compaction);
    const QString directory = m_directory;
    m_writer->post([directory, key, compaction] {
        const QString path =
            QDir(directory).filePath(encodeKey(key) + QStringLiteral(".meta.json"));
        QJsonObject meta;
        const SafeFile::ReadResult existing = SafeFile::read(path, 16 * 1024 * 1024);
        if (existing.ok())
            meta = QJsonDocument::fromJson(existing.data).object();
        meta.insert("version", 1);
        meta.insert("session_key", key);
        meta.insert("summary", compaction.summary);
        meta.insert("compaction_count", compaction.count);
        meta.insert("clawgo_desktop_compacted_messages", compaction.compactedMessages);
        meta.insert("updated_at", Clock::nowMs());
        QString error;
        if (!Paths::makePrivateDir(directory, &error) ||
            !AtomicFile::write(path, QJsonDocument(meta).toJson(QJsonDocument::Indented), &error))
            qCWarning(lcAgent).noquote()
                << "could not store the summary of session" << key << ":" << error;
    });
}

void SessionStore::loadAsync(const QString &key, QObject *context, std::function<void()> ready)
{
    if (m_cache.contains(key)) {
        ready();
        return;
    }
    const QString directory = m_directory;
    QPointer<QObject> guard(context);
    ++m_loading;
    Background::run(
        this, [directory, key] { return load(directory, key); },
        [this, key, directory, guard, ready](const Loaded &loaded) {
            --m_loading;
            if (directory == m_directory) {
                adopt(key, loaded);
                // Messages appended while the session was not loaded are written now, after
                // the file was read: a load never misses or doubles one of them.
                const QList<Deferred> deferred = m_deferred.take(key);
                for (const Deferred &d : deferred) {
                    // A caller that went away meanwhile is not called back.
                    const bool gone = d.hadContext && !d.context;
                    append(key, d.message, d.context,
                           gone ? std::function<void(bool)>() : d.durable);
                }
            }
            if (guard)
                ready();
        });
}

void SessionStore::preloadAll()
{
    listKeys(this, [this](const QStringList &keys) {
        if (keys.isEmpty())
            return Q_EMIT preloaded();
        // Titles come from the first question, known once a session is read: one signal when
        // all are, so a list shown meanwhile can be shown again with them.
        auto remaining = std::make_shared<qsizetype>(keys.size());
        for (const QString &key : keys)
            loadAsync(key, this, [this, remaining] {
                if (--*remaining == 0)
                    Q_EMIT preloaded();
            });
    });
}

bool SessionStore::writeLine(const QString &directory, const QString &key, const QByteArray &line)
{
    QString error;
    if (!Paths::makePrivateDir(directory, &error)) {
        qCWarning(lcAgent).noquote() << "cannot write session" << key << ":" << error;
        return false;
    }
    const QString path = QDir(directory).filePath(encodeKey(key) + QStringLiteral(".active.jsonl"));
    // Acknowledged only once on disk: a crash never loses a message we reported.
    if (!SafeFile::append(path, line, &error, true)) {
        qCWarning(lcAgent).noquote() << "cannot write session" << key << ":" << error;
        return false;
    }
    return true;
}

void SessionStore::append(const QString &key, const ChatMessage &message, QObject *context,
                          std::function<void(bool)> durable)
{
    m_keys.insert(key);
    if (!m_cache.contains(key)) {
        m_deferred[key].append(Deferred{message, context, context != nullptr, std::move(durable)});
        if (m_deferred.value(key).size() == 1)
            loadAsync(key, this, [] {});
        return;
    }
    ChatMessage stamped = message;
    if (!stamped.time.isValid())
        stamped.time = Clock::nowUtc();
    m_cache[key].append(stamped);
    QByteArray line = eventLine(stamped);
    if (m_needsNewline.remove(key))
        line.prepend('\n'); // keep the torn line apart from the new one
    const QString directory = m_directory;
    // The writer reports through a promise; the watcher (a child of this store, on its thread)
    // brings the answer back to the event loop, or nowhere once the store is gone.
    std::shared_ptr<QPromise<bool>> promise;
    if (durable) {
        promise = std::make_shared<QPromise<bool>>();
        auto *watcher = new QFutureWatcher<bool>(this);
        QPointer<QObject> guard(context);
        const bool hasContext = context != nullptr;
        connect(watcher, &QFutureWatcherBase::finished, watcher,
                [watcher, guard, hasContext, durable] {
                    watcher->deleteLater();
                    if (!hasContext || guard)
                        durable(watcher->future().resultCount() > 0 && watcher->result());
                });
        watcher->setFuture(promise->future());
        promise->start();
    }
    m_writer->post([directory, key, line, promise] {
        const bool ok = writeLine(directory, key, line);
        if (promise) {
            promise->addResult(ok);
            promise->finish();
        }
    });
}

void SessionStore::waitForWrites()
{
    m_writer->waitForIdle();
}

bool SessionStore::hasPendingWork() const
{
    return m_loading > 0 || !m_deferred.isEmpty();
}

QStringList SessionStore::keysOnDisk(const QString &directory)
{
    static const QRegularExpression archive(QStringLiteral("\\.\\d{4}$"));
    QStringList keys;
    const QStringList names = QDir(directory).entryList(QDir::Files, QDir::Name);
    for (const QString &name : names) {
        QString stem;
        if (name.endsWith(QLatin1String(".meta.json")))
            stem = name.chopped(10);
        else if (name.endsWith(QLatin1String(".active.jsonl")))
            stem = name.chopped(13);
        else if (name.endsWith(QLatin1String(".jsonl")) &&
                 !name.contains(QLatin1String(".deleted.")))
            stem = name.chopped(6).remove(archive);
        else
            continue;
        const QString key = decodeKey(stem);
        if (!key.trimmed().isEmpty() && !keys.contains(key))
            keys << key;
    }
    return keys;
}

void SessionStore::remove(const QString &key, QObject *context, std::function<void(bool)> done)
{
    m_cache.remove(key);
    if (m_titles.remove(key) || !m_titlesRead)
        saveTitle(key, QString());
    m_compactions.remove(key);
    m_needsNewline.remove(key);
    m_keys.remove(key);
    m_deferred.remove(key);
    const QString directory = m_directory;
    auto promise = std::make_shared<QPromise<bool>>();
    auto *watcher = new QFutureWatcher<bool>(this);
    QPointer<QObject> guard(context);
    connect(watcher, &QFutureWatcherBase::finished, watcher, [watcher, guard, done] {
        watcher->deleteLater();
        if (guard)
            done(watcher->future().resultCount() > 0 && watcher->result());
    });
    watcher->setFuture(promise->future());
    promise->start();
    // On the writer: after every append already asked for this session.
    m_writer->post([directory, key, promise] {
        QStringList files = segmentFiles(directory, key);
        const QString meta =
            QDir(directory).filePath(encodeKey(key) + QStringLiteral(".meta.json"));
        if (QFileInfo::exists(meta))
            files << meta;
        const QString suffix =
            QStringLiteral(".deleted.") +
            QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddTHHmmss"));
        bool ok = true;
        for (const QString &file : std::as_const(files))
            ok = QFile::rename(file, file + suffix) && ok;
        if (ok)
            qCInfo(lcAgent).noquote() << "deleted session" << key;
        else
            qCWarning(lcAgent).noquote() << "could not delete every file of session" << key;
        promise->addResult(ok);
        promise->finish();
    });
}

QString SessionStore::title(const QString &key) const
{
    if (const auto given = m_titles.constFind(key); given != m_titles.cend())
        return *given;
    const auto found = m_cache.constFind(key);
    if (found == m_cache.cend())
        return QString();
    for (const ChatMessage &message : *found) {
        if (message.role != QLatin1String("user"))
            continue;
        QString title = message.content.section(QLatin1Char('\n'), 0, 0).simplified();
        if (title.size() > 60)
            title = title.left(59) + QChar(0x2026);
        return title;
    }
    return QString();
}

QStringList SessionStore::knownKeys() const
{
    QStringList keys(m_keys.begin(), m_keys.end());
    keys.sort();
    return keys;
}

void SessionStore::listKeys(QObject *context, std::function<void(const QStringList &)> done)
{
    const QString directory = m_directory;
    QPointer<QObject> guard(context);
    const bool readTitles = !m_titlesRead;
    Background::run(
        this,
        [directory, readTitles] {
            QJsonObject titles;
            if (readTitles && !directory.isEmpty()) {
                const SafeFile::ReadResult file = SafeFile::read(titlesPath(directory), 4 << 20);
                if (file.ok())
                    titles = QJsonDocument::fromJson(file.data).object();
            }
            return qMakePair(keysOnDisk(directory), titles);
        },
        [this, directory, guard, done, readTitles](const QPair<QStringList, QJsonObject> &found) {
            if (directory == m_directory) {
                for (const QString &key : found.first)
                    m_keys.insert(key);
                if (readTitles) {
                    m_titlesRead = true;
                    // A rename made meanwhile is newer than the file.
                    for (auto it = found.second.begin(); it != found.second.end(); ++it)
                        if (it.value().isString() && !m_titles.contains(it.key()))
                            m_titles.insert(it.key(), it.value().toString());
                }
            }
            if (guard)
                done(knownKeys());
        });
}

QList<ChatMessage> SessionStore::window(const QString &key, int around, int before, int after,
                                        int limit) const
{
    const QList<ChatMessage> all = messages(key);
    const int total = int(all.size());
    if (total == 0 || limit <= 0)
        return {};
    int start = 1;
    int end = total;
    if (around > 0) {
        const int half = qMax(1, limit / 2);
        start = around - half;
        end = around + half;
    } else {
        if (after > 0)
            start = after + 1;
        if (before > 0)
            end = before - 1;
    }
    start = qMax(1, start);
    end = qMin(total, end);
    if (end < start)
        return {};
    if (end - start + 1 > limit)
        start = end - limit + 1;
    return all.mid(start - 1, end - start + 1);
}
