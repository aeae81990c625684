#pragma once

#include <QFile>
#include <QJsonObject>
#include <QObject>

class QTimer;

// Follows a log file by path, like `tail -F`: starts at the end, emits each complete new line,
// and when the file is rotated (replaced or truncated) finishes the old one and starts the new
// one from its beginning.
class LogTail : public QObject
{
    Q_OBJECT

public:
    explicit LogTail(const QString &path, int pollIntervalMs = 250, QObject *parent = nullptr);
    // Opens the file at its end; false (and the reason) when it cannot be opened.
    bool start(QString *error);

Q_SIGNALS:
    void entry(const QJsonObject &entry);

private:
    void poll();
    void drain();
    bool reopen(qint64 position);
    void rememberTail();
    bool wasRewritten();

    QString m_path;
    QFile m_file;
    quint64 m_inode = 0;
    QByteArray m_partial;
    QByteArray m_lastBytes; // the bytes just before the read position, to notice rewrites
    QTimer *m_timer;
};
