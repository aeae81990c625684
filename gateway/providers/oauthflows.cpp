#include "oauthflows.h"

#include "core/background.h"
#include "core/clock.h"
#include "core/configstore.h"
#include "core/eventbus.h"
#include "core/logcategories.h"
#include "credentialvault.h"
#include "oauthhttp.h"
#include "oauthrefresh.h"
#include "providerconfig.h"
#include "providerroute.h"
#include "providerruntime.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QPointer>
#include <QRandomGenerator>
#include <QSysInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace {

constexpr int kCallbackHeadCap = 8192;

QString randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(raw.data()), bytes / 4);
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString challengeOf(const QString &verifier)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray formOf(const QMap<QString, QString> &fields)
{
    QByteArray out;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(it.key()) + '=' + QUrl::toPercentEncoding(it.value());
    }
    return out;
}

// What an error answer says, without echoing anything else it holds (it could carry a code, a
// verifier or a token): its `error` and `error_description` as JSON, or its size.
QString quoted(const QByteArray &body)
{
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    QJsonObject kept;
    for (const char *key : {"error", "error_description"}) {
        const QJsonValue value = json.value(QLatin1String(key));
        if (value.isString())
            kept.insert(QLatin1String(key), value.toString().left(200));
        else if (value.isObject() && value.toObject().value("message").isString())
            kept.insert(QLatin1String(key), value.toObject().value("message").toString().left(200));
    }
    if (!kept.isEmpty())
        return QString::fromUtf8(QJsonDocument(kept).toJson(QJsonDocument::Compact));
    return QStringLiteral("<%1 bytes>").arg(body.size());
}

using HttpResult = OAuthHttp::Result;
using OAuthHttp::send;

// A ConfigStore change to models.providers.<name>, made on the file as it is when its turn
// comes.
ConfigStore::Change withProviderEntry(const QString &name,
                                      std::function<void(QJsonObject &entry)> change)
{
    return [name, change](const QJsonObject &fileConfig) {
        QJsonObject updated = fileConfig;
        QJsonObject models = updated.value("models").toObject();
        QJsonObject all = models.value("providers").toObject();
        QJsonObject entry = all.value(name).toObject();
        change(entry);
        all.insert(name, entry);
        models.insert("providers", all);
        updated.insert("models", models);
        return updated;
    };
}

// `delta`'s keys over `entry`; its `oauth` object key by key.
QJsonObject mergedEntry(const QJsonObject &entry, const QJsonObject &delta)
{
    QJsonObject merged = entry;
    for (auto it = delta.begin(); it != delta.end(); ++it) {
        if (it.key() == QLatin1String("oauth") && it.value().isObject()) {
            QJsonObject oauth = merged.value("oauth").toObject();
            const QJsonObject more = it.value().toObject();
            for (auto o = more.begin(); o != more.end(); ++o)
                oauth.insert(o.key(), o.value());
            merged.insert("oauth", oauth);
        } else {
            merged.insert(it.key(), it.value());
        }
    }
    return merged;
}

QString jsonError(const QJsonObject &json)
{
    if (json.value("error").isObject())
        return json.value("error").toObject().value("message").toString();
    return json.value("error").toString();
}

} // namespace

class OAuthFlows::Flow : public QObject
{
public:
    enum class Status
    {
        Pending,
        Exchanging,
        Finished
    };

    QString id;
    OAuthFlows::Target target;
    OAuthFlavour flavour;
    bool device = false;
    QString authUrl;
    QString userCode;
    QString deviceCode;
    QString state;
    QString verifier;
    int intervalSec = 5;
    QString accountLabel;
    QString networkProxy;
    QElapsedTimer age;
    qint64 deadlineMs = 0; // since `age` started
    Status status = Status::Pending;
    int resultStatus = 0;
    QJsonObject result;
    QString error;
    QList<OAuthFlows::Answer> waiters;
    QTimer poll;
    QTimer deadline;
    QTcpServer *listener = nullptr;
    bool polling = false;
};

OAuthFlows::OAuthFlows(ConfigStore *config, ProviderRuntime *runtime, EventBus *events,
                       QObject *parent)
    : QObject(parent), m_config(config), m_runtime(runtime), m_events(events)
{}

OAuthFlows::~OAuthFlows() = default;

OAuthFlows::Flow *OAuthFlows::find(const QString &flowId) const
{
    return m_flows.value(flowId).get();
}

int OAuthFlows::pendingCount() const
{
    int count = 0;
    for (const auto &flow : m_flows)
        count += flow->status != Flow::Status::Finished;
    return count;
}

int OAuthFlows::listenerPort(const QString &flowId) const
{
    const Flow *flow = find(flowId);
    return flow && flow->listener && flow->listener->isListening() ? flow->listener->serverPort()
                                                                   : 0;
}

bool OAuthFlows::isInlineConfig(const QJsonObject &config)
{
    for (const char *key : {"api_base", "api_key", "models", "auth"})
        if (config.contains(QLatin1String(key)))
            return true;
    return !config.value("oauth").toObject().value("provider").toString().trimmed().isEmpty();
}

bool OAuthFlows::resolve(const QString &asked, const QJsonObject &inlineConfig, Target *target,
                         int *status, QString *error) const
{
    const QJsonObject config = m_config->effective();
    if (isInlineConfig(inlineConfig)) {
        QString name = asked.trimmed();
        if (name.isEmpty())
            name = ProviderConfig::keyFor(config, QString());
        else if (const QString known =
                     ProviderRoute::findKey(ProviderConfig::providers(config), name);
                 !known.isEmpty())
            name = known;
        if (name.isEmpty() || name.size() > 128) {
            *status = 400;
            *error = QStringLiteral("provider required");
            return false;
        }
        // The request's keys over the provider as it is configured (if it is): what the sign-in
        // uses, and what is saved with the account.
        const QJsonObject configured =
            ProviderConfig::providers(m_config->fileConfig()).value(name).toObject();
        QJsonObject delta = inlineConfig;
        if (delta.value("auth").toString().trimmed().isEmpty() &&
            configured.value("auth").toString().trimmed().isEmpty())
            delta.insert("auth", "oauth");
        if (!delta.contains("timeout_sec") && !configured.contains("timeout_sec"))
            delta.insert("timeout_sec", 90); // clawgo's default for a new entry
        const QJsonObject entry =
            mergedEntry(ProviderConfig::providers(config).value(name).toObject(), delta);
        QString flavour = ProviderRoute::normalizeName(
            entry.value("oauth").toObject().value("provider").toString());
        if (flavour.isEmpty())
            flavour = ProviderRoute::kindOf(name, entry);
        if (flavour.isEmpty()) {
            *status = 400;
            *error = QStringLiteral("oauth provider is required");
            return false;
        }
        if (!OAuthFlavour::forProvider(flavour, {}).isKnown()) {
            *status = 400;
            *error = QStringLiteral("unsupported oauth provider \"%1\"").arg(flavour);
            return false;
        }
        // Checked now as the config would check it, not after someone signed in.
        const QStringList problems =
            m_config->validate(withProviderEntry(name, [&delta](QJsonObject &file) {
                file = mergedEntry(file, delta);
            })(m_config->fileConfig()));
        if (!problems.isEmpty()) {
            *status = 400;
            *error = QStringLiteral("invalid provider_config: %1")
                         .arg(problems.join(QStringLiteral("; ")));
            return false;
        }
        *target = Target{name, flavour, entry, delta};
        return true;
    }
    const QString name = ProviderConfig::keyFor(config, asked);
    if (name.isEmpty() || !ProviderConfig::providers(config).contains(name)) {
        *status = 404;
        *error = QStringLiteral("provider \"%1\" not found").arg(asked.isEmpty() ? name : asked);
        return false;
    }
    const QJsonObject entry = ProviderConfig::providers(config).value(name).toObject();
    if (!m_runtime->usesOAuth(name)) {
        *status = 400;
        *error = QStringLiteral("oauth provider is required");
        return false;
    }
    QString flavour =
        ProviderRoute::normalizeName(entry.value("oauth").toObject().value("provider").toString());
    if (flavour.isEmpty())
        flavour = ProviderRoute::kindOf(name, entry);
    if (!OAuthFlavour::forProvider(flavour, {}).isKnown()) {
        *status = 400;
        *error = QStringLiteral("unsupported oauth provider \"%1\"").arg(flavour);
        return false;
    }
    target->provider = name;
    target->flavour = flavour;
    target->entry = entry;
    return true;
}

void OAuthFlows::publish(Flow *flow, const QString &status, const QJsonObject &extra)
{
    QJsonObject event{{"type", "oauth_flow"},
                      {"flow_id", flow->id},
                      {"provider", flow->target.provider},
                      {"mode", flow->device ? "device" : "callback"},
                      {"status", status}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        event.insert(it.key(), it.value());
    Q_EMIT progress(event);
    if (m_events)
        m_events->publish(event);
}

void OAuthFlows::start(const StartRequest &request, Answer answer)
{
    Target target;
    int status = 0;
    QString error;
    if (!resolve(request.provider, request.inlineConfig, &target, &status, &error))
        return answer(status, {}, error);
    auto flow = std::make_shared<Flow>();
    // The reference's id (Unix nanoseconds), never the same twice in this run.
    m_lastFlowId = qMax(m_lastFlowId + 1, QDateTime::currentMSecsSinceEpoch() * 1000000);
    flow->id = QString::number(m_lastFlowId);
    flow->target = target;
    flow->flavour =
        OAuthFlavour::forProvider(target.flavour, target.entry.value("oauth").toObject());
    flow->device = flow->flavour.flow == OAuthFlavour::Flow::Device;
    flow->accountLabel = request.accountLabel.trimmed();
    flow->networkProxy = request.networkProxy.trimmed().isEmpty()
                             ? target.entry.value("network_proxy").toString().trimmed()
                             : request.networkProxy.trimmed();
    flow->age.start();
    flow->poll.setSingleShot(true);
    flow->deadline.setSingleShot(true);
    if (flow->device)
        startDevice(flow, answer);
    else
        startCallback(flow, answer);
}

void OAuthFlows::startCallback(std::shared_ptr<Flow> flow, Answer answer)
{
    const OAuthFlavour &flavour = flow->flavour;
    flow->state = randomUrlSafe(24);
    flow->verifier = randomUrlSafe(64);
    QMap<QString, QString> query{{"client_id", flavour.clientId},
                                 {"response_type", "code"},
                                 {"redirect_uri", flavour.redirectUrl},
                                 {"state", flow->state},
                                 {"code_challenge", challengeOf(flow->verifier)},
                                 {"code_challenge_method", "S256"}};
    if (!flavour.scopes.isEmpty())
        query.insert("scope", flavour.scopes.join(QLatin1Char(' ')));
    if (flavour.name == QLatin1String("claude"))
        query.insert("code", "true");
    if (flavour.name == QLatin1String("gemini") || flavour.name == QLatin1String("antigravity")) {
        query.insert("access_type", "offline");
        query.insert("prompt", "consent");
    }
    flow->authUrl = flavour.authUrl + (flavour.authUrl.contains(QLatin1Char('?')) ? '&' : '?') +
                    QString::fromLatin1(formOf(query));
    m_flows.insert(flow->id, flow);
    listen(flow.get());
    const QString id = flow->id;
    connect(&flow->deadline, &QTimer::timeout, this,
            [this, id] { finish(id, 400, {}, QStringLiteral("oauth flow expired")); });
    flow->deadline.start(int(qMin<qint64>(m_timing.callbackLifetimeMs, INT_MAX)));
    const bool listening = flow->listener && flow->listener->isListening();
    publish(flow.get(), QStringLiteral("started"), {{"auth_url", flow->authUrl}});
    answer(200,
           QJsonObject{{"ok", true},
                       {"flow_id", flow->id},
                       {"mode", "callback"},
                       {"auth_url", flow->authUrl},
                       {"user_code", ""},
                       {"instructions",
                        listening ? QStringLiteral("Open the authorization URL and finish login; "
                                                   "the gateway catches the redirect by itself. "
                                                   "If it does not, paste the final callback URL.")
                                  : QStringLiteral("Open the authorization URL, finish login, then "
                                                   "paste the final callback URL.")},
                       {"account_label", flow->accountLabel},
                       {"network_proxy", flow->networkProxy},
                       {"expires_in", qint64(m_timing.callbackLifetimeMs / 1000)}},
           {});
}

// The browser comes back to http://localhost:<port><path>?code=…&state=…: a one-request
// listener on the loopback interface answers it with a short page once the exchange is done.
void OAuthFlows::listen(Flow *flow)
{
    const QUrl redirect(flow->flavour.redirectUrl);
    const QString host = redirect.host();
    if (redirect.scheme() != QLatin1String("http") || redirect.port() <= 0 ||
        (host != QLatin1String("localhost") && host != QLatin1String("127.0.0.1")))
        return;
    auto *server = new QTcpServer(flow);
    if (!server->listen(QHostAddress::LocalHost, quint16(redirect.port()))) {
        qCInfo(lcProviders).noquote()
            << "the sign-in callback port" << redirect.port()
            << "is taken; the callback URL has to be pasted:" << server->errorString();
        delete server;
        return;
    }
    flow->listener = server;
    const QString id = flow->id;
    const QString path = redirect.path().isEmpty() ? QStringLiteral("/") : redirect.path();
    connect(server, &QTcpServer::newConnection, this, [this, server, id, path, redirect] {
        while (QTcpSocket *socket = server->nextPendingConnection()) {
            // The listener closes as the flow ends, before this answer is on its way: the
            // socket must not go with it.
            socket->setParent(this);
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(120000, socket, [socket] { socket->abort(); });
            auto head = std::make_shared<QByteArray>();
            auto handled = std::make_shared<bool>(false);
            // 10 s to send the request; the answer waits for the sign-in to finish (its own
            // requests have their timeouts), two minutes at most (above).
            QTimer::singleShot(10000, socket, [socket, handled] {
                if (!*handled)
                    socket->abort();
            });
            const auto readHead = [this, socket, head, handled, id, path, redirect] {
                if (*handled)
                    return;
                *head += socket->read(kCallbackHeadCap + 1 - head->size());
                const qsizetype end = head->indexOf("\r\n\r\n");
                if (end < 0 && head->size() <= kCallbackHeadCap)
                    return;
                *handled = true;
                const auto respond = [socket](int code, const QString &text) {
                    const QByteArray page =
                        "<!doctype html><meta charset=\"utf-8\"><title>ClawGo "
                        "Desktop</title><body style=\"font-family:sans-serif;margin:3em\">"
                        "<p>" +
                        text.toHtmlEscaped().toUtf8() + "</p></body>";
                    socket->write("HTTP/1.1 " + QByteArray::number(code) +
                                  (code == 200 ? " OK" : " Bad Request") +
                                  "\r\nContent-Type: text/html; charset=utf-8\r\n"
                                  "Content-Length: " +
                                  QByteArray::number(page.size()) +
                                  "\r\nCache-Control: no-store\r\nConnection: "
                                  "close\r\n\r\n" +
                                  page);
                    socket->disconnectFromHost();
                };
                const QList<QByteArray> line = head->left(head->indexOf("\r\n")).split(' ');
                if (line.size() != 3 || line.at(0) != "GET")
                    return respond(400, QStringLiteral("Not a sign-in callback."));
                QUrl target = redirect;
                const QUrl asked(QString::fromLatin1(line.at(1)));
                if (asked.path() != path)
                    return respond(400, QStringLiteral("Not a sign-in callback."));
                target.setQuery(asked.query(QUrl::FullyEncoded), QUrl::StrictMode);
                QPointer<QTcpSocket> guard(socket);
                acceptCallback(
                    id, target.toString(),
                    [guard, respond](int status, const QJsonObject &json, const QString &error) {
                        if (!guard)
                            return;
                        if (status == 200)
                            respond(200, QStringLiteral("Signed in as %1. You can close "
                                                        "this window and return to "
                                                        "ClawGo Desktop.")
                                             .arg(json.value("account").toString()));
                        else
                            respond(400, QStringLiteral("Sign-in failed: %1").arg(error));
                    });
            };
            connect(socket, &QTcpSocket::readyRead, this, readHead);
            if (socket->bytesAvailable() > 0) // it came before anyone listened for it
                readHead();
        }
    });
}

void OAuthFlows::startDevice(std::shared_ptr<Flow> flow, Answer answer)
{
    const OAuthFlavour &flavour = flow->flavour;
    const bool codex = flavour.name == QLatin1String("codex");
    QByteArray contentType;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (codex) {
        contentType = "application/json";
        body = QJsonDocument(QJsonObject{{"client_id", flavour.clientId}})
                   .toJson(QJsonDocument::Compact);
    } else {
        contentType = "application/x-www-form-urlencoded";
        QMap<QString, QString> form{{"client_id", flavour.clientId}};
        if (flavour.devicePkce) {
            flow->verifier = randomUrlSafe(64);
            form.insert("scope", flavour.scopes.join(QLatin1Char(' ')));
            form.insert("code_challenge", challengeOf(flow->verifier));
            form.insert("code_challenge_method", "S256");
        }
        body = formOf(form);
        if (flavour.name == QLatin1String("kimi")) {
            headers = {{"X-Msh-Platform", "clawgo"},
                       {"X-Msh-Version", "1.0.0"},
                       {"X-Msh-Device-Name", "clawgo"},
                       {"X-Msh-Device-Model", (QSysInfo::productType() + QLatin1Char(' ') +
                                               QSysInfo::currentCpuArchitecture())
                                                  .toUtf8()},
                       {"X-Msh-Device-Id", randomUrlSafe(12).toLatin1()}};
        }
    }
    send(m_timing.requestTimeoutMs, this, flow->networkProxy, "POST", QUrl(flavour.deviceUrl),
         contentType, body, headers, [this, flow, answer, codex](const HttpResult &result) {
             if (result.status == 0)
                 return answer(
                     500, {},
                     QStringLiteral("oauth device flow start failed: %1").arg(result.networkError));
             if (result.status < 200 || result.status >= 300)
                 return answer(500, {},
                               QStringLiteral("oauth device flow start failed: status=%1 body=%2")
                                   .arg(result.status)
                                   .arg(quoted(result.body)));
             const QJsonObject json = QJsonDocument::fromJson(result.body).object();
             // Codex sends its interval as text.
             const int interval = json.value("interval").isString()
                                      ? json.value("interval").toString().toInt()
                                      : json.value("interval").toInt();
             flow->intervalSec = interval > 0 ? interval : 5;
             flow->userCode = json.value("user_code").toString();
             if (codex) {
                 flow->deviceCode = json.value("device_auth_id").toString();
                 if (flow->userCode.isEmpty() || flow->deviceCode.isEmpty())
                     return answer(500, {},
                                   QStringLiteral("oauth device flow missing "
                                                  "user_code/device_auth_id"));
                 flow->authUrl = flow->flavour.authUrl;
                 flow->intervalSec = qMax(flow->intervalSec, m_timing.codexMinimumPollSec);
             } else {
                 flow->deviceCode = json.value("device_code").toString();
                 if (flow->deviceCode.isEmpty())
                     return answer(500, {},
                                   QStringLiteral("oauth device flow missing device_code"));
                 flow->authUrl = json.value("verification_uri_complete")
                                     .toString(json.value("verification_uri").toString());
             }
             const qint64 expiresIn = json.value("expires_in").toInteger();
             flow->deadlineMs = m_timing.deviceDeadlineMs;
             if (expiresIn > 0)
                 flow->deadlineMs = qMin(flow->deadlineMs, expiresIn * m_timing.secondMs);
             m_flows.insert(flow->id, flow);
             const QString id = flow->id;
             connect(&flow->poll, &QTimer::timeout, this, [this, id] { pollDevice(id); });
             connect(&flow->deadline, &QTimer::timeout, this, [this, id] {
                 finish(id, 400, {}, QStringLiteral("oauth device flow timed out"));
             });
             flow->deadline.start(int(qMin<qint64>(flow->deadlineMs, INT_MAX)));
             scheduleNextPoll(flow.get());
             publish(flow.get(), QStringLiteral("started"),
                     {{"auth_url", flow->authUrl}, {"user_code", flow->userCode}});
             answer(200,
                    QJsonObject{
                        {"ok", true},
                        {"flow_id", flow->id},
                        {"mode", "device"},
                        {"auth_url", flow->authUrl},
                        {"user_code", flow->userCode},
                        {"instructions",
                         codex ? QStringLiteral("Open the verification URL, enter the user code, "
                                                "and approve the device login.")
                               : QStringLiteral("Open the verification URL, finish "
                                                "authorization, then click continue to let the "
                                                "gateway poll for tokens.")},
                        {"account_label", flow->accountLabel},
                        {"network_proxy", flow->networkProxy},
                        {"interval_sec", flow->intervalSec},
                        {"expires_in", flow->deadlineMs / m_timing.secondMs}},
                    {});
         });
}

void OAuthFlows::scheduleNextPoll(Flow *flow)
{
    flow->poll.start(flow->intervalSec * m_timing.secondMs);
}

void OAuthFlows::pollDevice(const QString &flowId)
{
    Flow *flow = find(flowId);
    if (!flow || flow->status != Flow::Status::Pending || flow->polling)
        return;
    flow->polling = true;
    const OAuthFlavour &flavour = flow->flavour;
    if (flavour.name == QLatin1String("codex")) {
        const QByteArray body = QJsonDocument(QJsonObject{{"device_auth_id", flow->deviceCode},
                                                          {"user_code", flow->userCode}})
                                    .toJson(QJsonDocument::Compact);
        send(m_timing.requestTimeoutMs, flow, flow->networkProxy, "POST", QUrl(flavour.pollUrl),
             "application/json", body, {}, [this, flowId](const HttpResult &result) {
                 Flow *flow = find(flowId);
                 if (!flow || flow->status != Flow::Status::Pending)
                     return;
                 flow->polling = false;
                 if (result.status == 403 || result.status == 404 || result.status == 0) {
                     publish(flow, QStringLiteral("waiting"));
                     return scheduleNextPoll(flow);
                 }
                 if (result.status != 200)
                     return finish(flowId, 400, {},
                                   QStringLiteral("oauth device poll failed: status=%1 body=%2")
                                       .arg(result.status)
                                       .arg(quoted(result.body)));
                 const QJsonObject json = QJsonDocument::fromJson(result.body).object();
                 const QString code = json.value("authorization_code").toString();
                 const QString verifier = json.value("code_verifier").toString();
                 if (code.isEmpty() || verifier.isEmpty())
                     return finish(flowId, 400, {},
                                   QStringLiteral("oauth device auth response missing "
                                                  "authorization_code/code_verifier"));
                 exchangeCode(flowId, code, verifier, {});
             });
        return;
    }
    QMap<QString, QString> form{{"grant_type", "urn:ietf:params:oauth:grant-type:device_code"},
                                {"client_id", flavour.clientId},
                                {"device_code", flow->deviceCode}};
    if (flavour.devicePkce)
        form.insert("code_verifier", flow->verifier);
    send(m_timing.requestTimeoutMs, flow, flow->networkProxy, "POST", QUrl(flavour.tokenUrl),
         "application/x-www-form-urlencoded", formOf(form), {},
         [this, flowId](const HttpResult &result) {
             Flow *flow = find(flowId);
             if (!flow || flow->status != Flow::Status::Pending)
                 return;
             flow->polling = false;
             const QJsonObject json = QJsonDocument::fromJson(result.body).object();
             if (result.status >= 200 && result.status < 300 &&
                 (json.contains("access_token") || json.contains("refresh_token")))
                 return signedIn(flowId, json);
             QString error = jsonError(json);
             if (result.status == 0) {
                 // The network dropped for a moment: the next poll tries again.
                 publish(flow, QStringLiteral("waiting"));
                 return scheduleNextPoll(flow);
             }
             if (error.isEmpty())
                 error = QStringLiteral("oauth device poll failed: status=%1 body=%2")
                             .arg(result.status)
                             .arg(quoted(result.body));
             if (error.contains(QLatin1String("authorization_pending"))) {
                 publish(flow, QStringLiteral("waiting"));
                 return scheduleNextPoll(flow);
             }
             if (error.contains(QLatin1String("slow_down"))) {
                 flow->intervalSec = qMin(flow->intervalSec + 1, 10);
                 publish(flow, QStringLiteral("slow_down"), {{"interval_sec", flow->intervalSec}});
                 return scheduleNextPoll(flow);
             }
             if (error.contains(QLatin1String("access_denied")))
                 return finish(flowId, 400, {}, QStringLiteral("oauth device flow denied by user"));
             if (error.contains(QLatin1String("expired_token")))
                 return finish(flowId, 400, {}, QStringLiteral("oauth device code expired"));
             finish(flowId, 400, {}, error);
         });
}

void OAuthFlows::cancel(const QString &flowId)
{
    finish(flowId, 400, {}, QStringLiteral("oauth flow cancelled"));
}

void OAuthFlows::complete(const CompleteRequest &request, Answer answer)
{
    Flow *flow = find(request.flowId.trimmed());
    if (!flow)
        return answer(400, {}, QStringLiteral("oauth flow not found"));
    if (!request.accountLabel.trimmed().isEmpty())
        flow->accountLabel = request.accountLabel.trimmed();
    if (!request.networkProxy.trimmed().isEmpty())
        flow->networkProxy = request.networkProxy.trimmed();
    if (flow->status == Flow::Status::Finished)
        return answer(flow->resultStatus, flow->result, flow->error);
    if (flow->device || flow->status == Flow::Status::Exchanging) {
        // A device flow polls by itself; the answer comes when it ends.
        flow->waiters.append(answer);
        return;
    }
    acceptCallback(flow->id, request.callbackUrl, answer);
}

void OAuthFlows::acceptCallback(const QString &flowId, const QString &callbackUrl, Answer answer)
{
    Flow *flow = find(flowId);
    if (!flow)
        return answer(400, {}, QStringLiteral("oauth flow not found"));
    if (flow->status == Flow::Status::Finished)
        return answer(flow->resultStatus, flow->result, flow->error);
    if (flow->status == Flow::Status::Exchanging) {
        flow->waiters.append(answer);
        return;
    }
    const QUrl url(callbackUrl.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || callbackUrl.trimmed().isEmpty())
        return answer(400, {},
                      QStringLiteral("invalid callback url: %1")
                          .arg(callbackUrl.trimmed().isEmpty() ? QStringLiteral("empty")
                                                               : url.errorString()));
    const QUrlQuery query(url);
    const QString error = query.queryItemValue("error", QUrl::FullyDecoded);
    const bool stateMatches = query.queryItemValue("state", QUrl::FullyDecoded) == flow->state;
    if (!error.isEmpty() && stateMatches) {
        // The provider said no (the user declined): this sign-in is over.
        const QString text =
            QStringLiteral("oauth callback returned error: %1").arg(error.left(200));
        finish(flowId, 400, {}, text);
        return answer(400, {}, text);
    }
    const QString code = query.queryItemValue("code", QUrl::FullyDecoded);
    if (code.isEmpty())
        return answer(400, {}, QStringLiteral("oauth callback missing code"));
    // A wrong state leaves the flow waiting for the right one: a stray or forged request must
    // not end someone's sign-in.
    if (!stateMatches)
        return answer(400, {}, QStringLiteral("oauth callback state mismatch"));
    flow->waiters.append(answer);
    exchangeCode(flowId, code, flow->verifier, flow->state);
}

void OAuthFlows::exchangeCode(const QString &flowId, const QString &code, const QString &verifier,
                              const QString &state)
{
    Flow *flow = find(flowId);
    if (!flow)
        return;
    if (flow->status == Flow::Status::Finished)
        return;
    flow->status = Flow::Status::Exchanging;
    publish(flow, QStringLiteral("exchanging"));
    const OAuthFlavour &flavour = flow->flavour;
    QByteArray contentType;
    QByteArray body;
    if (flavour.jsonTokenRequests) {
        contentType = "application/json";
        body = QJsonDocument(QJsonObject{{"code", code},
                                         {"state", state},
                                         {"grant_type", "authorization_code"},
                                         {"client_id", flavour.clientId},
                                         {"redirect_uri", flavour.redirectUrl},
                                         {"code_verifier", verifier}})
                   .toJson(QJsonDocument::Compact);
    } else {
        contentType = "application/x-www-form-urlencoded";
        QMap<QString, QString> form{{"grant_type", "authorization_code"},
                                    {"client_id", flavour.clientId},
                                    {"code", code},
                                    {"redirect_uri", flavour.redirectUrl},
                                    {"code_verifier", verifier}};
        if (!flavour.clientSecret.isEmpty())
            form.insert("client_secret", flavour.clientSecret);
        body = formOf(form);
    }
    send(m_timing.requestTimeoutMs, flow, flow->networkProxy, "POST", QUrl(flavour.tokenUrl),
         contentType, body, {}, [this, flowId](const HttpResult &result) {
             const Flow *current = find(flowId);
             if (!current || current->status == Flow::Status::Finished)
                 return;
             if (result.status == 0)
                 return finish(
                     flowId, 400, {},
                     QStringLiteral("oauth token request failed: %1").arg(result.networkError));
             if (result.status < 200 || result.status >= 300)
                 return finish(flowId, 400, {},
                               QStringLiteral("oauth token request failed: status=%1 body=%2")
                                   .arg(result.status)
                                   .arg(quoted(result.body)));
             QJsonParseError parse;
             const QJsonDocument document = QJsonDocument::fromJson(result.body, &parse);
             if (!document.isObject())
                 return finish(flowId, 400, {},
                               QStringLiteral("oauth token request decode failed: %1")
                                   .arg(parse.error == QJsonParseError::NoError
                                            ? QStringLiteral("not an object")
                                            : parse.errorString()));
             signedIn(flowId, document.object());
         });
}

// Tokens in hand: who signed in (enrichment), the models the account offers, then the file.
void OAuthFlows::signedIn(const QString &flowId, const QJsonObject &tokenAnswer)
{
    Flow *flow = find(flowId);
    if (!flow || flow->status == Flow::Status::Finished)
        return; // cancelled or expired meanwhile: nothing is stored
    flow->status = Flow::Status::Exchanging;
    OAuthCredential credential;
    credential.provider = flow->flavour.name;
    credential.type = flow->flavour.name;
    QString error;
    if (!OAuthRefresh::applyTokenAnswer(tokenAnswer, flow->flavour.name, Clock::nowUtc(),
                                        &credential, &error))
        return finish(flowId, 400, {}, error);
    if (!flow->networkProxy.isEmpty())
        credential.networkProxy = flow->networkProxy;
    const bool google = flow->flavour.name == QLatin1String("gemini") ||
                        flow->flavour.name == QLatin1String("antigravity");
    // Each step runs after the one before; failures of the optional ones are ignored.
    auto steps = std::make_shared<QList<std::function<void(std::function<void()>)>>>();
    auto shared = std::make_shared<OAuthCredential>(credential);
    if (google && shared->email.isEmpty()) {
        steps->append([this, flow, shared](std::function<void()> next) {
            send(
                m_timing.requestTimeoutMs, flow, flow->networkProxy, "GET",
                QUrl(m_urls.googleUserInfo), {}, {},
                {{"Authorization", "Bearer " + shared->accessToken.toUtf8()}},
                [shared, next](const HttpResult &result) {
                    if (result.status == 200)
                        shared->email =
                            QJsonDocument::fromJson(result.body).object().value("email").toString();
                    next();
                });
        });
    }
    if (flow->flavour.name == QLatin1String("antigravity") && shared->projectId.isEmpty()) {
        steps->append([this, flow, shared](std::function<void()> next) {
            const QByteArray body =
                R"({"metadata":{"ideType":"ANTIGRAVITY","platform":"PLATFORM_UNSPECIFIED","pluginType":"GEMINI"}})";
            send(m_timing.requestTimeoutMs, flow, flow->networkProxy, "POST",
                 QUrl(m_urls.loadCodeAssist), "application/json", body,
                 {{"Authorization", "Bearer " + shared->accessToken.toUtf8()}},
                 [shared, next](const HttpResult &result) {
                     const QJsonValue project = QJsonDocument::fromJson(result.body)
                                                    .object()
                                                    .value("cloudaicompanionProject");
                     shared->projectId = project.isObject()
                                             ? project.toObject().value("id").toString()
                                             : project.toString();
                     next();
                 });
        });
    }
    // Model sync (§3.12), last.
    steps->append([this, flow, shared](std::function<void()> next) {
        syncModels(flow->target, *shared, flow->networkProxy,
                   [shared, next](const OAuthCredential &synced) {
                       *shared = synced;
                       next();
                   });
    });
    // The chain holds itself weakly; each step's `next` holds it strongly until it runs.
    auto run = std::make_shared<std::function<void()>>();
    *run = [this, flowId, steps, shared, weak = std::weak_ptr<std::function<void()>>(run)] {
        Flow *flow = find(flowId);
        if (!flow || flow->status == Flow::Status::Finished)
            return;
        if (!steps->isEmpty()) {
            auto step = steps->takeFirst();
            return step([self = weak.lock()] { (*self)(); });
        }
        if (shared->email.isEmpty() && !flow->accountLabel.isEmpty())
            shared->email = flow->accountLabel;
        if (flow->flavour.name == QLatin1String("qwen") && shared->email.isEmpty())
            return finish(flowId, 400, {},
                          QStringLiteral("qwen oauth requires account_label when email is "
                                         "unavailable"));
        storeAccount(flow->target, *shared,
                     [this, flowId](int status, const QJsonObject &json, const QString &error) {
                         finish(flowId, status, json, error);
                     });
    };
    (*run)();
}

void OAuthFlows::syncModels(const Target &target, const OAuthCredential &credential,
                            const QString &proxy, std::function<void(const OAuthCredential &)> done)
{
    QString base = target.entry.value("api_base").toString().trimmed();
    if (base.isEmpty())
        base = ProviderRoute::defaultApiBase(ProviderRoute::kindOf(target.provider, target.entry));
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (base.isEmpty() || credential.accessToken.isEmpty())
        return done(credential);
    send(m_timing.requestTimeoutMs, this, proxy, "GET", QUrl(base + QStringLiteral("/models")), {},
         {}, {{"Authorization", "Bearer " + credential.accessToken.toUtf8()}},
         [credential, done](const HttpResult &result) {
             OAuthCredential synced = credential;
             if (result.status == 200) {
                 QStringList models;
                 const QJsonArray data =
                     QJsonDocument::fromJson(result.body).object().value("data").toArray();
                 for (const QJsonValue &model : data) {
                     const QString id = model.toObject().value("id").toString().trimmed();
                     if (!id.isEmpty() && !models.contains(id) && models.size() < 1000)
                         models << id;
                 }
                 if (!models.isEmpty())
                     synced.models = models;
             }
             done(synced);
         });
}

void OAuthFlows::finish(const QString &flowId, int status, const QJsonObject &json,
                        const QString &error)
{
    Flow *flow = find(flowId);
    if (!flow || flow->status == Flow::Status::Finished)
        return;
    flow->status = Flow::Status::Finished;
    flow->resultStatus = status;
    flow->result = json;
    flow->error = error;
    flow->poll.stop();
    flow->deadline.stop();
    if (flow->listener) {
        flow->listener->close();
        flow->listener->deleteLater();
        flow->listener = nullptr;
    }
    if (status == 200) {
        qCInfo(lcProviders).noquote() << "signed in to" << flow->target.provider;
        publish(flow, QStringLiteral("succeeded"),
                {{"account", json.value("account")},
                 {"credential_file", json.value("credential_file")}});
    } else {
        qCInfo(lcProviders).noquote()
            << "sign-in to" << flow->target.provider << "failed:" << error;
        publish(flow, QStringLiteral("failed"), {{"error", error}});
    }
    const QList<Answer> waiters = std::exchange(flow->waiters, {});
    for (const Answer &answer : waiters)
        answer(status, json, error);
    // The outcome stays readable for a while (a /complete that comes late), then goes.
    QTimer::singleShot(int(qMin<qint64>(m_timing.keepFinishedMs, INT_MAX)), this,
                       [this, flowId] { m_flows.remove(flowId); });
}

void OAuthFlows::deleteAccount(const QString &provider, const QString &file, Answer answer)
{
    const QString path = QDir::cleanPath(file.trimmed());
    if (file.trimmed().isEmpty())
        return answer(400, {}, QStringLiteral("oauth credential file is empty"));
    if (!m_runtime->credentialFiles(provider).contains(path))
        return answer(400, {}, QStringLiteral("oauth credential not found"));
    // Out of use first: a refresh under way must not write it back.
    m_runtime->dropAccount(provider, path);
    Background::run(
        this, [path] { return !QFileInfo::exists(path) || QFile::remove(path); },
        [this, provider, path, answer](bool removed) {
            if (!removed)
                return answer(500, {}, QStringLiteral("the credential file could not be removed"));
            m_runtime->credentialVault()->forget(path, [](const QString &) {});
            m_config->update(
                QStringLiteral("api"),
                withProviderEntry(
                    provider,
                    [path, configDir = m_config->configDir()](QJsonObject &entry) {
                        // Listed as the config spells it (~, relative to the config folder).
                        const auto same = [&](const QJsonValue &listed) {
                            return ProviderRuntime::credentialPath(configDir, listed.toString()) ==
                                   path;
                        };
                        QJsonObject oauth = entry.value("oauth").toObject();
                        QJsonArray kept;
                        for (const QJsonValue &listed : oauth.value("credential_files").toArray())
                            if (!same(listed))
                                kept.append(listed);
                        oauth.insert("credential_files", kept);
                        if (same(oauth.value("credential_file")))
                            oauth.insert("credential_file",
                                         kept.isEmpty() ? QString() : kept.first().toString());
                        entry.insert("oauth", oauth);
                    }),
                this, [this, provider, answer](const ConfigStore::SaveResult &saved) {
                    if (saved.status != ConfigStore::SaveResult::Ok)
                        return answer(500, {},
                                      QStringLiteral("the file is gone, but the config could "
                                                     "not be saved: %1")
                                          .arg(saved.error));
                    m_runtime->reloadAccounts(provider);
                    answer(200, QJsonObject{{"ok", true}, {"deleted", true}}, {});
                });
        });
}

void OAuthFlows::importCredential(const ImportRequest &request, Answer answer)
{
    Target target;
    int status = 0;
    QString problem;
    if (!resolve(request.provider, request.inlineConfig, &target, &status, &problem))
        return answer(status, {}, problem);
    OAuthCredential credential;
    if (!OAuthImport::parse(request.file,
                            request.fileName.isEmpty() ? QStringLiteral("auth.json")
                                                       : request.fileName,
                            target.flavour, Clock::nowUtc(), &credential, &problem))
        return answer(400, {}, problem);
    if (credential.email.isEmpty())
        credential.email = request.accountLabel.trimmed();
    if (!request.networkProxy.trimmed().isEmpty())
        credential.networkProxy = request.networkProxy.trimmed();
    const QString proxy = credential.networkProxy.isEmpty()
                              ? target.entry.value("network_proxy").toString()
                              : credential.networkProxy;
    const auto syncAndStore = [this, target, proxy, answer](const OAuthCredential &ready) {
        syncModels(target, ready, proxy, [this, target, answer](const OAuthCredential &synced) {
            storeAccount(target, synced, answer);
        });
    };
    if (!credential.accessToken.isEmpty())
        return syncAndStore(credential);
    // Only a refresh token: exchanged first (its errors abort the import, as in clawgo).
    OAuthRefresh::start(
        OAuthRefresh::endpointFor(target.flavour, target.entry.value("oauth").toObject()),
        credential,
        credential.networkProxy.isEmpty() ? target.entry.value("network_proxy").toString()
                                          : credential.networkProxy,
        this,
        [answer, syncAndStore](bool ok, const OAuthCredential &refreshed, const QString &error) {
            if (!ok)
                return answer(400, {}, error);
            syncAndStore(refreshed);
        });
}

void OAuthFlows::storeAccount(const Target &target, OAuthCredential credential, Answer answer)
{
    if (credential.provider.isEmpty())
        credential.provider = target.flavour;
    // Where clawgo would put it: the one listed file while it does not exist yet, else a new
    // file named after the account beside the first one (never one a store under way holds).
    const QStringList files = m_runtime->credentialFiles(target.provider);
    const QString primary = files.value(0, m_config->configDir() + QStringLiteral("/auth/") +
                                               target.flavour + QStringLiteral(".json"));
    const auto taken = [this](const QString &candidate) {
        return m_reservedPaths.contains(candidate) || QFileInfo::exists(candidate);
    };
    QString path = primary;
    if (files.size() > 1 || taken(primary)) {
        const QString named = QFileInfo(primary).absolutePath() + QLatin1Char('/') +
                              credential.newFileName(Clock::nowUtc());
        path = named;
        for (int n = 2; taken(path); ++n)
            path = named.chopped(5) + QStringLiteral("-%1.json").arg(n);
    }
    const QString name = target.provider;
    const QJsonObject delta = target.inlineDelta;
    const ConfigStore::Change change = withProviderEntry(
        name, [path, delta, configDir = m_config->configDir()](QJsonObject &entry) {
            entry = mergedEntry(entry, delta);
            QJsonObject oauth = entry.value("oauth").toObject();
            oauth.insert("credential_file", path);
            QJsonArray list = oauth.value("credential_files").toArray();
            bool listed = false;
            for (const QJsonValue &value : list)
                listed =
                    listed || ProviderRuntime::credentialPath(configDir, value.toString()) == path;
            if (!listed)
                list.append(path);
            oauth.insert("credential_files", list);
            entry.insert("oauth", oauth);
        });
    // The config that will list the account must be valid before the account is written.
    const QStringList problems = m_config->validate(change(m_config->fileConfig()));
    if (!problems.isEmpty())
        return answer(
            400, {},
            QStringLiteral("invalid provider_config: %1").arg(problems.join(QStringLiteral("; "))));
    m_reservedPaths.insert(path);
    CredentialVault *vault = m_runtime->credentialVault();
    vault->write(
        path, credential,
        [this, vault, name, path, credential, change, answer](const QString &error) {
            if (!error.isEmpty()) {
                m_reservedPaths.remove(path);
                qCWarning(lcProviders).noquote() << "cannot store a signed-in account:" << error;
                return answer(500, {},
                              QStringLiteral("the account could not be stored; see the log"));
            }
            // The new file becomes the primary one and joins the list (ConfigStore: validation,
            // atomic write, config_changed).
            m_config->update(
                QStringLiteral("api"), change, this,
                [this, vault, name, path, credential,
                 answer](const ConfigStore::SaveResult &saved) {
                    m_reservedPaths.remove(path);
                    if (saved.status != ConfigStore::SaveResult::Ok) {
                        // Nothing left behind that no config lists.
                        Background::run(
                            this, [path] { return QFile::remove(path); },
                            [vault, path](bool) { vault->forget(path, [](const QString &) {}); });
                        return answer(saved.status == ConfigStore::SaveResult::Invalid ? 400 : 500,
                                      {},
                                      QStringLiteral("the config could not be saved: %1")
                                          .arg(saved.errors.isEmpty()
                                                   ? saved.error
                                                   : saved.errors.join(QStringLiteral("; "))));
                    }
                    m_runtime->reloadAccounts(name);
                    answer(200,
                           QJsonObject{{"ok", true},
                                       {"account", credential.email},
                                       {"credential_file", path},
                                       {"network_proxy", credential.networkProxy.isEmpty()
                                                             ? QJsonValue(QString())
                                                             : QJsonValue(QStringLiteral("***"))},
                                       {"models", credential.models.isEmpty()
                                                      ? QJsonValue(QJsonValue::Null)
                                                      : QJsonValue(QJsonArray::fromStringList(
                                                            credential.models))}},
                           {});
                });
        });
}
