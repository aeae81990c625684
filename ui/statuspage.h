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

private:
    GatewayHost *m_host;
    QLabel *m_address;
    QLabel *m_auth;
    QLabel *m_warning;
    QLabel *m_version;
    QLabel *m_uptime;
    QLabel *m_provider;
    QPushButton *m_checkProvider;
    QTimer *m_tick;
};
