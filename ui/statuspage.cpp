#include "statuspage.h"

#include "core/hostnames.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"

#include "agent/agentruntime.h"
#include "core/configstore.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

StatusPage::StatusPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_address(new QLabel(this)), m_auth(new QLabel(this)),
      m_warning(new QLabel(this)), m_version(new QLabel(QStringLiteral(CLAWGO_VERSION), this)),
      m_uptime(new QLabel(this)), m_provider(new QLabel(this)),
      m_checkProvider(new QPushButton(tr("Check provider"), this)), m_keychain(new QLabel(this)),
      m_keychainSwitch(new QPushButton(this)), m_tick(new QTimer(this))
{
    m_keychainSwitch->setAccessibleName(tr("Switch where credentials are kept"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout();
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
    m_provider->setWordWrap(true);
    m_provider->setText(tr("not checked yet"));
    form->addRow(tr("API address:"), m_address);
    form->addRow(tr("Authentication:"), m_auth);
    form->addRow(tr("Version:"), m_version);
    form->addRow(tr("Uptime:"), m_uptime);
    form->addRow(tr("Provider:"), m_provider);
    m_keychain->setWordWrap(true);
    m_keychainSwitch->setObjectName(QStringLiteral("keychainSwitch"));
    m_keychainSwitch->setEnabled(false);
    // Text above the button: a wrapped label beside a button gets clipped to one line's height.
    auto *keychainRow = new QVBoxLayout();
    keychainRow->addWidget(m_keychain);
    keychainRow->addWidget(m_keychainSwitch, 0, Qt::AlignLeft);
    form->addRow(tr("Credentials:"), keychainRow);
    layout->addLayout(form);
    layout->addWidget(m_warning);
    auto *buttons = new QHBoxLayout();
    auto *copyUrl = new QPushButton(tr("Copy API URL"), this);
    auto *copyToken = new QPushButton(tr("Copy token"), this);
    copyUrl->setObjectName(QStringLiteral("copyUrl"));
    copyToken->setObjectName(QStringLiteral("copyToken"));
    buttons->addWidget(copyUrl);
    buttons->addWidget(copyToken);
    buttons->addWidget(m_checkProvider);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch();
    connect(copyUrl, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_host->apiUrl()); });
    connect(copyToken, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_host->token()); });
    connect(m_checkProvider, &QPushButton::clicked, this, [this] {
        m_provider->setText(tr("Checking…"));
        m_checkProvider->setEnabled(false);
        struct Resolved
        {
            bool ok = false;
            ProviderSettings settings;
            QString error;
        };
        m_host->call(
            this,
            [](Gateway &gateway) {
                Resolved resolved;
                resolved.ok = gateway.agent()->resolveProvider(&resolved.settings, &resolved.error);
                return resolved;
            },
            [this](const Resolved &resolved) {
                const ProviderSettings settings = resolved.settings;
                if (!resolved.ok) {
                    m_provider->setText(resolved.error);
                    m_checkProvider->setEnabled(true);
                    return;
                }
                GatewayCalls::testProvider(
                    m_host, settings, false, this,
                    [this, settings](bool reachable, const QString &message) {
                        m_checkProvider->setEnabled(true);
                        m_provider->setText(
                            reachable ? tr("%1 (%2) answers.").arg(settings.name, settings.model)
                                      : message);
                    });
            });
    });
    connect(m_keychainSwitch, &QPushButton::clicked, this, &StatusPage::switchKeychain);
    connect(host, &GatewayHost::keychainChanged, this, &StatusPage::refreshKeychain);
    connect(host, &GatewayHost::configChanged, this, &StatusPage::refreshKeychain);
    connect(host, &GatewayHost::started, this, &StatusPage::refreshKeychain);
    connect(m_tick, &QTimer::timeout, this, &StatusPage::refresh);
    connect(host, &GatewayHost::listenerChanged, this, &StatusPage::refresh);
    connect(host, &GatewayHost::configChanged, this, &StatusPage::refresh);
    connect(host, &GatewayHost::started, this, &StatusPage::refresh);
    m_tick->start(1000);
    refresh();
}

void StatusPage::refresh()
{
    if (!m_host->isRunning()) {
        m_address->setText(m_host->lastError().isEmpty()
                               ? tr("starting…")
                               : tr("not listening: %1").arg(m_host->lastError()));
    } else {
        m_address->setText(m_host->apiUrl());
    }
    const bool open = m_host->token().isEmpty();
    const bool loopback = Hostnames::isLoopback(QUrl(m_host->apiUrl()).host());
    m_auth->setText(open ? tr("off (empty gateway.token)") : tr("on (token required)"));
    QStringList warnings;
    if (open)
        warnings << tr(
            "Anyone who can reach the API address can use the agent: set gateway.token.");
    if (m_host->isRunning() && !loopback)
        warnings
            << tr("The API listens beyond this computer (%1).").arg(QUrl(m_host->apiUrl()).host());
    m_warning->setText(warnings.join(QLatin1Char('\n')));
    m_warning->setVisible(!warnings.isEmpty());
    if (m_host->startedAt().isValid()) {
        const qint64 seconds = m_host->startedAt().secsTo(QDateTime::currentDateTime());
        m_uptime->setText(
            tr("%1 h %2 min %3 s").arg(seconds / 3600).arg((seconds / 60) % 60).arg(seconds % 60));
    }
}

void StatusPage::refreshKeychain()
{
    m_host->call(
        this, [](Gateway &gateway) { return gateway.configStore()->keychainStatus(); },
        [this](const ConfigVault::Status &status) {
            m_keychainWanted = status.wanted;
            QString text;
            if (!status.wanted)
                text = tr("in the config files (0600), where clawgo can read them too");
            else if (status.probing)
                text = tr("in the system keychain (asking it…)");
            else if (!status.available)
                text = tr("meant for the system keychain, which is not available here (%1); "
                          "they stay in the config files (0600)")
                           .arg(status.reason);
            else
                text = status.inKeychain == 1
                           ? tr("in the system keychain (1 credential); clawgo cannot read it "
                                "there")
                           : tr("in the system keychain (%1 credentials); clawgo cannot read "
                                "them there")
                                 .arg(status.inKeychain);
            if (!status.unreadable.isEmpty())
                text += QLatin1Char('\n') +
                        tr("Not given by the keychain: %1").arg(status.unreadable.join(", "));
            m_keychain->setText(text);
            m_keychainSwitch->setText(status.wanted ? tr("Move to the config files")
                                                    : tr("Move to the keychain"));
            m_keychainSwitch->setEnabled(m_host->isRunning());
        });
}

QString StatusPage::keychainText() const
{
    return m_keychain->text();
}

// Saves secrets.keychain the other way round; the config store moves the credentials.
void StatusPage::switchKeychain()
{
    m_keychainSwitch->setEnabled(false);
    const bool wanted = !m_keychainWanted;
    GatewayCalls::readConfig(m_host, this, [this, wanted](const GatewayCalls::SavedConfig &saved) {
        QJsonObject config = saved.config;
        QJsonObject secrets = config.value("secrets").toObject();
        secrets.insert("keychain", wanted);
        config.insert("secrets", secrets);
        GatewayCalls::saveConfig(
            m_host, config, saved.etag, this, [this](const ConfigStore::SaveResult &result) {
                if (result.status != ConfigStore::SaveResult::Ok)
                    m_keychain->setText(tr("Not switched: %1")
                                            .arg(result.errors.isEmpty()
                                                     ? result.error
                                                     : result.errors.join("; ")));
                refreshKeychain();
            });
    });
}
