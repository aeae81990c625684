#pragma once

#include <QDialog>

class GatewayHost;
class QLabel;
class QLineEdit;
class QPushButton;

// First-run setup of one OpenAI-compatible provider: base URL, API key, model, a "test
// connection" that makes a real call, and a save through the ConfigStore.
class SetupWizard : public QDialog
{
    Q_OBJECT

public:
    SetupWizard(GatewayHost *host, QWidget *parent = nullptr);
    void setValues(const QString &baseUrl, const QString &apiKey, const QString &model);
    void testConnection();
    void saveProvider();
    QString resultText() const;

Q_SIGNALS:
    void tested(bool ok);
    void saved();

private:
    GatewayHost *m_host;
    QLineEdit *m_baseUrl;
    QLineEdit *m_apiKey;
    QLineEdit *m_model;
    QLabel *m_result;
    QPushButton *m_test;
    QPushButton *m_save;
};
