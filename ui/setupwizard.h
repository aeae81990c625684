#pragma once

#include <QDialog>

class GatewayHost;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Setup of the main provider (an OpenAI-compatible server, Anthropic or Gemini): base URL, API
// key, model, a "test connection" that makes a real call, and a save through the ConfigStore.
// Opened again, it shows the current provider; a stored key is never shown, and an empty key field
// keeps it.
class SetupWizard : public QDialog
{
    Q_OBJECT

public:
    SetupWizard(GatewayHost *host, QWidget *parent = nullptr);
    void setValues(const QString &baseUrl, const QString &apiKey, const QString &model);
    // "" (OpenAI-compatible), "claude" or "gemini": the protocol, and the provider's name.
    void setKind(const QString &kind);
    QString kind() const;
    void testConnection();
    void saveProvider();
    QString resultText() const;
    // The fields as the user sees them (the key shows empty when one is stored: see below).
    QString baseUrl() const;
    QString model() const;
    QString providerName() const { return m_provider; }
    bool hasStoredKey() const { return m_storedKey; }

Q_SIGNALS:
    void tested(bool ok);
    void saved();

private:
    GatewayHost *m_host;
    QLineEdit *m_baseUrl;
    QLineEdit *m_apiKey;
    QLineEdit *m_model;
    QComboBox *m_kind;
    QLabel *m_result;
    QPushButton *m_test;
    QPushButton *m_save;
    QString m_provider = QStringLiteral("custom"); // the provider the wizard edits
    QString m_loadedBaseUrl;
    bool m_storedKey = false; // the provider has a key; an empty field keeps it
};
