#include "loghub.h"

#include "clock.h"
#include "jsonutil.h"
#include "paths.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <chrono>
#include <cstdio>

namespace {

thread_local const QJsonObject *tl_fields = nullptr;
thread_local bool tl_inHandler = false;

QString levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return QStringLiteral("DEBUG");
    case QtInfoMsg:
        return QStringLiteral("INFO");
    case QtWarningMsg:
        return QStringLiteral("WARN");
    case QtCriticalMsg:
        return QStringLiteral("ERROR");
    case QtFatalMsg:
        return QStringLiteral("FATAL");
    }
    return QStringLiteral("INFO");
}

} // namespace

QJsonObject LogEntry::toJson() const
{
    QJsonObject object{{"time", time.toString(Qt::ISODateWithMs)},
                       {"level", level},
                       {"component", component},
                       {"msg", message}};
    if (!fields.isEmpty())
        object.insert("fields", fields);
    return object;
}

LogHub::LogHub(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<LogEntry>();
    m_writer = std::thread([this] { writerLoop(); });
}

LogHub::~LogHub()
{
    {
        std::lock_guard<std::mutex> lock(m_queueMutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_writer.joinable())
        m_writer.join();
}

LogHub *LogHub::instance()
{
    static LogHub *hub = new LogHub();
    return hub;
}

void LogHub::install()
{
    instance();
    qInstallMessageHandler(&LogHub::messageHandler);
}

void LogHub::messageHandler(QtMsgType type, const QMessageLogContext &context, const QString &msg)
{
    const QJsonObject fields = tl_fields ? *tl_fields : QJsonObject();
    instance()->handle(type, context.category ? context.category : "default", msg, fields);
}

void LogHub::write(const QLoggingCategory &category, QtMsgType type, const QString &message,
                   const QJsonObject &fields)
{
    if (!category.isEnabled(type))
        return;
    tl_fields = &fields;
    QMessageLogger logger(nullptr, 0, nullptr, category.categoryName());
    switch (type) {
    case QtDebugMsg:
        logger.debug("%s", qUtf8Printable(message));
        break;
    case QtInfoMsg:
        logger.info("%s", qUtf8Printable(message));
        break;
    case QtWarningMsg:
        logger.warning("%s", qUtf8Printable(message));
        break;
    default:
        logger.critical("%s", qUtf8Printable(message));
        break;
    }
    tl_fields = nullptr;
}

void LogHub::handle(QtMsgType type, const char *category, const QString &message,
                    const QJsonObject &fields)
{
    if (tl_inHandler)
        return; // a slot that logs while we deliver would recurse forever
    tl_inHandler = true;

    LogEntry entry;
    entry.time = Clock::nowUtc();
    entry.level = levelName(type);
    entry.component = QString::fromLatin1(category);
    entry.message = m_redactor.redact(message);
    if (!fields.isEmpty()) {
        const QByteArray raw = QJsonDocument(fields).toJson(QJsonDocument::Compact);
        entry.fields =
            QJsonDocument::fromJson(m_redactor.redact(QString::fromUtf8(raw)).toUtf8()).object();
    }
    const qint64 entryBytes = entry.message.size() * 2 + 128;
    bool fileEnabled;
    {
        QMutexLocker locker(&m_mutex);
        entry.id = m_nextId++;
        m_ring.push_back(entry);
        m_ringBytes += entryBytes;
        while (!m_ring.empty() &&
               (int(m_ring.size()) > m_ringCapacity || m_ringBytes > m_ringMaxBytes)) {
            m_ringBytes -= m_ring.front().message.size() * 2 + 128;
            m_ring.pop_front();
        }
        fileEnabled = m_settings.enabled && !m_settings.path.isEmpty();
        if (m_stderr) {
            const QByteArray line =
                QStringLiteral("%1 %2 [%3] %4\n")
                    .arg(entry.time.toString(Qt::ISODateWithMs), entry.level.leftJustified(5),
                         entry.component, entry.message)
                    .toUtf8();
            std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
            std::fflush(stderr);
        }
    }
    if (fileEnabled) {
        QByteArray line = JsonUtil::compact(entry.toJson());
        bool wake = false;
        {
            std::lock_guard<std::mutex> lock(m_queueMutex);
            m_queuedBytes += line.size();
            m_queue.push_back(QueuedLine{std::move(line), entry.time.toMSecsSinceEpoch()});
            ++m_queuedGeneration;
            wake = m_queuedBytes > 256 * 1024 || type == QtFatalMsg;
        }
        if (wake)
            m_wake.notify_one();
        if (type == QtFatalMsg)
            flush(); // the process ends next: the reason must be on disk
    }
    Q_EMIT entryAdded(entry);
    tl_inHandler = false;
}

void LogHub::writerLoop()
{
    std::unique_lock<std::mutex> lock(m_queueMutex);
    while (true) {
        m_wake.wait_for(lock, std::chrono::milliseconds(200), [this] {
            return m_stopping || m_flushRequested || m_queuedBytes > 256 * 1024;
        });
        std::vector<QueuedLine> lines;
        lines.swap(m_queue);
        m_queuedBytes = 0;
        const quint64 generation = m_queuedGeneration;
        m_flushRequested = false;
        const bool stopping = m_stopping;
        lock.unlock();
        if (!lines.empty()) {
            const FileSettings settings = fileSettings();
            std::lock_guard<std::mutex> fileLock(m_fileMutex);
            writeLines(settings, lines);
        }
        lock.lock();
        m_writtenGeneration = qMax(m_writtenGeneration, generation);
        m_flushed.notify_all();
        if (stopping)
            return;
    }
}

void LogHub::flush()
{
    std::unique_lock<std::mutex> lock(m_queueMutex);
    const quint64 target = m_queuedGeneration;
    if (m_writtenGeneration >= target)
        return;
    m_flushRequested = true;
    m_wake.notify_one();
    m_flushed.wait(lock, [this, target] { return m_writtenGeneration >= target || m_stopping; });
}

void LogHub::writeLines(const FileSettings &settings, const std::vector<QueuedLine> &lines)
{
    if (!settings.enabled || settings.path.isEmpty())
        return;
    if (m_file.isOpen() && m_openPath != settings.path)
        m_file.close();
    if (!m_file.isOpen()) {
        Paths::makePrivateDir(QFileInfo(settings.path).absolutePath());
        m_file.setFileName(settings.path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
            return;
        m_openPath = settings.path;
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    QByteArray batch;
    for (const QueuedLine &queued : lines) {
        const qint64 size = m_file.size() + batch.size();
        if (size > 0 && size + queued.line.size() + 1 > settings.maxBytes) {
            m_file.write(batch);
            batch.clear();
            rotate(settings, queued.timeMs);
            if (!m_file.isOpen())
                return;
        }
        batch += queued.line;
        batch += '\n';
    }
    m_file.write(batch);
    m_file.flush();
}

void LogHub::rotate(const FileSettings &settings, qint64 timeMs)
{
    m_file.close();
    const QString stamp =
        QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = settings.path + QLatin1Char('.') + stamp;
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = settings.path + QLatin1Char('.') + stamp + QLatin1Char('-') + QString::number(n);
    QFile::rename(settings.path, target);
    pruneRotated(settings, timeMs);
    m_file.setFileName(settings.path);
    if (m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_openPath = settings.path;
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
}

void LogHub::pruneRotated(const FileSettings &settings, qint64 timeMs)
{
    // Bounded three ways: by age, by count and by total size (newest kept first), so a flood of
    // lines cannot fill the disk with rotated files.
    const QFileInfo info(settings.path);
    const QDateTime cutoff =
        QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).addDays(-qMax(1, settings.retentionDays));
    QFileInfoList rotated = QDir(info.absolutePath())
                                .entryInfoList({info.fileName() + QStringLiteral(".*")},
                                               QDir::Files, QDir::Name | QDir::Reversed);
    qint64 total = 0;
    int kept = 0;
    for (const QFileInfo &old : rotated) {
        total += old.size();
        const bool tooOld = old.lastModified().toUTC() < cutoff;
        if (tooOld || kept >= settings.maxRotatedFiles || total > settings.maxRotatedBytes)
            QFile::remove(old.absoluteFilePath());
        else
            ++kept;
    }
}

void LogHub::configureFile(const FileSettings &settings)
{
    flush();
    {
        QMutexLocker locker(&m_mutex);
        m_settings = settings;
    }
    std::lock_guard<std::mutex> fileLock(m_fileMutex);
    if (m_file.isOpen() && (settings.path != m_openPath || !settings.enabled))
        m_file.close();
}

LogHub::FileSettings LogHub::fileSettings() const
{
    QMutexLocker locker(&m_mutex);
    return m_settings;
}

void LogHub::setStderrEnabled(bool enabled)
{
    QMutexLocker locker(&m_mutex);
    m_stderr = enabled;
}

void LogHub::setRingCapacity(int capacity, qint64 maxBytes)
{
    QMutexLocker locker(&m_mutex);
    m_ringCapacity = qMax(1, capacity);
    m_ringMaxBytes = qMax<qint64>(1024, maxBytes);
}

QList<LogEntry> LogHub::entriesAfter(qint64 afterId) const
{
    QMutexLocker locker(&m_mutex);
    QList<LogEntry> out;
    for (const LogEntry &entry : m_ring)
        if (entry.id > afterId)
            out << entry;
    return out;
}
