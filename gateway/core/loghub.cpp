#include "loghub.h"

#include "clock.h"
#include "jsonutil.h"
#include "paths.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
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
    {
        QMutexLocker locker(&m_mutex);
        entry.id = m_nextId++;
        m_ring.push_back(entry);
        while (int(m_ring.size()) > m_ringCapacity)
            m_ring.pop_front();
        if (m_settings.enabled && !m_settings.path.isEmpty())
            writeToFileLocked(JsonUtil::compact(entry.toJson()));
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
    Q_EMIT entryAdded(entry);
    tl_inHandler = false;
}

void LogHub::writeToFileLocked(const QByteArray &line)
{
    if (!m_file.isOpen()) {
        Paths::makePrivateDir(QFileInfo(m_settings.path).absolutePath());
        m_file.setFileName(m_settings.path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
            return;
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
    if (m_file.size() > 0 && m_file.size() + line.size() > m_settings.maxBytes)
        rotateLocked();
    if (m_file.isOpen())
        m_file.write(line);
}

void LogHub::rotateLocked()
{
    m_file.close();
    const QString stamp = Clock::nowUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString target = m_settings.path + QLatin1Char('.') + stamp;
    for (int n = 1; QFileInfo::exists(target); ++n)
        target = m_settings.path + QLatin1Char('.') + stamp + QLatin1Char('-') + QString::number(n);
    QFile::rename(m_settings.path, target);
    pruneRotatedLocked();
    m_file.setFileName(m_settings.path);
    if (m_file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered))
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

void LogHub::pruneRotatedLocked()
{
    const QFileInfo info(m_settings.path);
    const QDateTime cutoff = Clock::nowUtc().addDays(-qMax(1, m_settings.retentionDays));
    const QFileInfoList rotated =
        QDir(info.absolutePath())
            .entryInfoList({info.fileName() + QStringLiteral(".*")}, QDir::Files);
    for (const QFileInfo &old : rotated)
        if (old.lastModified().toUTC() < cutoff)
            QFile::remove(old.absoluteFilePath());
}

void LogHub::configureFile(const FileSettings &settings)
{
    QMutexLocker locker(&m_mutex);
    if (m_file.isOpen() && (settings.path != m_settings.path || !settings.enabled))
        m_file.close();
    m_settings = settings;
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

void LogHub::setRingCapacity(int capacity)
{
    QMutexLocker locker(&m_mutex);
    m_ringCapacity = qMax(1, capacity);
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
