#pragma once

#include "logredactor.h"

#include <QDateTime>
#include <QFile>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QObject>
#include <deque>

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

// The one sink of every qDebug/qInfo/qWarning in the process: redacts, then writes a JSON line
// to the log file (rotating by size), keeps a ring buffer with increasing ids for the window,
// and mirrors to stderr when running headless. Thread-safe.
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
    };

    static LogHub *instance();
    // Routes Qt's message handler here. Safe to call more than once.
    static void install();
    // A log line with structured fields (they land in "fields" of the JSON line).
    static void write(const QLoggingCategory &category, QtMsgType type, const QString &message,
                      const QJsonObject &fields = {});

    void configureFile(const FileSettings &settings);
    FileSettings fileSettings() const;
    void setStderrEnabled(bool enabled);
    void setRingCapacity(int capacity);
    // Entries with id > afterId still in the ring buffer, oldest first.
    QList<LogEntry> entriesAfter(qint64 afterId) const;
    LogRedactor &redactor() { return m_redactor; }

Q_SIGNALS:
    // Emitted for every entry, from the thread that logged it.
    void entryAdded(const LogEntry &entry);

private:
    explicit LogHub(QObject *parent = nullptr);
    static void messageHandler(QtMsgType type, const QMessageLogContext &context,
                               const QString &msg);
    void handle(QtMsgType type, const char *category, const QString &message,
                const QJsonObject &fields);
    void writeToFileLocked(const QByteArray &line);
    void rotateLocked();
    void pruneRotatedLocked();

    mutable QMutex m_mutex;
    LogRedactor m_redactor;
    FileSettings m_settings;
    QFile m_file;
    bool m_stderr = false;
    qint64 m_nextId = 1;
    int m_ringCapacity = 5000;
    std::deque<LogEntry> m_ring;
};
