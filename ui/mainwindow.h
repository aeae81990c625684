#pragma once

#include <QMainWindow>

class Gateway;
class QLabel;
class QPlainTextEdit;

// A first window: where the API listens, and the live log. The chat, config and Weixin pages
// come with their own issues.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(Gateway *gateway, QWidget *parent = nullptr);

private:
    void appendLog(const struct LogEntry &entry);

    Gateway *m_gateway;
    QLabel *m_status;
    QPlainTextEdit *m_log;
};
