#include "webfetchtool.h"

#include "core/networkaccess.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace {

// One web_fetch call: every address the URL leads to must be public (checked before each
// request and each redirect), the body is capped, the whole fetch is timed out. Cancelling
// aborts the lookup or request under way; nothing calls back afterwards.
class FetchTask final : public ToolTask
{
public:
    FetchTask(const QUrl &url, const ToolContext &context) : m_context(context)
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            finish(ToolOutcome::fail(QStringLiteral("fetching took longer than %1 s")
                                         .arg(m_context.fetchTimeoutMs / 1000)));
        });
        m_timer.start(m_context.fetchTimeoutMs);
        // Checked from the event loop: a refusal is reported after the caller connected.
        QTimer::singleShot(0, this, [this, url] { checkAndFetch(url); });
    }

protected:
    void stop() override
    {
        release();
        deleteLater();
    }

private:
    void release()
    {
        m_timer.stop();
        if (m_lookupId >= 0) {
            QHostInfo::abortHostLookup(m_lookupId);
            m_lookupId = -1;
        }
        if (m_reply) {
            disconnect(m_reply, nullptr, this, nullptr);
            m_reply->abort();
            m_reply->deleteLater();
            m_reply = nullptr;
        }
    }

    void finish(const ToolOutcome &outcome)
    {
        release();
        complete(outcome);
    }

    void refuse(const QString &host, const QString &why)
    {
        finish(ToolOutcome::fail(QStringLiteral("refusing to fetch %1: %2").arg(host, why)));
    }

    void checkAndFetch(const QUrl &url)
    {
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty())
            return finish(
                ToolOutcome::fail(QStringLiteral("only http and https URLs can be fetched")));
        if (m_context.allowPrivateFetch)
            return fetch(url);
        const QHostAddress literal(url.host());
        if (!literal.isNull())
            return WebFetchTool::isPrivateAddress(literal)
                       ? refuse(url.host(), QStringLiteral("private or loopback address"))
                       : fetch(url);
        if (url.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
            url.host().endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
            return refuse(url.host(), QStringLiteral("private or loopback address"));
        // Asynchronous lookup: every address the name has must be public.
        m_lookupId = QHostInfo::lookupHost(url.host(), this, [this, url](const QHostInfo &info) {
            m_lookupId = -1;
            if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
                return finish(
                    ToolOutcome::fail(QStringLiteral("cannot resolve %1").arg(url.host())));
            for (const QHostAddress &address : info.addresses())
                if (WebFetchTool::isPrivateAddress(address))
                    return refuse(url.host(), QStringLiteral("it resolves to a private address"));
            fetch(url);
        });
    }

    void fetch(const QUrl &url)
    {
        QString unused;
        QNetworkRequest request(url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        request.setRawHeader("User-Agent", "ClawGo-Desktop web_fetch");
        m_body.clear();
        m_truncated = false;
        m_reply = NetworkAccess::forProxy(QString(), &unused)->get(request);
        m_reply->setParent(this);
        connect(m_reply, &QNetworkReply::readyRead, this, [this] {
            m_body.append(m_reply->readAll());
            if (m_body.size() > m_context.fetchCapBytes) {
                m_body.truncate(m_context.fetchCapBytes);
                m_truncated = true;
                disconnect(m_reply, &QNetworkReply::readyRead, this, nullptr);
                m_reply->abort(); // finished() follows, with what we have
            }
        });
        connect(m_reply, &QNetworkReply::finished, this, [this, url] { onFinished(url); });
    }

    void onFinished(const QUrl &url)
    {
        QNetworkReply *reply = m_reply;
        m_reply = nullptr;
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
            if (++m_redirects > 5)
                return finish(ToolOutcome::fail(QStringLiteral("too many redirects")));
            return checkAndFetch(url.resolved(QUrl::fromEncoded(reply->rawHeader("Location"))));
        }
        if (status == 0 && !m_truncated)
            return finish(ToolOutcome::fail(
                QStringLiteral("cannot fetch %1: %2").arg(url.toString(), reply->errorString())));
        QString text = QStringLiteral("HTTP %1, %2\n\n")
                           .arg(status)
                           .arg(reply->header(QNetworkRequest::ContentTypeHeader).toString());
        text += QString::fromUtf8(m_body);
        if (m_truncated)
            text += QStringLiteral("\n[truncated at %1 KiB]").arg(m_context.fetchCapBytes / 1024);
        finish(ToolOutcome::ok(text));
    }

    ToolContext m_context;
    QTimer m_timer;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_body;
    int m_lookupId = -1;
    int m_redirects = 0;
    bool m_truncated = false;
};

} // namespace

bool WebFetchTool::isPrivateAddress(const QHostAddress &addressIn)
{
    QHostAddress address = addressIn;
    bool mapped = false;
    const QHostAddress v4(address.toIPv4Address(&mapped));
    if (mapped)
        address = v4;
    if (address.isLoopback() || address.isLinkLocal() || address.isSiteLocal() ||
        address.isUniqueLocalUnicast() || address.isMulticast() || address.isBroadcast() ||
        address == QHostAddress::AnyIPv4 || address == QHostAddress::AnyIPv6)
        return true;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        const quint32 ip = address.toIPv4Address();
        const auto in = [ip](quint32 net, int bits) {
            return (ip >> (32 - bits)) == (net >> (32 - bits));
        };
        return in(0x0A000000, 8) || in(0xAC100000, 12) || in(0xC0A80000, 16) ||
               in(0x64400000, 10) || in(0x00000000, 8) || in(0xA9FE0000, 16);
    }
    return false;
}

ToolSpec WebFetchTool::spec() const
{
    return {
        QStringLiteral("web_fetch"),
        QStringLiteral("Fetch a public http(s) URL and return its status, type and text (capped)."),
        QJsonObject{{"type", "object"},
                    {"properties", QJsonObject{{"url", QJsonObject{{"type", "string"}}}}},
                    {"required", QJsonArray{"url"}}}};
}

ToolTask *WebFetchTool::start(const QJsonObject &arguments, const ToolContext &context)
{
    return new FetchTask(QUrl(arguments.value("url").toString().trimmed()), context);
}
