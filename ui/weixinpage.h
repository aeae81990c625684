#pragma once

#include "channels/weixinstatus.h"

#include <QWidget>

class GatewayHost;
class QLabel;
class QPushButton;
class QSvgWidget;
class QTimer;
class QTreeWidget;

// Log in to Weixin by scanning a QR code: the code drawn at a scannable size, what to do next
// (scan, confirm on the phone, wait while an expired code is replaced), a countdown, cancel;
// and the accounts with their connection state, default and removal. Uses the same channel
// object as /api/weixin.
class WeixinPage : public QWidget
{
    Q_OBJECT

public:
    WeixinPage(GatewayHost *host, QWidget *parent = nullptr);
    void startLogin();
    void refresh();
    QString statusText() const;
    QStringList accountIds() const;
    QStringList accountRow(const QString &botId) const; // the texts of the account's columns
    bool qrShown() const;

private:
    void apply(const WeixinStatus &status);
    void updateAccountButtons();
    static QString describe(const WeixinPendingLogin &login);
    static QString describeEvent(const QString &event);

    GatewayHost *m_host;
    QSvgWidget *m_qr;
    QLabel *m_status;
    QLabel *m_countdown;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QTreeWidget *m_accounts;
    QPushButton *m_makeDefault;
    QPushButton *m_remove;
    QTimer *m_poll;
    QString m_loginId;
    QString m_shownQr; // the content the QR widget shows
    bool m_qrLoaded = false;
    bool m_inactive = true;
};
