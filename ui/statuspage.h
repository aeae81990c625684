#pragma once

#include <QWidget>

class GatewayHost;
class QLabel;
class QPushButton;
class QTimer;

// Where the API listens, whether it is protected, version and uptime, and a provider check.
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

private:
    void switchKeychain();

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
};
