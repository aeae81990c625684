#pragma once

#include <QHostAddress>
#include <QString>

namespace Hostnames {

// "localhost", 127.0.0.0/8 and ::1 (with or without brackets).
inline bool isLoopback(const QString &hostIn)
{
    QString host = hostIn.trimmed().toLower();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost") || host.endsWith(QLatin1String(".localhost")))
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace Hostnames
