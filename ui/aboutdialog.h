#pragma once

#include <QDialog>

class GatewayHost;
class QLabel;

// Help → About: what the program is, its version and Qt's, and the folders it keeps its files in
// (each a link that opens the folder in the file manager).
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(GatewayHost *host, QWidget *parent = nullptr);
    QString text() const;

private:
    QLabel *m_text;
};
