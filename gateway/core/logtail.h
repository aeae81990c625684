#pragma once

#include <QJsonObject>
#include <QObject>
#include <memory>

class QTimer;
class TailReader;

// Follows a log file by path, like `tail -F`: starts at the end, emits each complete new line,
// and when the file is rotated (replaced or truncated) finishes the old one and starts the new
// one from its beginning. The reading happens on the file pool, one poll at a time; the entries
// come back to this object's thread.
class LogTail : public QObject
{
    Q_OBJECT

public:
    explicit LogTail(const QString &path, int pollIntervalMs = 250, QObject *parent = nullptr);
    ~LogTail() override;
    // Opens the file at its end; false (and the reason) when it cannot be opened.
    bool start(QString *error);

Q_SIGNALS:
    void entry(const QJsonObject &entry);

private:
    void poll();

    std::shared_ptr<TailReader> m_reader;
    QTimer *m_timer;
    bool m_polling = false;
};
