#include "pidfile.h"

#include "core/atomicfile.h"
#include "core/logcategories.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

PidFile::PidFile(const QString &configPath)
    : m_path(QFileInfo(configPath).absolutePath() + QStringLiteral("/gateway.pid")),
      m_content(QByteArray::number(QCoreApplication::applicationPid()) + '\n')
{
    // A file left by a crash (ours or clawgo's) names a process that is gone: replaced. The
    // single-instance lock has already made sure no other gateway of ours uses this config.
    QString error;
    if (!AtomicFile::write(m_path, m_content, &error)) {
        qCWarning(lcApp).noquote() << "could not write the pid file:" << error;
        return;
    }
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                      QFile::ReadOther);
    m_written = true;
}

PidFile::~PidFile()
{
    if (!m_written)
        return;
    QFile file(m_path);
    if (file.open(QIODevice::ReadOnly) && file.read(64) == m_content) {
        file.close();
        QFile::remove(m_path);
    }
}
