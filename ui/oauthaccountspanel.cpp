#include "oauthaccountspanel.h"

#include "agent/agentruntime.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/safefile.h"
#include "gatewayhost.h"
#include "providers/oauthflavour.h"
#include "providers/oauthflows.h"
#include "providers/providerroute.h"
#include "providers/providerruntime.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

enum AccountColumn
{
    AccountName,
    AccountExpires,
    AccountHealth,
    AccountCooldown,
    AccountState
};
constexpr int kFileRole = Qt::UserRole + 1;
constexpr qint64 kImportCap = 16 * 1024 * 1024;

QString when(const QString &rfc3339)
{
    const QDateTime time = QDateTime::fromString(rfc3339, Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                          : QString();
}

} // namespace

OAuthAccountsPanel::OAuthAccountsPanel(GatewayHost *host, QWidget *parent)
    : QWidget(parent), openUrl([](const QUrl &url) { return QDesktopServices::openUrl(url); }),
      m_host(host), m_heading(new QLabel(this)), m_accounts(new QTreeWidget(this)),
      m_label(new QLineEdit(this)), m_signIn(new QPushButton(tr("Sign in…"), this)),
      m_import(new QPushButton(tr("Import auth.json…"), this)),
      m_refresh(new QPushButton(tr("Refresh token"), this)),
      m_remove(new QPushButton(tr("Remove"), this)), m_flowBox(new QWidget(this)),
      m_instructions(new QLabel(this)), m_userCode(new QLabel(this)),
      m_copyCode(new QPushButton(tr("Copy code"), this)),
      m_openPage(new QPushButton(tr("Open the page again"), this)),
      m_copyUrl(new QPushButton(tr("Copy address"), this)), m_callback(new QLineEdit(this)),
      m_complete(new QPushButton(tr("Complete"), this)),
      m_cancel(new QPushButton(tr("Cancel sign-in"), this)), m_status(new QLabel(this))
{
    setAcceptDrops(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_heading->setWordWrap(true);
    m_heading->setBuddy(m_accounts);
    layout->addWidget(m_heading);
    auto *row = new QHBoxLayout;
    m_accounts->setHeaderLabels(
        {tr("Account"), tr("Expires"), tr("Health"), tr("Cooldown until"), tr("State")});
    m_accounts->setRootIsDecorated(false);
    m_accounts->setAccessibleName(tr("OAuth accounts"));
    m_accounts->setMaximumHeight(100);
    row->addWidget(m_accounts, 1);
    auto *buttons = new QVBoxLayout;
    m_signIn->setToolTip(tr("Signs in with the provider in your browser"));
    m_import->setToolTip(tr("Adds an account from a credential file (clawgo, Codex CLI, "
                            "Gemini CLI, CLIProxyAPI)"));
    m_refresh->setToolTip(tr("Exchanges the account's refresh token for a new access token now"));
    m_remove->setToolTip(tr("Deletes the account's credential file"));
    m_label->setPlaceholderText(tr("Label (optional)"));
    m_label->setAccessibleName(tr("Account label"));
    m_label->setToolTip(tr("How the account is named when the provider does not say (Qwen)"));
    buttons->addWidget(m_label);
    for (QPushButton *button : {m_signIn, m_import, m_refresh, m_remove})
        buttons->addWidget(button);
    buttons->addStretch();
    row->addLayout(buttons);
    layout->addLayout(row);

    // The sign-in under way.
    auto *flowLayout = new QVBoxLayout(m_flowBox);
    flowLayout->setContentsMargins(0, 0, 0, 0);
    // Long addresses and provider errors wrap or clip; they never widen the window.
    for (QLabel *label : {m_instructions, m_status, m_heading}) {
        label->setWordWrap(true);
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        label->setMinimumWidth(1);
    }
    flowLayout->addWidget(m_instructions);
    auto *codeRow = new QHBoxLayout;
    QFont big = m_userCode->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    big.setLetterSpacing(QFont::AbsoluteSpacing, 3);
    m_userCode->setFont(big);
    m_userCode->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_userCode->setAccessibleName(tr("Device code"));
    codeRow->addWidget(m_userCode);
    codeRow->addWidget(m_copyCode);
    codeRow->addWidget(m_openPage);
    codeRow->addWidget(m_copyUrl);
    codeRow->addStretch();
    flowLayout->addLayout(codeRow);
    auto *pasteRow = new QHBoxLayout;
    m_callback->setPlaceholderText(tr("http://localhost:…/callback?code=…&state=…"));
    m_callback->setAccessibleName(tr("Callback address"));
    m_callback->setClearButtonEnabled(true);
    pasteRow->addWidget(m_callback, 1);
    pasteRow->addWidget(m_complete);
    flowLayout->addLayout(pasteRow);
    flowLayout->addWidget(m_cancel, 0, Qt::AlignLeft);
    m_flowBox->hide();
    layout->addWidget(m_flowBox);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);

    connect(m_signIn, &QPushButton::clicked, this, &OAuthAccountsPanel::signIn);
    connect(m_import, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getOpenFileName(this, tr("Import an OAuth credential"), QString(),
                                         tr("JSON files (*.json);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    connect(m_refresh, &QPushButton::clicked, this, [this] {
        if (!selectedFile().isEmpty())
            refreshAccount(selectedFile());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const QString file = selectedFile();
        if (file.isEmpty())
            return;
        auto *ask =
            new QMessageBox(QMessageBox::Question, tr("Remove account"),
                            tr("Remove this account and delete its credential file?\n%1").arg(file),
                            QMessageBox::Yes | QMessageBox::Cancel, this);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::finished, this, [this, file](int result) {
            if (result == QMessageBox::Yes)
                removeAccount(file);
        });
        ask->open();
    });
    connect(m_accounts, &QTreeWidget::currentItemChanged, this, [this] {
        m_refresh->setEnabled(!selectedFile().isEmpty());
        m_remove->setEnabled(!selectedFile().isEmpty());
    });
    connect(m_copyCode, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_userCode->text());
        Q_EMIT notice(tr("Copied the code"));
    });
    connect(m_openPage, &QPushButton::clicked, this, [this] { openUrl(m_flowUrl); });
    connect(m_copyUrl, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_flowUrl.toString());
        Q_EMIT notice(tr("Copied the address"));
    });
    connect(m_complete, &QPushButton::clicked, this,
            [this] { completeWithUrl(m_callback->text()); });
    connect(m_callback, &QLineEdit::returnPressed, this,
            [this] { completeWithUrl(m_callback->text()); });
    connect(m_cancel, &QPushButton::clicked, this, &OAuthAccountsPanel::cancelSignIn);
    connect(host, &GatewayHost::oauthFlow, this, &OAuthAccountsPanel::onFlowEvent);
    m_refresh->setEnabled(false);
    m_remove->setEnabled(false);
}

QString OAuthAccountsPanel::selectedFile() const
{
    const QTreeWidgetItem *item = m_accounts->currentItem();
    return item ? item->data(AccountName, kFileRole).toString() : QString();
}

void OAuthAccountsPanel::setProvider(const QString &name, const QJsonObject &entry,
                                     const QJsonObject &runtime)
{
    const QString auth = entry.value("auth").toString().trimmed().toLower();
    const bool oauth = auth == QLatin1String("oauth") || auth == QLatin1String("hybrid");
    QString flavour =
        ProviderRoute::normalizeName(entry.value("oauth").toObject().value("provider").toString());
    if (flavour.isEmpty())
        flavour = ProviderRoute::kindOf(name, entry);
    // Every provider that can sign in shows it, also one that uses an API key so far.
    setVisible(oauth || OAuthFlavour::forProvider(flavour, {}).isKnown());
    m_entry = entry;
    m_heading->setText(oauth ? tr("Accounts (sign in, or drop an auth.json here):")
                             : tr("Accounts: none yet. Signing in (or dropping an auth.json "
                                  "here) makes %1 use the account too.")
                                   .arg(name));
    if (name != m_provider && !m_flowId.isEmpty())
        cancelSignIn(); // its redirect port and its polling end with it
    if (name != m_provider)
        m_status->clear();
    m_provider = name;
    const QString selected = selectedFile();
    m_accounts->clear();
    for (const QJsonValue &value : runtime.value("oauth_accounts").toArray()) {
        const QJsonObject account = value.toObject();
        if (account.value("kind").toString() == QLatin1String("relay"))
            continue;
        auto *item = new QTreeWidgetItem(m_accounts);
        const QString file = account.value("credential_file").toString();
        QString label = account.value("account_label").toString();
        if (label.isEmpty())
            label = QFileInfo(file).fileName();
        item->setText(AccountName, label);
        item->setToolTip(AccountName, file);
        item->setData(AccountName, kFileRole, file);
        item->setText(AccountExpires, when(account.value("expire").toString()));
        item->setText(AccountHealth, QString::number(account.value("health_score").toInt(100)));
        item->setText(AccountCooldown, when(account.value("cooldown_until").toString()));
        item->setText(
            AccountState,
            account.value("disabled").toBool()
                ? tr("disabled (%1): sign in again").arg(account.value("disable_reason").toString())
            : account.value("cooldown_until").toString().isEmpty()
                ? tr("ready")
                : tr("cooling down after %1").arg(account.value("last_failure").toString()));
        if (file == selected)
            m_accounts->setCurrentItem(item);
    }
    for (int column = 0; column < AccountState; ++column)
        m_accounts->resizeColumnToContents(column);
    m_refresh->setEnabled(!selectedFile().isEmpty());
    m_remove->setEnabled(!selectedFile().isEmpty());
}

void OAuthAccountsPanel::showStatus(const QString &text)
{
    m_status->setText(text);
}

void OAuthAccountsPanel::endFlow()
{
    m_flowId.clear();
    m_flowUrl.clear();
    m_flowBox->hide();
    m_signIn->setEnabled(true);
}

void OAuthAccountsPanel::signIn()
{
    if (m_provider.isEmpty())
        return;
    m_signIn->setEnabled(false);
    showStatus(tr("Starting the sign-in with %1…").arg(m_provider));
    const QString provider = m_provider;
    const QString label = m_label->text().trimmed();
    m_host->callLater<Answer>(
        this,
        [provider, label, inlineConfig = inlineConfigForSignIn()](
            Gateway &gateway, std::function<void(Answer)> deliver) {
            OAuthFlows::StartRequest request;
            request.provider = provider;
            request.inlineConfig = inlineConfig;
            request.accountLabel = label;
            gateway.oauth()->start(
                request, [deliver](int status, const QJsonObject &json, const QString &error) {
                    deliver(Answer{status, json, error});
                });
        },
        [this, provider](const Answer &answer) {
            if (provider != m_provider) {
                // Another provider is shown now: this sign-in is not wanted any more.
                m_signIn->setEnabled(true);
                cancelInGateway(answer.json.value("flow_id").toString());
                return;
            }
            if (answer.status != 200) {
                m_signIn->setEnabled(true);
                showStatus(tr("The sign-in could not start: %1").arg(inWords(answer.error)));
                return;
            }
            m_flowId = answer.json.value("flow_id").toString();
            m_flowUrl = QUrl(answer.json.value("auth_url").toString());
            const bool device = answer.json.value("mode").toString() == QLatin1String("device");
            m_userCode->setText(answer.json.value("user_code").toString());
            for (QWidget *widget : std::initializer_list<QWidget *>{m_userCode, m_copyCode})
                widget->setVisible(device);
            for (QWidget *widget : std::initializer_list<QWidget *>{m_callback, m_complete})
                widget->setVisible(!device);
            m_callback->clear();
            m_instructions->setText(
                device ? tr("Your browser opens the verification page of %1. Enter this code "
                            "there and approve the sign-in; this page notices by itself when you "
                            "are done.")
                             .arg(provider)
                       : tr("Your browser opens the sign-in page of %1. When you are done, it "
                            "comes back to ClawGo by itself. If the browser shows an error page "
                            "instead, copy its address and paste it here:")
                             .arg(provider));
            m_flowBox->show();
            const bool opened = openUrl(m_flowUrl);
            showStatus(opened ? tr("Waiting for you to finish in the browser…")
                              : tr("No browser could be opened here: use \"Copy address\" and "
                                   "open it in a browser."));
        });
}

void OAuthAccountsPanel::completeWithUrl(const QString &callbackUrl)
{
    if (m_flowId.isEmpty() || callbackUrl.trimmed().isEmpty())
        return;
    const QString flowId = m_flowId;
    m_complete->setEnabled(false);
    showStatus(tr("Signing in…"));
    m_host->callLater<Answer>(
        this,
        [flowId, callbackUrl](Gateway &gateway, std::function<void(Answer)> deliver) {
            OAuthFlows::CompleteRequest request;
            request.flowId = flowId;
            request.callbackUrl = callbackUrl.trimmed();
            gateway.oauth()->complete(
                request, [deliver](int status, const QJsonObject &json, const QString &error) {
                    deliver(Answer{status, json, error});
                });
        },
        [this](const Answer &answer) {
            m_complete->setEnabled(true);
            // Success and failure of the flow itself arrive as events; a pasted address that
            // is not the right one leaves the sign-in waiting.
            if (answer.status != 200 && !m_flowId.isEmpty())
                showStatus(
                    tr("That address does not finish the sign-in: %1").arg(inWords(answer.error)));
        });
}

void OAuthAccountsPanel::cancelSignIn()
{
    const QString flowId = m_flowId;
    endFlow();
    showStatus(tr("Sign-in cancelled."));
    cancelInGateway(flowId);
}

void OAuthAccountsPanel::cancelInGateway(const QString &flowId)
{
    if (flowId.isEmpty())
        return;
    m_host->call(
        this,
        [flowId](Gateway &gateway) {
            gateway.oauth()->cancel(flowId);
            return true;
        },
        [](bool) {});
}

void OAuthAccountsPanel::onFlowEvent(const QJsonObject &event)
{
    if (event.value("flow_id").toString() != m_flowId || m_flowId.isEmpty())
        return;
    const QString status = event.value("status").toString();
    if (status == QLatin1String("waiting") || status == QLatin1String("slow_down")) {
        showStatus(tr("Waiting for you to approve the sign-in in the browser…"));
    } else if (status == QLatin1String("exchanging")) {
        showStatus(tr("Signing in…"));
    } else if (status == QLatin1String("succeeded")) {
        endFlow();
        const QString text =
            tr("Signed in to %1 as %2.").arg(m_provider, event.value("account").toString());
        showStatus(text);
        Q_EMIT notice(text);
        Q_EMIT accountsChanged();
    } else if (status == QLatin1String("failed")) {
        endFlow();
        showStatus(tr("The sign-in failed: %1").arg(inWords(event.value("error").toString())));
    }
}

QJsonObject OAuthAccountsPanel::inlineConfigForSignIn() const
{
    const QString auth = m_entry.value("auth").toString().trimmed().toLower();
    if (auth == QLatin1String("oauth") || auth == QLatin1String("hybrid"))
        return QJsonObject(); // the configured provider as it is
    // Only what changes; the gateway keeps the rest of the provider as it is then.
    QJsonObject oauth;
    if (m_entry.value("oauth").toObject().value("provider").toString().trimmed().isEmpty())
        oauth.insert("provider", ProviderRoute::kindOf(m_provider, m_entry));
    QJsonObject delta{{"auth", m_entry.value("api_key").toString().trimmed().isEmpty()
                                   ? QStringLiteral("oauth")
                                   : QStringLiteral("hybrid")}};
    if (!oauth.isEmpty())
        delta.insert("oauth", oauth);
    return delta;
}

QString OAuthAccountsPanel::inWords(const QString &error)
{
    if (error.contains(QLatin1String("denied by user")) ||
        error.contains(QLatin1String("returned error: access_denied")))
        return tr("you declined it in the browser.");
    if (error.contains(QLatin1String("expired")) || error.contains(QLatin1String("timed out")))
        return tr("it took too long and expired. Start again.");
    if (error.contains(QLatin1String("state mismatch")))
        return tr("the address belongs to another sign-in. Use the address of this one.");
    if (error.contains(QLatin1String("missing code")))
        return tr("the address has no sign-in code in it.");
    if (error.contains(QLatin1String("token request failed: status=")))
        return tr("the provider refused the sign-in (%1).").arg(error);
    if (error.contains(QLatin1String("oauth provider is required")))
        return tr("this provider does not sign in with OAuth (set its auth to \"oauth\").");
    return error;
}

void OAuthAccountsPanel::importFile(const QString &path)
{
    if (m_provider.isEmpty())
        return;
    const QString provider = m_provider;
    const QString label = m_label->text().trimmed();
    const QJsonObject inlineConfig = inlineConfigForSignIn();
    showStatus(tr("Importing %1…").arg(QFileInfo(path).fileName()));
    // Read off the UI thread, imported on the gateway's.
    Background::run(
        this, [path] { return SafeFile::read(path, kImportCap); },
        [this, path, provider, label, inlineConfig](const SafeFile::ReadResult &read) {
            if (!read.ok()) {
                showStatus(tr("%1 cannot be read: %2").arg(path, read.error));
                return;
            }
            const QByteArray bytes = read.data;
            const QString name = QFileInfo(path).fileName();
            m_host->callLater<Answer>(
                this,
                [provider, bytes, name, label, inlineConfig](Gateway &gateway,
                                                             std::function<void(Answer)> deliver) {
                    OAuthFlows::ImportRequest request;
                    request.provider = provider;
                    request.inlineConfig = inlineConfig;
                    request.accountLabel = label;
                    request.file = bytes;
                    request.fileName = name;
                    gateway.oauth()->importCredential(
                        request,
                        [deliver](int status, const QJsonObject &json, const QString &error) {
                            deliver(Answer{status, json, error});
                        });
                },
                [this, name](const Answer &answer) {
                    if (answer.status != 200) {
                        showStatus(tr("%1 was not imported: %2").arg(name, answer.error));
                        return;
                    }
                    const QString text =
                        tr("Imported %1 as %2.").arg(name, answer.json.value("account").toString());
                    showStatus(text);
                    Q_EMIT notice(text);
                    Q_EMIT accountsChanged();
                });
        });
}

void OAuthAccountsPanel::refreshAccount(const QString &file)
{
    const QString provider = m_provider;
    showStatus(tr("Refreshing the token…"));
    m_host->callLater<Answer>(
        this,
        [provider, file](Gateway &gateway, std::function<void(Answer)> deliver) {
            gateway.agent()->providerRuntime()->refreshAccount(
                provider, file,
                [deliver](bool ok, const QJsonObject &account, const QString &error) {
                    deliver(Answer{ok ? 200 : 400, account, error});
                });
        },
        [this](const Answer &answer) {
            showStatus(answer.status == 200
                           ? tr("Token refreshed; it now expires %1.")
                                 .arg(when(answer.json.value("expire").toString()))
                           : tr("The token could not be refreshed: %1").arg(answer.error));
            Q_EMIT accountsChanged();
        });
}

void OAuthAccountsPanel::removeAccount(const QString &file)
{
    const QString provider = m_provider;
    m_host->callLater<Answer>(
        this,
        [provider, file](Gateway &gateway, std::function<void(Answer)> deliver) {
            gateway.oauth()->deleteAccount(
                provider, file,
                [deliver](int status, const QJsonObject &json, const QString &error) {
                    deliver(Answer{status, json, error});
                });
        },
        [this](const Answer &answer) {
            const QString text = answer.status == 200
                                     ? tr("Account removed.")
                                     : tr("The account was not removed: %1").arg(answer.error);
            showStatus(text);
            Q_EMIT notice(text);
            Q_EMIT accountsChanged();
        });
}

void OAuthAccountsPanel::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().size() == 1 &&
        event->mimeData()->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void OAuthAccountsPanel::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() != 1 || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    importFile(urls.first().toLocalFile());
}
