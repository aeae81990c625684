#include "singleinstance.h"

#include "core/atomicfile.h"
#include "core/paths.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLockFile>
#include <QTimer>
#include <unistd.h>

SingleInstance::SingleInstance(const QString &configPath, QObject *parent)
    : QObject(parent), m_configDir(QFileInfo(configPath).absolutePath()),
      m_lock(new QLockFile(m_configDir + QStringLiteral("/clawgo-desktop.lock")))
{
    const QByteArray hash =
        QCryptographicHash::hash(QFileInfo(configPath).absoluteFilePath().toUtf8(),
                                 QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    m_serverName =
        QStringLiteral("clawgo-desktop-%1-%2").arg(::getuid()).arg(QString::fromLatin1(hash));
    m_lock->setStaleLockTime(0); // a lock is stale only when its process is gone
}

SingleInstance::~SingleInstance()
{
    if (m_server)
        QFile::remove(m_configDir + QStringLiteral("/clawgo-desktop.instance"));
    delete m_lock;
}

bool SingleInstance::acquire(qint64 *otherPid)
{
    Paths::makePrivateDir(m_configDir);
    if (!m_lock->tryLock(0)) {
        if (otherPid) {
            QString host, app;
            m_lock->getLockInfo(otherPid, &host, &app);
        }
        return false;
    }
    // QLockFile creates it 0644 (minus umask) every time: made private quietly, it is ours.
    QFile::setPermissions(m_configDir + QStringLiteral("/clawgo-desktop.lock"),
                          QFile::ReadOwner | QFile::WriteOwner);
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(m_serverName); // left over by a crashed instance
    m_server->listen(m_serverName);
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
                if (socket->readAll().startsWith("show")) {
                    socket->write("ok\n");
                    Q_EMIT activationRequested();
                }
                socket->disconnectFromServer();
            });
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    return true;
}

void SingleInstance::activateRunning(int timeoutMs, std::function<void(bool)> done)
{
    auto *socket = new QLocalSocket(this);
    auto *timer = new QTimer(socket);
    auto finish = [socket, done](bool answered) {
        socket->disconnect();
        socket->deleteLater();
        done(answered);
    };
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [finish] { finish(false); });
    connect(socket, &QLocalSocket::connected, socket, [socket] { socket->write("show\n"); });
    connect(socket, &QLocalSocket::readyRead, socket,
            [socket, finish] { finish(socket->readAll().startsWith("ok")); });
    connect(socket, &QLocalSocket::errorOccurred, socket, [finish] { finish(false); });
    timer->start(timeoutMs);
    socket->connectToServer(m_serverName);
}

void SingleInstance::recordApiUrl(const QString &url)
{
    QString error;
    AtomicFile::write(m_configDir + QStringLiteral("/clawgo-desktop.instance"), url.toUtf8(),
                      &error);
}

QString SingleInstance::recordedApiUrl() const
{
    QFile file(m_configDir + QStringLiteral("/clawgo-desktop.instance"));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()).trimmed() : QString();
}
