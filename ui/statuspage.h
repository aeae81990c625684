#pragma once

#include "gateway.h"

#include <QWidget>

class GatewayHost;
class QLabel;
class QPushButton;
class QTimer;

// The dashboard: where the API listens and whether it is protected (with a token generator when
// it is not), version and uptime, requests, connections and chats under way, Weixin, a timed
// provider check, where credentials are kept, and the config and log folders.
class StatusPage : public QWidget
{
    Q_OBJECT

public:
    StatusPage(GatewayHost *host, QWidget *parent = nullptr);
    void refresh();
    // The keychain row: where credentials are kept, and the button that moves them.
    void refreshKeychain();
    QString keychainText() const;
    QPushButton *keychainButton() const { return m_keychainSwitch; }
    QString activityText() const;
    QPushButton *generateTokenButton() const { return m_generateToken; }

Q_SIGNALS:
    // A few lines for the tray's tooltip: address, chats answering, Weixin.
    void summaryChanged(const QString &summary);

private:
    void switchKeychain();
    void showActivity(const Gateway::Activity &now);
    void generateToken();

    GatewayHost *m_host;
    QLabel *m_address;
    QLabel *m_auth;
    QLabel *m_warning;
    QLabel *m_version;
    QLabel *m_uptime;
    QLabel *m_provider;
    QPushButton *m_checkProvider;
    QLabel *m_keychain;
    QPushButton *m_keychainSwitch;
    bool m_keychainWanted = false;
    QTimer *m_tick;
    QLabel *m_activity;
    QLabel *m_weixin;
    QPushButton *m_generateToken;
    QString m_summary;
};
