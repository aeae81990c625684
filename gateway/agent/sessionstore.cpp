#include "sessionstore.h"

#include "core/atomicfile.h"
#include "core/clock.h"
#include "core/logcategories.h"
#include "core/paths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtConcurrent>

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
                            {"timestamp", Clock::nowUtc().toString(Qt::ISODateWithMs)},
                            {"message", inner}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

SessionStore::SessionStore(const QString &directory, QObject *parent)
    : QObject(parent), m_directory(directory)
{}

void SessionStore::setDirectory(const QString &directory)
{
    if (directory == m_directory)
        return;
    m_directory = directory;
    m_cache.clear();
    m_needsNewline.clear();
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

QStringList SessionStore::segmentFiles(const QString &key) const
{
    const QString stem = encodeKey(key);
    QDir dir(m_directory);
    QStringList files;
    if (dir.exists(stem + QStringLiteral(".jsonl")))
        files << dir.filePath(stem + QStringLiteral(".jsonl"));
    QStringList archives = dir.entryList({stem + QStringLiteral(".[0-9][0-9][0-9][0-9].jsonl")},
                                         QDir::Files, QDir::Name);
    for (const QString &archive : archives)
        files << dir.filePath(archive);
    if (dir.exists(stem + QStringLiteral(".active.jsonl")))
        files << dir.filePath(stem + QStringLiteral(".active.jsonl"));
    return files;
}

SessionStore::Loaded SessionStore::parseFiles(const QString &key, const QStringList &files)
{
    Loaded loaded;
    for (const QString &path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            qCWarning(lcAgent).noquote() << "cannot read session file" << path;
            continue;
        }
        const QByteArray data = file.readAll();
        const bool endsCleanly = data.isEmpty() || data.endsWith('\n');
        const QList<QByteArray> lines = data.split('\n');
        // Parsing JSON is the cost of a long session: spread it over the cores.
        struct Parsed
        {
            ChatMessage message;
            bool ok = false;
            bool blank = false;
        };
        const std::function<Parsed(const QByteArray &)> parse = [](const QByteArray &raw) {
            Parsed parsed;
            const QByteArray line = raw.trimmed();
            if (line.isEmpty()) {
                parsed.blank = true;
                return parsed;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                parsed.message = parseLine(doc.object(), &parsed.ok);
            return parsed;
        };
        const QList<Parsed> results =
            lines.size() > 1000 ? QtConcurrent::blockingMapped(lines, parse) : [&] {
                QList<Parsed> out;
                for (const QByteArray &line : lines)
                    out << parse(line);
                return out;
            }();
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
    if (!files.isEmpty()) {
        QFile metaFile(QFileInfo(files.last()).absolutePath() + QLatin1Char('/') + encodeKey(key) +
                       QStringLiteral(".meta.json"));
        if (metaFile.open(QIODevice::ReadOnly)) {
            const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
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
}

SessionStore::Compaction SessionStore::compaction(const QString &key)
{
    messages(key);
    return m_compactions.value(key);
}

bool SessionStore::setCompaction(const QString &key, const Compaction &compaction, QString *error)
{
    const QString path = QDir(m_directory).filePath(encodeKey(key) + QStringLiteral(".meta.json"));
    QJsonObject meta;
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly))
        meta = QJsonDocument::fromJson(existing.readAll()).object();
    existing.close();
    meta.insert("version", 1);
    meta.insert("session_key", key);
    meta.insert("summary", compaction.summary);
    meta.insert("compaction_count", compaction.count);
    meta.insert("clawgo_desktop_compacted_messages", compaction.compactedMessages);
    meta.insert("updated_at", Clock::nowMs());
    if (!Paths::makePrivateDir(m_directory, error) ||
        !AtomicFile::write(path, QJsonDocument(meta).toJson(QJsonDocument::Indented), error))
        return false;
    m_compactions.insert(key, compaction);
    return true;
}

void SessionStore::loadAsync(const QString &key, QObject *context, std::function<void()> ready)
{
    if (m_cache.contains(key)) {
        ready();
        return;
    }
    auto *watcher = new QFutureWatcher<Loaded>(this);
    const QString directory = m_directory;
    connect(watcher, &QFutureWatcher<Loaded>::finished, context,
            [this, watcher, key, directory, ready] {
                watcher->deleteLater();
                if (directory == m_directory)
                    adopt(key, watcher->result());
                ready();
            });
    watcher->setFuture(QtConcurrent::run(&SessionStore::parseFiles, key, segmentFiles(key)));
}

void SessionStore::preloadAll()
{
    for (const QString &key : keys())
        loadAsync(key, this, [] {});
}

const QList<ChatMessage> &SessionStore::messages(const QString &key)
{
    auto it = m_cache.find(key);
    if (it == m_cache.end()) {
        adopt(key, parseFiles(key, segmentFiles(key)));
        it = m_cache.find(key);
    }
    return *it;
}

bool SessionStore::append(const QString &key, const ChatMessage &message, QString *error)
{
    messages(key); // make sure earlier history is loaded first
    QString dirError;
    if (!Paths::makePrivateDir(m_directory, &dirError)) {
        if (error)
            *error = dirError;
        return false;
    }
    const QString path =
        QDir(m_directory).filePath(encodeKey(key) + QStringLiteral(".active.jsonl"));
    QFile file(path);
    const bool existed = file.exists();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        if (error)
            *error = QStringLiteral("cannot write session %1").arg(key);
        return false;
    }
    if (!existed)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QByteArray line = eventLine(message);
    if (m_needsNewline.remove(key))
        line.prepend('\n'); // keep the torn line apart from the new one
    if (file.write(line) != line.size()) {
        if (error)
            *error = QStringLiteral("cannot write session %1: %2").arg(key, file.errorString());
        return false;
    }
    m_cache[key].append(message);
    return true;
}

QStringList SessionStore::keys() const
{
    static const QRegularExpression archive(QStringLiteral("\\.\\d{4}$"));
    QStringList keys;
    const QStringList names = QDir(m_directory).entryList(QDir::Files, QDir::Name);
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
    for (auto it = m_cache.begin(); it != m_cache.end(); ++it)
        if (!it->isEmpty() && !keys.contains(it.key()))
            keys << it.key();
    keys.sort();
    return keys;
}

QList<ChatMessage> SessionStore::window(const QString &key, int around, int before, int after,
                                        int limit)
{
    const QList<ChatMessage> &all = messages(key);
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
