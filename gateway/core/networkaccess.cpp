#include "networkaccess.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QUrl>

namespace NetworkAccess {

QNetworkAccessManager *forProxy(const QString &proxyText, QString *error)
{
    static thread_local QHash<QString, QNetworkAccessManager *> managers;
    const QString key = proxyText.trimmed();
    if (QNetworkAccessManager *existing = managers.value(key))
        return existing;
    QNetworkProxy proxy(QNetworkProxy::NoProxy);
    if (!key.isEmpty()) {
        const QUrl url(key.contains(QLatin1String("://")) ? key : QStringLiteral("http://") + key);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || url.host().isEmpty()) {
            *error = QStringLiteral("invalid network proxy: host is required");
            return nullptr;
        }
        if (scheme == QLatin1String("http") || scheme == QLatin1String("https"))
            proxy = QNetworkProxy(QNetworkProxy::HttpProxy, url.host(), quint16(url.port(8080)),
                                  url.userName(), url.password());
        else if (scheme == QLatin1String("socks5") || scheme == QLatin1String("socks5h")) {
            proxy = QNetworkProxy(QNetworkProxy::Socks5Proxy, url.host(), quint16(url.port(1080)),
                                  url.userName(), url.password());
            // socks5h hands host names to the proxy; plain socks5 resolves them here, as curl
            // does. Qt's SOCKS5 default is the socks5h behaviour.
            if (scheme == QLatin1String("socks5"))
                proxy.setCapabilities(proxy.capabilities() &
                                      ~QNetworkProxy::HostNameLookupCapability);
        } else {
            *error = QStringLiteral("invalid network proxy: unsupported scheme \"%1\"").arg(scheme);
            return nullptr;
        }
    }
    auto *manager = new QNetworkAccessManager();
    manager->setProxy(proxy);
    managers.insert(key, manager);
    return manager;
}

} // namespace NetworkAccess
