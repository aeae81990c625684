#pragma once

#include <QJsonObject>
#include <QWidget>

class GatewayHost;
class OAuthAccountsPanel;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class QTreeWidget;

// The provider runtime in the window: each configured provider with its kind, endpoint and
// models (editable, saved through the ConfigStore like POST /api/provider/models), its
// candidates with health, cooldown (counting down) and last failure, its recent runtime events,
// the runtime actions of POST /api/provider/runtime, and a real one-token test call.
class ProvidersPage : public QWidget
{
    Q_OBJECT

public:
    ProvidersPage(GatewayHost *host, QWidget *parent = nullptr);
    void refresh();
    QString selectedProvider() const;
    bool selectProvider(const QString &name);
    // For tests: what the page shows.
    QTreeWidget *providerList() const { return m_list; }
    QTreeWidget *candidateList() const { return m_candidates; }
    QTreeWidget *eventList() const { return m_events; }
    QPushButton *clearCooldownButton() const { return m_clearCooldown; }
    QPushButton *testButton() const { return m_test; }
    QPlainTextEdit *modelsEditor() const { return m_models; }
    QPushButton *saveModelsButton() const { return m_saveModels; }
    QLabel *resultLabel() const { return m_result; }
    OAuthAccountsPanel *oauthPanel() const { return m_oauth; }

Q_SIGNALS:
    void notice(const QString &text); // for the status bar
    void refreshed();

private:
    void show(const QJsonObject &view, const QJsonObject &providers);
    void showSelected();
    void updateCountdowns();
    void runAction(const QString &action);
    void saveModels();
    void test();

    GatewayHost *m_host;
    QTreeWidget *m_list;
    QTreeWidget *m_candidates;
    QTreeWidget *m_events;
    QPlainTextEdit *m_models;
    QPushButton *m_saveModels;
    QPushButton *m_test;
    QPushButton *m_clearCooldown;
    QPushButton *m_clearHistory;
    QPushButton *m_rerank;
    QLabel *m_title;
    QLabel *m_result;
    QLabel *m_empty;
    QTimer *m_tick;
    QTimer *m_refreshSoon;
    OAuthAccountsPanel *m_oauth;
    QJsonObject m_view;      // the runtime view, by provider name
    QJsonObject m_providers; // models.providers as configured
    bool m_modelsEdited = false;
};
