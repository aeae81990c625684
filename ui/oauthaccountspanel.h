#pragma once

#include <QJsonObject>
#include <QUrl>
#include <QWidget>
#include <functional>

class GatewayHost;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

// The OAuth side of a provider on the Providers page: its accounts (email, expiry, health,
// cooldown, disabled) with refresh and remove, "Sign in" (a device code shown large with a
// copy button and the verification page opened, or the browser opened on the authorization
// page with the redirect caught by the gateway and a paste box as the fallback), progress and
// errors in words, and the import of an auth.json by a file dialog or drag and drop.
class OAuthAccountsPanel : public QWidget
{
    Q_OBJECT

public:
    OAuthAccountsPanel(GatewayHost *host, QWidget *parent = nullptr);
    // The provider shown, its config entry and its runtime item (oauth_accounts).
    void setProvider(const QString &name, const QJsonObject &entry, const QJsonObject &runtime);

    void signIn();
    void completeWithUrl(const QString &callbackUrl);
    void cancelSignIn();
    void importFile(const QString &path);
    void refreshAccount(const QString &file);
    void removeAccount(const QString &file); // without asking (the button asks first)

    // Opens a page in the browser; tests replace it.
    std::function<bool(const QUrl &url)> openUrl;

    // For tests: what the panel shows.
    QTreeWidget *accountList() const { return m_accounts; }
    QLabel *userCodeLabel() const { return m_userCode; }
    QLabel *statusLabel() const { return m_status; }
    QLineEdit *callbackEdit() const { return m_callback; }
    QPushButton *signInButton() const { return m_signIn; }
    QLineEdit *labelEdit() const { return m_label; }
    QString flowId() const { return m_flowId; }

Q_SIGNALS:
    void notice(const QString &text); // for the status bar
    void accountsChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    struct Answer
    {
        int status = 0;
        QJsonObject json;
        QString error;
    };
    void onFlowEvent(const QJsonObject &event);
    void showStatus(const QString &text);
    void endFlow();
    void cancelInGateway(const QString &flowId); // its listener and polling end
    QString selectedFile() const;
    static QString inWords(const QString &error);
    // The provider's config as a sign-in must save it: a provider that signs in with an API
    // key so far starts using accounts too ("hybrid"; "oauth" without a key).
    QJsonObject inlineConfigForSignIn() const;

    GatewayHost *m_host;
    QString m_provider;
    QJsonObject m_entry;
    QString m_flowId;
    QUrl m_flowUrl;
    QLabel *m_heading;
    QTreeWidget *m_accounts;
    QLineEdit *m_label;
    QPushButton *m_signIn;
    QPushButton *m_import;
    QPushButton *m_refresh;
    QPushButton *m_remove;
    QWidget *m_flowBox;
    QLabel *m_instructions;
    QLabel *m_userCode;
    QPushButton *m_copyCode;
    QPushButton *m_openPage;
    QPushButton *m_copyUrl;
    QLineEdit *m_callback;
    QPushButton *m_complete;
    QPushButton *m_cancel;
    QLabel *m_status;
};
