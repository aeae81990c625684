#pragma once

#include <QObject>
#include <QString>
#include <functional>

class QLocalServer;
class QLockFile;

// One running instance per config file: a QLockFile (stale locks of dead processes are taken
// over) plus a user-only QLocalServer that a second launch asks to show the window.
class SingleInstance : public QObject
{
    Q_OBJECT

public:
    explicit SingleInstance(const QString &configPath, QObject *parent = nullptr);
    ~SingleInstance() override;

    // True when this process is the instance. Otherwise `otherPid` is the running one.
    bool acquire(qint64 *otherPid = nullptr);
    // From a second launch: asks the running instance to come forward; `done(answered)` is
    // called from the event loop.
    void activateRunning(int timeoutMs, std::function<void(bool answered)> done);
    // Where the running instance listens, recorded for a second launch to report.
    void recordApiUrl(const QString &url);
    QString recordedApiUrl() const;
    QString serverName() const { return m_serverName; }

Q_SIGNALS:
    void activationRequested();

private:
    QString m_configDir;
    QString m_serverName;
    QLockFile *m_lock;
    QLocalServer *m_server = nullptr;
};
