#include "weixinlogin.h"

#include "core/clock.h"
#include "core/logcategories.h"
#include "ilinkclient.h"

#include <QDateTime>
#include <QPointer>
#include <QRandomGenerator>
#include <utility>

namespace {

constexpr int kMaxQrRefreshes = 3;

// clawgo-weixin:<epoch ms>-<8 hex>
QString randomId()
{
    return QStringLiteral("clawgo-weixin:%1-%2")
        .arg(Clock::nowMs())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

QString hostToUrl(const QString &host)
{
    QString url = host.trimmed();
    if (!url.startsWith(QLatin1String("http://")) && !url.startsWith(QLatin1String("https://")))
        url = QStringLiteral("https://") + url;
    while (url.endsWith(QLatin1Char('/')))
        url.chop(1);
    return url;
}

} // namespace

WeixinLogin::WeixinLogin(ILinkClient *client, QObject *parent) : QObject(parent), m_client(client)
{}

int WeixinLogin::indexOf(const QString &loginId) const
{
    for (int i = 0; i < m_logins.size(); ++i)
        if (m_logins.at(i).loginId == loginId)
            return i;
    return -1;
}

void WeixinLogin::start(const QString &base, QObject *context,
                        std::function<void(const QString &)> done)
{
    m_client->getBotQrcode(base, context, [this, base, done](const ILinkClient::Reply &reply) {
        if (!reply.ok)
            return done(reply.error);
        WeixinPendingLogin login;
        login.loginId = randomId();
        login.qrCode = reply.body.value("qrcode").toString().trimmed();
        login.qrContent = reply.body.value("qrcode_img_content").toString().trimmed();
        if (login.qrContent.isEmpty())
            login.qrContent = login.qrCode;
        login.baseUrl = base;
        login.updatedAtMs = Clock::nowMs();
        login.expiresAtMs = login.updatedAtMs + m_qrLifetimeMs;
        m_logins << login;
        qCInfo(lcChannels).noquote() << "weixin login started" << login.loginId;
        Q_EMIT changed();
        done(QString());
    });
}

bool WeixinLogin::cancel(const QString &loginId)
{
    const int index = indexOf(loginId.trimmed());
    if (loginId.trimmed().isEmpty() || index < 0)
        return false;
    m_logins.removeAt(index);
    Q_EMIT changed();
    return true;
}

void WeixinLogin::refresh(QObject *context, std::function<void(const QString &)> done)
{
    QPointer<QObject> guard(context);
    auto deliver = [guard, done](const QString &error) {
        if (guard)
            done(error);
    };
    if (m_refreshing) {
        m_waiting << deliver; // single flight: share the running refresh
        return;
    }
    if (m_lastRefreshMs >= 0 && Clock::nowMs() - m_lastRefreshMs < m_refreshGapMs)
        return deliver(QString());
    m_refreshing = true;
    m_waiting << deliver;
    refreshNext(0, [this](const QString &error) {
        m_refreshing = false;
        m_lastRefreshMs = Clock::nowMs();
        const auto waiting = std::exchange(m_waiting, {});
        Q_EMIT changed();
        for (const auto &callback : waiting)
            callback(error);
    });
}

void WeixinLogin::renewQr(int index, std::function<void(const QString &)> next)
{
    const QString loginId = m_logins.at(index).loginId;
    m_client->getBotQrcode(
        m_logins.at(index).baseUrl, this, [this, loginId, next](const ILinkClient::Reply &reply) {
            const int i = indexOf(loginId);
            if (i < 0)
                return next(QString());
            WeixinPendingLogin &login = m_logins[i];
            login.updatedAtMs = Clock::nowMs();
            if (!reply.ok) {
                login.lastError = reply.error;
                return next(QString());
            }
            login.qrCode = reply.body.value("qrcode").toString().trimmed();
            login.qrContent = reply.body.value("qrcode_img_content").toString().trimmed();
            if (login.qrContent.isEmpty())
                login.qrContent = login.qrCode;
            login.status = QStringLiteral("wait");
            login.lastError.clear();
            login.expiresAtMs = login.updatedAtMs + m_qrLifetimeMs;
            ++login.qrRefreshes;
            qCInfo(lcChannels).noquote() << "weixin QR renewed for" << loginId << "("
                                         << login.qrRefreshes << "of" << kMaxQrRefreshes << ")";
            next(QString());
        });
}

void WeixinLogin::refreshNext(int index, std::function<void(const QString &)> finish)
{
    if (index >= m_logins.size())
        return finish(QString());
    WeixinPendingLogin &login = m_logins[index];
    const auto next = [this, index, finish](const QString &hardError) {
        if (!hardError.isEmpty())
            return finish(hardError);
        refreshNext(index + 1, finish);
    };
    if (login.qrCode.isEmpty() || login.status == QLatin1String("expired"))
        return next(QString());
    // The QR's countdown is over: replace it while renewals are left.
    if (Clock::nowMs() >= login.expiresAtMs) {
        if (login.qrRefreshes < kMaxQrRefreshes)
            return renewQr(index, next);
        login.status = QStringLiteral("expired");
        login.updatedAtMs = Clock::nowMs();
        return next(QString());
    }
    const QString loginId = login.loginId;
    m_client->getQrcodeStatus(
        login.baseUrl, login.qrCode, this,
        [this, loginId, index, next](const ILinkClient::Reply &reply) {
            const int i = indexOf(loginId);
            if (i < 0)
                return next(QString()); // cancelled meanwhile
            WeixinPendingLogin &login = m_logins[i];
            login.updatedAtMs = Clock::nowMs();
            if (!reply.ok) {
                if (reply.error.startsWith(QLatin1String("decode response")))
                    return next(reply.error);
                login.lastError = reply.error; // transport trouble: try again next time
                return next(QString());
            }
            const QJsonObject body = reply.body;
            const QString raw = body.value("status").toString().trimmed();
            const QString status = raw.toLower();
            if (status.isEmpty() || status == QLatin1String("wait") ||
                status == QLatin1String("scaned")) {
                login.status = raw.isEmpty() ? QStringLiteral("wait") : raw;
                login.lastError.clear();
            } else if (status == QLatin1String("scaned_but_redirect")) {
                login.status = raw;
                const QString host = body.value("redirect_host").toString().trimmed();
                if (host.isEmpty()) {
                    login.lastError = QStringLiteral("missing redirect_host");
                } else {
                    login.baseUrl = hostToUrl(host);
                    login.lastError.clear();
                }
            } else if (status == QLatin1String("expired")) {
                // Upstream says so before our countdown: renew now while renewals are left.
                if (login.qrRefreshes < kMaxQrRefreshes)
                    return renewQr(i, next);
                login.status = QStringLiteral("expired");
            } else if (status == QLatin1String("confirmed")) {
                WeixinAccount account;
                account.botId = body.value("ilink_bot_id").toString().trimmed();
                account.botToken = body.value("bot_token").toString().trimmed();
                account.ilinkUserId = body.value("ilink_user_id").toString().trimmed();
                if (account.botId.isEmpty() || account.botToken.isEmpty())
                    return next(QStringLiteral("confirmed login missing bot credentials"));
                const QString newBase = body.value("baseurl").toString().trimmed();
                m_logins.removeAt(i);
                qCInfo(lcChannels).noquote() << "weixin login confirmed for bot" << account.botId;
                Q_EMIT confirmed(account, newBase);
                return refreshNext(index, [next](const QString &error) { next(error); });
            } else {
                login.status = raw;
            }
            next(QString());
        });
}

QString WeixinLogin::qrContent(const QString &loginId) const
{
    const QString id = loginId.trimmed();
    for (const WeixinPendingLogin &login : m_logins)
        if (id.isEmpty() || login.loginId == id)
            return login.qrContent.isEmpty() ? login.qrCode : login.qrContent;
    return QString();
}
