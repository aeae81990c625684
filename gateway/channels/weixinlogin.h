#pragma once

#include "weixinaccounts.h"

#include <QList>
#include <QObject>
#include <functional>

class ILinkClient;

struct WeixinPendingLogin
{
    QString loginId;
    QString qrCode;
    QString qrContent; // qrcode_img_content, else qrcode
    QString baseUrl;
    QString status = QStringLiteral("wait");
    QString lastError;
    qint64 updatedAtMs = 0;
    qint64 expiresAtMs = 0;
    int qrRefreshes = 0;
};

// The QR logins of the Weixin channel (spec/channels.md §2.5, §2.6): a login walks wait → scaned
// → confirmed (or expired, or a redirect to another host); a QR whose countdown ends (or that
// upstream calls expired) is replaced automatically up to 3 times. Time comes from Clock, so
// tests need no sleeps.
class WeixinLogin : public QObject
{
    Q_OBJECT

public:
    explicit WeixinLogin(ILinkClient *client, QObject *parent = nullptr);
    void setRefreshGapMs(int ms) { m_refreshGapMs = ms; }
    void setQrLifetimeMs(qint64 ms) { m_qrLifetimeMs = ms; }

    void start(const QString &baseUrl, QObject *context,
               std::function<void(const QString &error)> done);
    bool cancel(const QString &loginId);
    // Asks upstream about every pending login, at most once per refresh gap (several callers
    // share one round); `done(hardError)`.
    void refresh(QObject *context, std::function<void(const QString &hardError)> done);
    const QList<WeixinPendingLogin> &pending() const { return m_logins; }
    // The text a login's QR encodes; the first pending login when `loginId` is empty.
    QString qrContent(const QString &loginId) const;

Q_SIGNALS:
    // A phone confirmed: the new account, and the base URL upstream named (may be empty).
    void confirmed(const WeixinAccount &account, const QString &baseUrl);
    void changed();

private:
    void refreshNext(int index, std::function<void(const QString &)> finish);
    void renewQr(int index, std::function<void(const QString &)> next);
    int indexOf(const QString &loginId) const;

    ILinkClient *m_client;
    QList<WeixinPendingLogin> m_logins;
    int m_refreshGapMs = 1200;
    qint64 m_qrLifetimeMs = 5 * 60 * 1000;
    qint64 m_lastRefreshMs = -1;
    bool m_refreshing = false;
    QList<std::function<void(const QString &)>> m_waiting; // callers of the round under way
};
