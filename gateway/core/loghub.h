#pragma once

#include "logredactor.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QObject>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

struct LogEntry
{
    qint64 id = 0;
    QDateTime time;
    QString level; // DEBUG, INFO, WARN, ERROR, FATAL
    QString component;
    QString message;
    QJsonObject fields;

    // The JSON line written to the log file: time, level, component, msg, fields.
    QJsonObject toJson() const;
};
Q_DECLARE_METATYPE(LogEntry)

// The one sink of every qDebug/qInfo/qWarning in the process: redacts, keeps a ring buffer with
// increasing ids for the window (bounded by entries and by bytes, updated at once), mirrors to
// stderr when running headless, and queues a JSON line for the log file. The file is written by
// a writer thread of its own, every 200 ms or when much is queued (as qBittorrent's FileLogger
// does): a thread that logs never waits for the disk. The writer rotates by size and keeps the
// rotated files bounded by age, count and total size. Thread-safe.
class LogHub : public QObject
{
    Q_OBJECT

public:
    struct FileSettings
    {
        bool enabled = true;
        QString path;
        qint64 maxBytes = 20 * 1024 * 1024;
        int retentionDays = 3;
        int maxRotatedFiles = 10;
        qint64 maxRotatedBytes = 200 * 1024 * 1024;
    };

    static LogHub *instance();
    // Routes Qt's message handler here. Safe to call more than once.
    static void install();
    // A log line with structured fields (they land in "fields" of the JSON line).
    static void write(const QLoggingCategory &category, QtMsgType type, const QString &message,
                      const QJsonObject &fields = {});

    // Writes what is queued for the old file first.
    void configureFile(const FileSettings &settings);
    FileSettings fileSettings() const;
    // Returns once every line logged so far is in the file (readers of the file, shutdown).
    void flush();
    void setStderrEnabled(bool enabled);
    void setRingCapacity(int capacity, qint64 maxBytes = 8 * 1024 * 1024);
    // Entries with id > afterId still in the ring buffer, oldest first.
    QList<LogEntry> entriesAfter(qint64 afterId) const;
    LogRedactor &redactor() { return m_redactor; }

Q_SIGNALS:
    // Emitted for every entry, from the thread that logged it.
    void entryAdded(const LogEntry &entry);

private:
    explicit LogHub(QObject *parent = nullptr);
    ~LogHub() override;
    static void messageHandler(QtMsgType type, const QMessageLogContext &context,
                               const QString &msg);
    void handle(QtMsgType type, const char *category, const QString &message,
                const QJsonObject &fields);
    struct QueuedLine
    {
        QByteArray line;
        qint64 timeMs;
    };
    void writerLoop();
    // Writer thread only (or under m_fileMutex).
    void writeLines(const FileSettings &settings, const std::vector<QueuedLine> &lines);
    void rotate(const FileSettings &settings, qint64 timeMs);
    void pruneRotated(const FileSettings &settings, qint64 timeMs);

    mutable QMutex m_mutex; // ring, settings, queue
    LogRedactor m_redactor;
    FileSettings m_settings;
    bool m_stderr = false;
    qint64 m_nextId = 1;
    int m_ringCapacity = 5000;
    qint64 m_ringMaxBytes = 8 * 1024 * 1024;
    qint64 m_ringBytes = 0;
    std::deque<LogEntry> m_ring;

    std::mutex m_queueMutex;
    std::condition_variable m_wake;
    std::condition_variable m_flushed;
    std::vector<QueuedLine> m_queue;
    qint64 m_queuedBytes = 0;
    quint64 m_queuedGeneration = 0;  // lines handed to the queue
    quint64 m_writtenGeneration = 0; // lines the writer has written
    bool m_flushRequested = false;
    bool m_stopping = false;
    std::mutex m_fileMutex; // the open file, for the writer and for configureFile()
    QFile m_file;
    QString m_openPath;
    std::thread m_writer;
};
