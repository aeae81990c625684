#pragma once

#include <QString>

class QNetworkAccessManager;

// The QNetworkAccessManager of the calling thread for a proxy setting (one per distinct proxy,
// kept for the thread's life): providers, channels and tools all reach upstream through here.
namespace NetworkAccess {

// `proxy`: empty (direct), http(s)://[user:pass@]host:port, socks5:// (names resolved here) or
// socks5h:// (names resolved by the proxy). Null with `error` for an invalid proxy.
QNetworkAccessManager *forProxy(const QString &proxy, QString *error);

} // namespace NetworkAccess
