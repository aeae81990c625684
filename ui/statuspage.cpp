#include "statuspage.h"

#include "core/hostnames.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"

#include "agent/agentruntime.h"
#include "core/configdefaults.h"
#include "core/configstore.h"
#include "core/jsonutil.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QFileInfo>
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
      m_keychainSwitch(new QPushButton(this)), m_tick(new QTimer(this)),
      m_activity(new QLabel(this)), m_weixin(new QLabel(this)),
      m_generateToken(new QPushButton(tr("Generate a token"), this))
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
    auto *authRow = new QHBoxLayout();
    authRow->addWidget(m_auth);
    authRow->addWidget(m_generateToken);
    authRow->addStretch();
    m_generateToken->hide();
    form->addRow(tr("Authentication:"), authRow);
    form->addRow(tr("Version:"), m_version);
    form->addRow(tr("Uptime:"), m_uptime);
    form->addRow(tr("Provider:"), m_provider);
    form->addRow(tr("Activity:"), m_activity);
    form->addRow(tr("Weixin:"), m_weixin);
    m_activity->setWordWrap(true);
    m_weixin->setWordWrap(true);
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
    // Where the files are, opened in the file manager.
    auto *folders = new QHBoxLayout();
    auto *openConfig = new QPushButton(tr("Open config folder"), this);
    auto *openLogs = new QPushButton(tr("Open log folder"), this);
    folders->addWidget(openConfig);
    folders->addWidget(openLogs);
    folders->addStretch();
    layout->addLayout(folders);
    connect(openConfig, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(
            QUrl::fromLocalFile(QFileInfo(m_host->configPath()).absolutePath()));
    });
    connect(openLogs, &QPushButton::clicked, this, [this] {
        m_host->call(
            this, [](Gateway &gateway) { return QFileInfo(gateway.logFilePath()).absolutePath(); },
            [](const QString &folder) {
                if (!folder.isEmpty())
                    QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
            });
    });
    connect(m_generateToken, &QPushButton::clicked, this, &StatusPage::generateToken);
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
                auto timer = std::make_shared<QElapsedTimer>();
                timer->start();
                GatewayCalls::testProvider(
                    m_host, settings, false, this,
                    [this, settings, timer](bool reachable, const QString &message) {
                        m_checkProvider->setEnabled(true);
                        m_provider->setText(reachable ? tr("%1 (%2) answers in %3 ms.")
                                                            .arg(settings.name, settings.model)
                                                            .arg(timer->elapsed())
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
    m_generateToken->setVisible(open && m_host->isRunning());
    if (m_host->isRunning())
        m_host->call(
            this, [](Gateway &gateway) { return gateway.activity(); },
            [this](const Gateway::Activity &now) { showActivity(now); });
    if (m_host->startedAt().isValid()) {
        const qint64 seconds = m_host->startedAt().secsTo(QDateTime::currentDateTime());
        m_uptime->setText(
            tr("%1 h %2 min %3 s").arg(seconds / 3600).arg((seconds / 60) % 60).arg(seconds % 60));
    }
}

void StatusPage::showActivity(const Gateway::Activity &now)
{
    m_activity->setText(tr("%1 requests since start; %2 open connections, %3 WebSocket clients; "
                           "%4 chats answering now")
                            .arg(now.requests)
                            .arg(now.connections)
                            .arg(now.webSockets)
                            .arg(now.activeChats));
    QString weixin;
    if (!now.weixinActive)
        weixin = tr("off");
    else if (now.weixinAccounts == 0)
        weixin = tr("on, no account logged in");
    else
        weixin = tr("%1 of %2 accounts connected").arg(now.weixinConnected).arg(now.weixinAccounts);
    m_weixin->setText(weixin);
    // The tray's tooltip: the same summary in a few words.
    QString summary =
        m_host->isRunning() ? tr("API at %1").arg(m_host->apiUrl()) : tr("API not listening");
    if (now.activeChats > 0)
        summary += QLatin1Char('\n') + tr("%n chat(s) answering", nullptr, now.activeChats);
    summary += QLatin1Char('\n') + tr("Weixin: %1").arg(weixin);
    if (summary != m_summary) {
        m_summary = summary;
        Q_EMIT summaryChanged(summary);
    }
}

QString StatusPage::activityText() const
{
    return m_activity->text() + QLatin1Char('\n') + m_weixin->text();
}

// An empty token leaves the API open to anyone who reaches it: one click sets a new one.
void StatusPage::generateToken()
{
    m_generateToken->setEnabled(false);
    m_host->callLater<bool>(
        this,
        [](Gateway &gateway, std::function<void(bool)> deliver) {
            gateway.configStore()->update(
                QStringLiteral("gui"),
                [](const QJsonObject &file) {
                    QJsonObject changed = file;
                    JsonUtil::setValueAt(changed, QStringLiteral("gateway.token"),
                                         ConfigDefaults::generateToken());
                    return changed;
                },
                &gateway,
                [deliver](const ConfigStore::SaveResult &result) {
                    deliver(result.status == ConfigStore::SaveResult::Ok);
                });
        },
        [this](bool) {
            m_generateToken->setEnabled(true);
            refresh();
        });
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
