#include "weixinpage.h"

#include "channels/weixinchannel.h"

#include "gatewayhost.h"
#include <QDateTime>

#include "channels/qrsvg.h"
#include "channels/weixinchannel.h"

#include <QDateTime>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPushButton>
#include <QSvgRenderer>
#include <QSvgWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

WeixinPage::WeixinPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_qr(new QSvgWidget(this)), m_status(new QLabel(this)),
      m_countdown(new QLabel(this)), m_start(new QPushButton(tr("Log in with WeChat"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_accounts(new QTreeWidget(this)),
      m_makeDefault(new QPushButton(tr("Make default"), this)),
      m_remove(new QPushButton(tr("Remove"), this)), m_poll(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout();
    m_qr->setFixedSize(280, 280); // about 5 cm on a typical screen: easy for a phone camera
    m_qr->hide();
    auto *side = new QVBoxLayout();
    m_status->setWordWrap(true);
    m_status->setText(
        tr("Not logged in. Click \"Log in with WeChat\" and scan the code with the WeChat app."));
    QFont big = m_status->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_status->setFont(big);
    side->addWidget(m_status);
    side->addWidget(m_countdown);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_start);
    buttons->addWidget(m_cancel);
    buttons->addStretch();
    side->addLayout(buttons);
    side->addStretch();
    top->addWidget(m_qr);
    top->addLayout(side, 1);
    layout->addLayout(top);
    m_cancel->setEnabled(false);

    m_accounts->setColumnCount(6);
    m_accounts->setAccessibleName(tr("WeChat accounts"));
    m_accounts->setHeaderLabels({tr("Account"), tr("Default"), tr("Connection"),
                                 tr("Token kept in"), tr("Last event"), tr("Last error")});
    m_accounts->setRootIsDecorated(false);
    m_accounts->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(new QLabel(tr("Accounts"), this));
    layout->addWidget(m_accounts, 1);
    auto *accountButtons = new QHBoxLayout();
    accountButtons->addWidget(m_makeDefault);
    accountButtons->addWidget(m_remove);
    accountButtons->addStretch();
    layout->addLayout(accountButtons);

    m_poll->setInterval(1000); // while a login is pending: follow the phone, tick the countdown
    connect(m_poll, &QTimer::timeout, this, &WeixinPage::refresh);
    connect(m_start, &QPushButton::clicked, this, &WeixinPage::startLogin);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        const QString loginId = m_loginId;
        m_host->call(
            this, [loginId](Gateway &gateway) { return gateway.weixin()->cancelLogin(loginId); },
            [this](bool) { refresh(); });
    });
    const auto selected = [this] {
        const QTreeWidgetItem *item = m_accounts->currentItem();
        return item ? item->text(0) : QString();
    };
    connect(m_makeDefault, &QPushButton::clicked, this, [this, selected] {
        const QString botId = selected();
        m_host->call(
            this, [botId](Gateway &gateway) { return gateway.weixin()->setDefaultAccount(botId); },
            [this](const QString &) { refresh(); });
    });
    connect(m_remove, &QPushButton::clicked, this, [this, selected] {
        const QString botId = selected();
        m_host->call(
            this, [botId](Gateway &gateway) { return gateway.weixin()->removeAccount(botId); },
            [this](const QString &) { refresh(); });
    });
    connect(m_accounts, &QTreeWidget::currentItemChanged, this, &WeixinPage::updateAccountButtons);
    connect(host, &GatewayHost::weixinChanged, this, [this] {
        if (!m_poll->isActive())
            refresh();
    });
    connect(host, &GatewayHost::started, this, &WeixinPage::refresh);
    refresh();
}

void WeixinPage::startLogin()
{
    m_start->setEnabled(false);
    m_status->setText(tr("Asking WeChat for a login code…"));
    m_host->callLater<QString>(
        this,
        [](Gateway &gateway, std::function<void(QString)> deliver) {
            gateway.weixin()->startLogin(gateway.weixin(), deliver);
        },
        [this](const QString &error) {
            m_start->setEnabled(true);
            if (!error.isEmpty()) {
                m_status->setText(tr("Could not start the login: %1").arg(error));
                return;
            }
            refresh();
        });
}

void WeixinPage::refresh()
{
    m_host->callLater<WeixinStatus>(
        this,
        [](Gateway &gateway, std::function<void(WeixinStatus)> deliver) {
            WeixinChannel *channel = gateway.weixin();
            channel->refreshLogins(channel, [channel, deliver](const QString &error) {
                deliver(channel->status(error));
            });
        },
        [this](const WeixinStatus &status) { apply(status); });
}

QString WeixinPage::describe(const WeixinPendingLogin &login)
{
    const QString status = login.status.toLower();
    if (status == QLatin1String("wait") || status.isEmpty())
        return tr("Scan this code with WeChat (Me → Scan).");
    if (status == QLatin1String("scaned"))
        return tr("Scanned — confirm the login on your phone.");
    if (status == QLatin1String("scaned_but_redirect"))
        return tr("Scanned — switching to another WeChat server…");
    if (status == QLatin1String("expired"))
        return tr("The code expired several times. Click \"Log in with WeChat\" to try again.");
    return tr("WeChat says: %1").arg(login.status);
}

QString WeixinPage::describeEvent(const QString &event)
{
    if (event == QLatin1String("poll_ok"))
        return tr("listening");
    if (event == QLatin1String("inbound_message"))
        return tr("message received");
    if (event == QLatin1String("outbound_sent"))
        return tr("reply sent");
    if (event == QLatin1String("error"))
        return tr("problem");
    return event;
}

void WeixinPage::apply(const WeixinStatus &status)
{
    const bool pending = !status.logins.isEmpty();
    const WeixinPendingLogin login = pending ? status.logins.first() : WeixinPendingLogin();
    m_loginId = login.loginId;
    m_cancel->setEnabled(pending);
    m_start->setEnabled(!pending); // one login at a time from here
    m_inactive = !status.active;
    if (m_inactive)
        m_status->setText(tr("The WeChat channel is off. Click \"Log in with WeChat\" to turn it "
                             "on, or enable it on the Config page."));
    else if (!status.ok())
        m_status->setText(tr("WeChat could not be reached: %1").arg(status.error));
    if (pending) {
        QString text = describe(login);
        if (login.qrRefreshes > 0 && login.status == QLatin1String("wait"))
            text = tr("The code expired and was replaced. %1").arg(text);
        if (!login.lastError.isEmpty())
            text += QLatin1Char('\n') + tr("(last problem: %1)").arg(login.lastError);
        m_status->setText(text);
        const qint64 seconds = qMax<qint64>(0, (login.expiresAtMs - status.nowMs + 999) / 1000);
        m_countdown->setText(login.status == QLatin1String("expired")
                                 ? QString()
                                 : tr("The code is valid for %1:%2")
                                       .arg(seconds / 60)
                                       .arg(seconds % 60, 2, 10, QLatin1Char('0')));
        const QString content = login.qrContent.isEmpty() ? login.qrCode : login.qrContent;
        if (content != m_shownQr) {
            m_shownQr = content;
            const QString loginId = m_loginId;
            m_host->call(
                this,
                [loginId](Gateway &gateway) {
                    const QString content = gateway.weixin()->qrContent(loginId);
                    QString error;
                    return content.isEmpty() ? QByteArray() : QrSvg::render(content, &error, 4);
                },
                [this](const QByteArray &svg) {
                    m_qr->load(svg);
                    m_qrLoaded = !svg.isEmpty();
                    m_qr->setVisible(m_qrLoaded);
                });
        }
        if (!m_poll->isActive())
            m_poll->start();
    } else {
        m_poll->stop();
        m_qr->hide();
        m_qrLoaded = false;
        m_shownQr.clear();
        m_countdown->clear();
        if (status.ok()) {
            // The text follows what the accounts really do, not only that they exist.
            int connected = 0;
            QString problem;
            for (const WeixinStatus::Account &account : status.accounts) {
                connected += account.state.connected ? 1 : 0;
                if (!account.state.connected && problem.isEmpty() &&
                    !account.state.lastError.isEmpty())
                    problem = account.state.lastError;
            }
            if (status.accounts.isEmpty())
                m_status->setText(tr("Not logged in. Click \"Log in with WeChat\" and scan the "
                                     "code with the WeChat app."));
            else if (status.nowMs < status.pausedUntilMs)
                m_status->setText(tr("WeChat ended the session; the channel waits until %1 and "
                                     "then tries again. Logging in again ends the wait.")
                                      .arg(QDateTime::fromMSecsSinceEpoch(status.pausedUntilMs)
                                               .toString(QStringLiteral("HH:mm"))));
            else if (connected > 0)
                m_status->setText(tr("Logged in. Messages to the bot go to the agent."));
            else if (!problem.isEmpty())
                m_status->setText(tr("Logged in, but not connected: %1").arg(problem));
            else
                m_status->setText(tr("Logged in; connecting to WeChat…"));
        }
    }
    const QString current =
        m_accounts->currentItem() ? m_accounts->currentItem()->text(0) : QString();
    m_accounts->clear();
    for (const WeixinStatus::Account &account : status.accounts) {
        auto *item = new QTreeWidgetItem(m_accounts);
        item->setText(0, account.botId);
        item->setText(1, account.isDefault ? tr("yes") : QString());
        item->setText(2, account.state.connected ? tr("connected") : tr("not connected"));
        item->setText(3, account.tokenInKeychain ? tr("system keychain") : tr("config file"));
        item->setText(4, describeEvent(account.state.lastEvent));
        item->setText(5, account.state.lastError);
        if (item->text(0) == current)
            m_accounts->setCurrentItem(item);
    }
    updateAccountButtons();
}

void WeixinPage::updateAccountButtons()
{
    // Acting on an account needs one selected (and a channel that runs).
    const bool selected = m_accounts->currentItem() != nullptr;
    m_makeDefault->setEnabled(selected && !m_inactive);
    m_remove->setEnabled(selected && !m_inactive);
}

QString WeixinPage::statusText() const
{
    return m_status->text();
}

QStringList WeixinPage::accountIds() const
{
    QStringList ids;
    for (int i = 0; i < m_accounts->topLevelItemCount(); ++i)
        ids << m_accounts->topLevelItem(i)->text(0);
    return ids;
}

QStringList WeixinPage::accountRow(const QString &botId) const
{
    QStringList texts;
    for (int i = 0; i < m_accounts->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_accounts->topLevelItem(i);
        if (item->text(0) == botId)
            for (int column = 0; column < item->columnCount(); ++column)
                texts << item->text(column);
    }
    return texts;
}

bool WeixinPage::qrShown() const
{
    return m_qrLoaded && m_qr->renderer()->isValid();
}
