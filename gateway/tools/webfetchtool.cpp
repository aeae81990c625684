#include "webfetchtool.h"

#include "providers/llmcall.h"

#include <QHostAddress>
#include <QHostInfo>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <memory>

namespace {

struct FetchState
{
    ToolContext context;
    std::function<void(const ToolOutcome &)> done;
    QPointer<QObject> owner;
    int redirects = 0;
    bool finished = false;
    void finish(const ToolOutcome &outcome)
    {
        if (finished)
            return;
        finished = true;
        done(outcome);
    }
};

void fetch(const std::shared_ptr<FetchState> &state, const QUrl &url);

void checkAndFetch(const std::shared_ptr<FetchState> &state, const QUrl &url)
{
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return state->finish(
            ToolOutcome::fail(QStringLiteral("only http and https URLs can be fetched")));
    if (state->context.allowPrivateFetch)
        return fetch(state, url);
    const QHostAddress literal(url.host());
    if (!literal.isNull()) {
        if (WebFetchTool::isPrivateAddress(literal))
            return state->finish(ToolOutcome::fail(
                QStringLiteral("refusing to fetch %1: private or loopback address")
                    .arg(url.host())));
        return fetch(state, url);
    }
    if (url.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
        url.host().endsWith(QLatin1String(".localhost"), Qt::CaseInsensitive))
        return state->finish(ToolOutcome::fail(
            QStringLiteral("refusing to fetch %1: private or loopback address").arg(url.host())));
    if (!state->owner)
        return;
    // Asynchronous lookup: every address the name has must be public.
    QHostInfo::lookupHost(url.host(), state->owner.data(), [state, url](const QHostInfo &info) {
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
            return state->finish(
                ToolOutcome::fail(QStringLiteral("cannot resolve %1").arg(url.host())));
        for (const QHostAddress &address : info.addresses())
            if (WebFetchTool::isPrivateAddress(address))
                return state->finish(ToolOutcome::fail(
                    QStringLiteral("refusing to fetch %1: it resolves to a private address")
                        .arg(url.host())));
        fetch(state, url);
    });
}

void fetch(const std::shared_ptr<FetchState> &state, const QUrl &url)
{
    if (!state->owner)
        return;
    QString unused;
    QNetworkAccessManager *network = LlmCall::networkFor(QString(), &unused);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setRawHeader("User-Agent", "ClawGo-Desktop web_fetch");
    QNetworkReply *reply = network->get(request);
    reply->setParent(state->owner.data());
    auto body = std::make_shared<QByteArray>();
    auto timer = new QTimer(reply);
    timer->setSingleShot(true);
    QObject::connect(timer, &QTimer::timeout, reply, [state, reply] {
        reply->abort();
        state->finish(ToolOutcome::fail(QStringLiteral("fetching took longer than %1 s")
                                            .arg(state->context.fetchTimeoutMs / 1000)));
    });
    timer->start(state->context.fetchTimeoutMs);
    QObject::connect(reply, &QNetworkReply::readyRead, reply, [state, reply, body] {
        body->append(reply->readAll());
        if (body->size() > state->context.fetchCapBytes) {
            body->truncate(state->context.fetchCapBytes);
            reply->setProperty("truncated", true);
            reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, [state, reply, body, url] {
        reply->deleteLater();
        if (state->finished)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status >= 300 && status < 400 && reply->hasRawHeader("Location")) {
            if (++state->redirects > 5)
                return state->finish(ToolOutcome::fail(QStringLiteral("too many redirects")));
            return checkAndFetch(state,
                                 url.resolved(QUrl::fromEncoded(reply->rawHeader("Location"))));
        }
        const bool truncated = reply->property("truncated").toBool();
        if (status == 0 && !truncated)
            return state->finish(ToolOutcome::fail(
                QStringLiteral("cannot fetch %1: %2").arg(url.toString(), reply->errorString())));
        QString text = QStringLiteral("HTTP %1, %2\n\n")
                           .arg(status)
                           .arg(reply->header(QNetworkRequest::ContentTypeHeader).toString());
        text += QString::fromUtf8(*body);
        if (truncated)
            text +=
                QStringLiteral("\n[truncated at %1 KiB]").arg(state->context.fetchCapBytes / 1024);
        state->finish(ToolOutcome::ok(text));
    });
}

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

void WebFetchTool::run(const QJsonObject &arguments, const ToolContext &context, QObject *owner,
                       std::function<void(const ToolOutcome &)> done)
{
    auto state = std::make_shared<FetchState>();
    state->context = context;
    state->done = std::move(done);
    state->owner = owner;
    checkAndFetch(state, QUrl(arguments.value("url").toString().trimmed()));
}
