// Weixin QR login and accounts through the API against the fake iLink server: the state
// machine (wait → scaned → confirmed, expiry with renewal, redirect, cancel), accounts and the
// default, persistence with a config_changed event, and qr.svg decoded by zbar.

#include "channels/messagebus.h"
#include "channels/weixinchannel.h"
#include "core/clock.h"
#include "core/jsonutil.h"
#include "core/secretstore.h"
#include "cron/cronservice.h"
#include "cron/cronstore.h"
#include "fakes/fakeilinkserver.h"
#include "fakes/fakeopenaiserver.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTest>
#include <QWebSocket>
#include <zbar.h>

using namespace zbar;

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

// Decodes the QR of an SVG with zbar (not with our own encoder).
QString decodeQr(const QByteArray &svg)
{
    QSvgRenderer renderer(svg);
    if (!renderer.isValid())
        return QStringLiteral("<invalid svg>");
    QImage image(640, 640, QImage::Format_Grayscale8);
    image.fill(Qt::white);
    QPainter painter(&image);
    renderer.render(&painter);
    painter.end();
    zbar_image_scanner_t *scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_t *zimage = zbar_image_create();
    zbar_image_set_format(zimage, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(zimage, unsigned(image.width()), unsigned(image.height()));
    QByteArray pixels;
    for (int y = 0; y < image.height(); ++y)
        pixels.append(reinterpret_cast<const char *>(image.constScanLine(y)), image.width());
    zbar_image_set_data(zimage, pixels.constData(), size_t(pixels.size()), nullptr);
    QString text;
    if (zbar_scan_image(scanner, zimage) > 0) {
        const zbar_symbol_t *symbol = zbar_image_first_symbol(zimage);
        text = QString::fromUtf8(zbar_symbol_get_data(symbol));
    }
    zbar_image_destroy(zimage);
    zbar_image_scanner_destroy(scanner);
    return text;
}

} // namespace

class TestWeixin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void loginToConfirmedThroughTheApi();
    void expiredQrIsRenewedThreeTimes();
    void upstreamExpiryRenewsAtOnce();
    void redirectSwitchesHost();
    void cancelAndSeveralPendingLogins();
    void twoAccountsAndTheDefault();
    void qrSvgDecodesToTheUpstreamContent();
    void upstreamFailures_data();
    void upstreamFailures();
    void inboundReachesTheAgentAndTheReplyGoesBack();
    void restartResumesFromTheStoredCursor();
    void upstreamErrorsDoNotStopTheChannel();
    void sessionExpiredPausesPolling();
    void longRepliesAreSplit();
    void reminderSetInTheChatArrivesThere();
    void repeatedMessagesReachTheAgentOnce();
    void idleLongPollTimeoutsAreNotFailures();
    void busRefusesWhenFullAndSaysSo();
    void versionListsTheCompiledChannel();
    void inactiveChannelAnswers503();
    void keychainTokenWithoutAKeychainIsReported();
    void pendingSaveIsWrittenAtShutdown();
    void configEditDoesNotDropAnUnsavedLogin();
    void busyAccountsStillSaveWithinTheMaximumWait();

private:
    // A gateway with one logged-in account polling the fake iLink, and the fake provider.
    void startMessaging(const QString &cursor = QString());
    QList<QJsonObject> sentTexts() const;
    std::unique_ptr<FakeOpenAiServer> m_llm;
    QJsonObject status()
    {
        return http(m_gateway->port(), "GET", "/api/weixin/status", {}, auth()).json();
    }
    QJsonObject post(const QByteArray &path, const QByteArray &body = "{}")
    {
        return http(m_gateway->port(), "POST", path, body, auth()).json();
    }
    QJsonObject fileWeixin() const
    {
        return JsonUtil::valueAt(QJsonDocument::fromJson(m_gateway->readConfigFile()).object(),
                                 QStringLiteral("channels.weixin"))
            .toObject();
    }
    std::unique_ptr<FakeILinkServer> m_fake;
    std::unique_ptr<TestGateway> m_gateway;
    qint64 m_now = 1'800'000'000'000;
};

void TestWeixin::init()
{
    Clock::setNowFunction([this] { return m_now; });
    m_fake = std::make_unique<FakeILinkServer>();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.base_url"), m_fake->baseUrl());
    QVERIFY2(m_gateway->start(config), qPrintable(m_gateway->error()));
    m_gateway->gateway()->weixin()->setRefreshGapMs(0);
    m_gateway->gateway()->weixin()->setPersistDelayMs(10);
}

void TestWeixin::cleanup()
{
    m_gateway.reset();
    m_llm.reset();
    m_fake.reset();
    Clock::setNowFunction(nullptr);
}

void TestWeixin::loginToConfirmedThroughTheApi()
{
    QList<QJsonObject> events;
    QWebSocket client;
    connect(&client, &QWebSocket::textMessageReceived, this,
            [&](const QString &t) { events << QJsonDocument::fromJson(t.toUtf8()).object(); });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/api/events/live?token=%2")
                         .arg(m_gateway->port())
                         .arg(QString::fromLatin1(kToken))));
    QVERIFY(waitFor([&] { return !events.isEmpty(); }));

    QJsonObject payload = post("/api/weixin/login/start");
    QCOMPARE(payload.value("ok").toBool(), true);
    QCOMPARE(payload.value("base_url").toString(), m_fake->baseUrl());
    const QJsonObject pending = payload.value("pending_login").toObject();
    QVERIFY(pending.value("login_id").toString().startsWith(QLatin1String("clawgo-weixin:")));
    QCOMPARE(pending.value("status").toString(), QStringLiteral("wait"));
    QCOMPARE(pending.value("qr_available").toBool(), true);
    QCOMPARE(pending.value("expires_in_sec").toInt(), 300);
    const ILinkRequest qrRequest = m_fake->requestsTo("/ilink/bot/get_bot_qrcode").first();
    QCOMPARE(qrRequest.query.queryItemValue("bot_type"), QStringLiteral("3"));
    QCOMPARE(qrRequest.header("ilink-app-id"), QByteArray("bot"));
    QCOMPARE(qrRequest.header("ilink-app-clientversion"), QByteArray("131329"));
    QVERIFY(qrRequest.header("authorization").isEmpty() &&
            qrRequest.header("x-wechat-uin").isEmpty() &&
            qrRequest.header("authorizationtype").isEmpty());

    QCOMPARE(status().value("pending_login").toObject().value("status").toString(),
             QStringLiteral("wait"));
    m_now += 10'000;
    payload = status();
    QCOMPARE(payload.value("pending_login").toObject().value("status").toString(),
             QStringLiteral("scaned"));
    QCOMPARE(payload.value("pending_login").toObject().value("expires_in_sec").toInt(),
             290); // the countdown
    payload = status();
    QCOMPARE(payload.value("pending_logins").toArray().size(), 0);
    const QJsonArray accounts = payload.value("accounts").toArray();
    QCOMPARE(accounts.size(), 1);
    QCOMPARE(accounts.first().toObject().value("bot_id").toString(),
             QStringLiteral("bot-a@im.bot"));
    QCOMPARE(accounts.first().toObject().value("default").toBool(), true);
    QCOMPARE(accounts.first().toObject().value("ilink_user_id").toString(),
             QStringLiteral("owner@im.wechat"));
    QVERIFY(!QJsonDocument(payload).toJson().contains("tok-a")); // bot_token never leaves
    // This test process has no session bus, so no keychain: the token stays in the config.
    QCOMPARE(accounts.first().toObject().value("token_storage").toString(),
             QStringLiteral("config"));
    QCOMPARE(m_gateway->gateway()->secrets()->state(), SecretStore::State::Unavailable);
    QCOMPARE(
        m_fake->requestsTo("/ilink/bot/get_qrcode_status").first().query.queryItemValue("qrcode"),
        QStringLiteral("qr-1"));

    // Saved with the config (0600), announced to API clients.
    QVERIFY(waitFor([&] { return !fileWeixin().value("accounts").toArray().isEmpty(); }));
    const QJsonObject saved = fileWeixin();
    QCOMPARE(saved.value("accounts").toArray().first().toObject().value("bot_token").toString(),
             QStringLiteral("tok-a"));
    QCOMPARE(saved.value("default_bot_id").toString(), QStringLiteral("bot-a@im.bot"));
    QCOMPARE(saved.value("enabled").toBool(), true);
    QCOMPARE(fileMode(m_gateway->configPath()), 0600);
    QVERIFY(waitFor([&] {
        return std::any_of(events.begin(), events.end(), [](const QJsonObject &e) {
            return e == QJsonObject{{"type", "config_changed"}, {"source", "weixin"}};
        });
    }));
    // And GET /api/config shows the bot token masked.
    QCOMPARE(JsonUtil::valueAt(http(m_gateway->port(), "GET", "/api/config", {}, auth()).json(),
                               QStringLiteral("channels.weixin.accounts"))
                 .toArray()
                 .first()
                 .toObject()
                 .value("bot_token")
                 .toString(),
             QStringLiteral("********"));
    QObject::disconnect(&client, nullptr, this, nullptr);
}

void TestWeixin::expiredQrIsRenewedThreeTimes()
{
    m_fake->setStatusScript({QJsonObject{{"status", "wait"}}});
    post("/api/weixin/login/start");
    for (int renewal = 1; renewal <= 3; ++renewal) {
        m_now += 301'000;
        const QJsonObject pending = status().value("pending_login").toObject();
        QCOMPARE(pending.value("status").toString(), QStringLiteral("wait"));
        QCOMPARE(pending.value("qr_code").toString(), QStringLiteral("qr-%1").arg(renewal + 1));
        QCOMPARE(pending.value("qr_refreshes").toInt(), renewal);
        QCOMPARE(pending.value("expires_in_sec").toInt(), 300);
    }
    m_now += 301'000;
    const QJsonObject pending = status().value("pending_login").toObject();
    QCOMPARE(pending.value("status").toString(), QStringLiteral("expired"));
    QCOMPARE(m_fake->issuedQrCodes(), 4);
}

void TestWeixin::upstreamExpiryRenewsAtOnce()
{
    m_fake->enqueueStatusScript({QJsonObject{{"status", "expired"}}});
    post("/api/weixin/login/start");
    const QJsonObject pending = status().value("pending_login").toObject();
    QCOMPARE(pending.value("qr_code").toString(), QStringLiteral("qr-2"));
    QCOMPARE(pending.value("status").toString(), QStringLiteral("wait"));
}

void TestWeixin::redirectSwitchesHost()
{
    FakeILinkServer other;
    other.setStatusScript({FakeILinkServer::confirmed("bot-r@im.bot", "tok-r")});
    m_fake->enqueueStatusScript(
        {QJsonObject{{"status", "scaned_but_redirect"}, {"redirect_host", other.baseUrl()}}});
    post("/api/weixin/login/start");
    QCOMPARE(status().value("pending_login").toObject().value("status").toString(),
             QStringLiteral("scaned_but_redirect"));
    const QJsonObject payload = status();
    QCOMPARE(other.requestsTo("/ilink/bot/get_qrcode_status").size(), 1);
    QCOMPARE(payload.value("accounts").toArray().first().toObject().value("bot_id").toString(),
             QStringLiteral("bot-r@im.bot"));
}

void TestWeixin::cancelAndSeveralPendingLogins()
{
    m_fake->setStatusScript({QJsonObject{{"status", "wait"}}});
    const QString first = post("/api/weixin/login/start")
                              .value("pending_login")
                              .toObject()
                              .value("login_id")
                              .toString();
    m_now += 1;
    QJsonObject payload = post("/api/weixin/login/start");
    QCOMPARE(payload.value("pending_logins").toArray().size(), 2);
    payload =
        post("/api/weixin/login/cancel", QJsonDocument(QJsonObject{{"login_id", first}}).toJson());
    QCOMPARE(payload.value("pending_logins").toArray().size(), 1);
    QVERIFY(payload.value("pending_login").toObject().value("login_id").toString() != first);
    HttpResult result = http(m_gateway->port(), "POST", "/api/weixin/login/cancel",
                             R"({"login_id":"nope"})", auth());
    QCOMPARE(result.status, 404);
    QCOMPARE(result.body, QByteArray("login_id not found\n"));
    result = http(m_gateway->port(), "POST", "/api/weixin/login/cancel", "not json", auth());
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("invalid json body\n"));
}

void TestWeixin::twoAccountsAndTheDefault()
{
    m_fake->enqueueStatusScript({FakeILinkServer::confirmed("bot-a@im.bot", "tok-a")});
    m_fake->enqueueStatusScript({FakeILinkServer::confirmed("bot-b@im.bot", "tok-b")});
    post("/api/weixin/login/start");
    post("/api/weixin/login/start");
    QJsonArray accounts = status().value("accounts").toArray();
    QCOMPARE(accounts.size(), 2);
    QCOMPARE(accounts.at(0).toObject().value("default").toBool(), true);
    QCOMPARE(accounts.at(1).toObject().value("default").toBool(), false);
    accounts = post("/api/weixin/accounts/default", R"({"bot_id":"bot-b@im.bot"})")
                   .value("accounts")
                   .toArray();
    QCOMPARE(accounts.at(1).toObject().value("default").toBool(), true);
    QVERIFY(waitFor([&] {
        return fileWeixin().value("default_bot_id").toString() == QLatin1String("bot-b@im.bot");
    }));
    accounts = post("/api/weixin/accounts/remove", R"({"bot_id":"bot-b@im.bot"})")
                   .value("accounts")
                   .toArray();
    QCOMPARE(accounts.size(), 1);
    QCOMPARE(accounts.first().toObject().value("default").toBool(), true);
    QVERIFY(waitFor([&] { return fileWeixin().value("accounts").toArray().size() == 1; }));
    QCOMPARE(fileWeixin().value("default_bot_id").toString(), QStringLiteral("bot-a@im.bot"));
    HttpResult result = http(m_gateway->port(), "POST", "/api/weixin/accounts/default",
                             R"({"bot_id":"ghost"})", auth());
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("bot_id not found: ghost\n"));
    result =
        http(m_gateway->port(), "POST", "/api/weixin/accounts/remove", R"({"bot_id":" "})", auth());
    QCOMPARE(result.body, QByteArray("bot_id is required\n"));
}

void TestWeixin::qrSvgDecodesToTheUpstreamContent()
{
    m_fake->setStatusScript({QJsonObject{{"status", "wait"}}});
    QCOMPARE(http(m_gateway->port(), "GET", "/api/weixin/qr.svg", {}, auth()).status,
             404); // nothing pending yet
    post("/api/weixin/login/start");
    m_now += 1;
    const QString second = post("/api/weixin/login/start")
                               .value("pending_logins")
                               .toArray()
                               .last()
                               .toObject()
                               .value("login_id")
                               .toString();
    HttpResult svg = http(m_gateway->port(), "GET", "/api/weixin/qr.svg", {}, auth());
    QCOMPARE(svg.status, 200);
    QCOMPARE(svg.header("content-type"), QByteArray("image/svg+xml"));
    QVERIFY(svg.body.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    // Without login_id: the first pending login (the reference answers 404 here).
    QCOMPARE(decodeQr(svg.body),
             QStringLiteral("https://liteapp.weixin.qq.com/q/test?qrcode=qr-1&bot_type=3"));
    svg = http(m_gateway->port(), "GET",
               "/api/weixin/qr.svg?login_id=" + QUrl::toPercentEncoding(second), {}, auth());
    QCOMPARE(decodeQr(svg.body),
             QStringLiteral("https://liteapp.weixin.qq.com/q/test?qrcode=qr-2&bot_type=3"));
    const HttpResult missing =
        http(m_gateway->port(), "GET", "/api/weixin/qr.svg?login_id=nope", {}, auth());
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.body, QByteArray("qr unavailable\n"));
}

void TestWeixin::upstreamFailures_data()
{
    QTest::addColumn<int>("upstreamStatus");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("500") << 500 << QByteArray("boom") << QByteArray("http 500: boom\n");
    QTest::newRow("empty qrcode") << 200 << QByteArray(R"({"qrcode":""})")
                                  << QByteArray("empty qrcode returned\n");
}

void TestWeixin::upstreamFailures()
{
    QFETCH(int, upstreamStatus);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    m_fake->failNextQrcode(upstreamStatus, body);
    const HttpResult result =
        http(m_gateway->port(), "POST", "/api/weixin/login/start", {}, auth());
    QCOMPARE(result.status, 502);
    QCOMPARE(result.body, expected);
    QCOMPARE(status().value("pending_logins").toArray().size(), 0);
}

void TestWeixin::startMessaging(const QString &cursor)
{
    m_gateway.reset();
    m_llm = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    QJsonObject account{
        {"bot_id", "bot-a@im.bot"}, {"bot_token", "tok-a"}, {"ilink_user_id", "owner@im.wechat"}};
    if (!cursor.isEmpty())
        account.insert("get_updates_buf", cursor);
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin"),
                         QJsonObject{{"enabled", true},
                                     {"base_url", m_fake->baseUrl()},
                                     {"accounts", QJsonArray{account}}});
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", m_llm->apiBase()},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    m_gateway->writeConfigFile(JsonUtil::pretty(config));
    GatewayOptions options;
    // Build the gateway by hand so the poll timings are set before polling starts.
    QVERIFY2(m_gateway->start(QJsonObject(), options), qPrintable(m_gateway->error()));
    m_gateway->gateway()->weixin()->setPollTimings(2000, 30, 60, 20);
    m_gateway->gateway()->weixin()->setPersistDelayMs(10);
}

// The text of one sendmessage body's first item.
static QString textOf(const QJsonObject &msg)
{
    return msg.value("item_list")
        .toArray()
        .first()
        .toObject()
        .value("text_item")
        .toObject()
        .value("text")
        .toString();
}

QList<QJsonObject> TestWeixin::sentTexts() const
{
    QList<QJsonObject> sent;
    for (const ILinkRequest &request : m_fake->requestsTo("/ilink/bot/sendmessage"))
        sent << request.body.value("msg").toObject();
    return sent;
}

void TestWeixin::inboundReachesTheAgentAndTheReplyGoesBack()
{
    startMessaging();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Hi from the agent")));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-1", "ctx-1", "hello"));
    QVERIFY(waitFor([&] { return !sentTexts().isEmpty(); }, 5000));
    const QJsonObject msg = sentTexts().first();
    QCOMPARE(msg.value("to_user_id").toString(), QStringLiteral("wx-user-1"));
    QCOMPARE(msg.value("context_token").toString(), QStringLiteral("ctx-1"));
    QCOMPARE(msg.value("from_user_id").toString(), QString());
    QVERIFY(msg.value("client_id").toString().startsWith(QLatin1String("clawgo-weixin:")));
    QCOMPARE(msg.value("message_type").toInt(), 2);
    QCOMPARE(msg.value("message_state").toInt(), 2);
    QCOMPARE(msg.value("item_list").toArray().size(), 1);
    QCOMPARE(textOf(msg), QStringLiteral("Hi from the agent"));
    // The agent saw the message in the session of this chat.
    QCOMPARE(m_llm->requests()
                 .first()
                 .body.value("messages")
                 .toArray()
                 .last()
                 .toObject()
                 .value("content")
                 .toString(),
             QStringLiteral("hello"));
    const QJsonArray history = http(m_gateway->port(), "GET",
                                    "/api/chat/history?session=" +
                                        QUrl::toPercentEncoding("weixin:bot-a@im.bot|wx-user-1"),
                                    {}, auth())
                                   .json()
                                   .value("messages")
                                   .toArray();
    QCOMPARE(history.size(), 2);
    // The headers of the bot API.
    const ILinkRequest send = m_fake->requestsTo("/ilink/bot/sendmessage").first();
    QCOMPARE(send.header("authorizationtype"), QByteArray("ilink_bot_token"));
    QCOMPARE(send.header("authorization"), QByteArray("Bearer tok-a"));
    QCOMPARE(send.header("content-type"), QByteArray("application/json"));
    const QList<ILinkRequest> polls = m_fake->requestsTo("/ilink/bot/getupdates");
    QVERIFY(polls.size() >= 2);
    const QByteArray uin = QByteArray::fromBase64(polls.at(0).header("x-wechat-uin"));
    bool numeric = false;
    uin.toULongLong(&numeric);
    QVERIFY(numeric);
    QVERIFY(polls.at(0).header("x-wechat-uin") != polls.at(1).header("x-wechat-uin"));
    QCOMPARE(polls.at(0).body.value("base_info").toObject().value("channel_version").toString(),
             QStringLiteral("2.1.1"));
    // Typing was shown with the ticket from getconfig.
    QVERIFY(waitFor([&] { return !m_fake->requestsTo("/ilink/bot/sendtyping").isEmpty(); }));
    QCOMPARE(
        m_fake->requestsTo("/ilink/bot/sendtyping").first().body.value("typing_ticket").toString(),
        QStringLiteral("ticket-1"));
    const QJsonObject account = status().value("accounts").toArray().first().toObject();
    QCOMPARE(account.value("last_inbound_text").toString(), QStringLiteral("hello"));
    QCOMPARE(account.value("connected").toBool(), true);
    QCOMPARE(status().value("runtime_enabled").toBool(), true);
}

void TestWeixin::restartResumesFromTheStoredCursor()
{
    startMessaging();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-1", "ctx-1", "first"));
    QVERIFY(waitFor(
        [&] {
            return fileWeixin()
                       .value("accounts")
                       .toArray()
                       .first()
                       .toObject()
                       .value("get_updates_buf")
                       .toString() == QLatin1String("cur-1");
        },
        5000));
    QCOMPARE(fileWeixin()
                 .value("accounts")
                 .toArray()
                 .first()
                 .toObject()
                 .value("context_token")
                 .toString(),
             QStringLiteral("ctx-1"));
    const QByteArray file = m_gateway->readConfigFile();
    m_gateway.reset();
    const int before = int(m_fake->requestsTo("/ilink/bot/getupdates").size());
    // A new gateway on the same file resumes where the last one stopped.
    startMessaging(QStringLiteral("cur-1"));
    QVERIFY(waitFor([&] { return m_fake->requestsTo("/ilink/bot/getupdates").size() > before; }));
    QCOMPARE(m_fake->requestsTo("/ilink/bot/getupdates")
                 .at(before)
                 .body.value("get_updates_buf")
                 .toString(),
             QStringLiteral("cur-1"));
    Q_UNUSED(file);
}

void TestWeixin::upstreamErrorsDoNotStopTheChannel()
{
    m_fake->failNextUpdates(200, "this is not json");
    m_fake->failNextUpdates(500, "boom");
    m_fake->failNextUpdates(200, R"({"ret":1,"errmsg":"x"})");
    startMessaging();
    QVERIFY(waitFor([&] { return m_fake->requestsTo("/ilink/bot/getupdates").size() >= 4; }, 5000));
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("still here")));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-2", "ctx-2", "are you there?"));
    QVERIFY(waitFor([&] { return !sentTexts().isEmpty(); }, 5000));
    QCOMPARE(textOf(sentTexts().first()), QStringLiteral("still here"));
}

void TestWeixin::sessionExpiredPausesPolling()
{
    m_fake->failNextUpdates(200, R"({"ret":-14,"errmsg":"session expired"})");
    startMessaging();
    QVERIFY(waitFor([&] { return status().contains("paused_until"); }, 5000));
    const int polls = int(m_fake->requestsTo("/ilink/bot/getupdates").size());
    QTest::qWait(200);
    QCOMPARE(m_fake->requestsTo("/ilink/bot/getupdates").size(), polls); // paused
    QJsonObject account = status().value("accounts").toArray().first().toObject();
    QCOMPARE(account.value("last_event").toString(), QStringLiteral("error"));
    QVERIFY(account.value("last_error")
                .toString()
                .startsWith(QLatin1String("getupdates failed: ret=-14")));
    m_now += 3601 * 1000; // an hour later
    QVERIFY(
        waitFor([&] { return m_fake->requestsTo("/ilink/bot/getupdates").size() > polls; }, 5000));
    QVERIFY(!status().contains("paused_until"));
}

void TestWeixin::longRepliesAreSplit()
{
    startMessaging();
    QString reply;
    for (int i = 0; i < 900; ++i)
        reply += QStringLiteral("word%1 ").arg(i % 10, 4, 10, QLatin1Char('0'));
    m_llm->enqueue(FakeLlmReply::chatText(reply));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-3", "ctx-3", "write a lot"));
    QVERIFY(waitFor([&] { return sentTexts().size() >= 2; }, 5000));
    QTest::qWait(100);
    QString joined;
    for (const QJsonObject &msg : sentTexts()) {
        const QString text = textOf(msg);
        QVERIFY(text.size() <= 4000);
        joined += text;
    }
    QCOMPARE(joined, reply);
    QCOMPARE(WeixinChannel::splitText(QString(9000, QLatin1Char('x'))).size(), 3);
}

// A person asks the agent in Weixin for a reminder: the remind tool sets a job for this chat,
// and when it is due the text arrives in the same chat through the bus (the reference's
// reminders from chat did reach Weixin; ours must too, with the job's run recorded).
void TestWeixin::reminderSetInTheChatArrivesThere()
{
    startMessaging();
    m_llm->enqueue(FakeLlmReply::chatToolCall(
        QStringLiteral("call-r"), QStringLiteral("remind"),
        QJsonObject{{"message", "Time to drink water"}, {"time_expr", "500ms"}}));
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("Reminder set.")));
    m_fake->injectMessage(
        FakeILinkServer::textMessage("wx-user-6", "ctx-6", "remind me to drink water"));
    const auto textsTo = [this](const QString &user) {
        QStringList texts;
        for (const QJsonObject &msg : sentTexts())
            if (msg.value("to_user_id").toString() == user)
                texts << textOf(msg);
        return texts;
    };
    QVERIFY(waitFor([&] { return textsTo("wx-user-6").size() == 1; }, 5000));
    QTest::qWait(600); // not before its time (the clock here stands still)
    QCOMPARE(textsTo("wx-user-6").size(), 1);
    m_now += 501; // its time
    QVERIFY(waitFor([&] { return textsTo("wx-user-6").size() >= 2; }, 5000));
    QCOMPARE(textsTo("wx-user-6"),
             (QStringList{QStringLiteral("Reminder set."), QStringLiteral("Time to drink water")}));
    QCOMPARE(m_llm->requests().size(), 2); // the reminder itself costs no model call
    CronStore *jobs = m_gateway->gateway()->cron()->store();
    QCOMPARE(jobs->jobs().size(), 1);
    QVERIFY(waitFor([&] { return jobs->jobs().first().state.lastStatus == QLatin1String("ok"); }));
    const CronJob job = jobs->jobs().first();
    QCOMPARE(job.payload.channel, QStringLiteral("weixin"));
    QCOMPARE(job.payload.to, QStringLiteral("bot-a@im.bot|wx-user-6"));
    QCOMPARE(job.enabled, false); // one-shot
}

void TestWeixin::repeatedMessagesReachTheAgentOnce()
{
    startMessaging();
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("once")));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-4", "ctx-4", "same words"));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-4", "ctx-4", "same words"));
    QVERIFY(waitFor([&] { return !sentTexts().isEmpty(); }, 5000));
    QTest::qWait(200);
    QCOMPARE(m_llm->requests().size(), 1);
    QCOMPARE(sentTexts().size(), 1);
}

void TestWeixin::idleLongPollTimeoutsAreNotFailures()
{
    m_fake->setHoldMs(1500); // longer than the client's poll timeout below
    startMessaging();
    m_gateway->gateway()->weixin()->setPollTimings(300, 30, 60, 20);
    QVERIFY(waitFor([&] { return m_fake->requestsTo("/ilink/bot/getupdates").size() >= 3; }, 8000));
    const QJsonObject account = status().value("accounts").toArray().first().toObject();
    QVERIFY2(account.value("last_error").toString().isEmpty(),
             qPrintable(account.value("last_error").toString()));
    // And messages still get through once the server answers promptly.
    m_fake->setHoldMs(100);
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("after the quiet")));
    m_fake->injectMessage(FakeILinkServer::textMessage("wx-user-5", "ctx-5", "ping"));
    QVERIFY(waitFor([&] { return !sentTexts().isEmpty(); }, 8000));
}

void TestWeixin::busRefusesWhenFullAndSaysSo()
{
    MessageBus bus(2);
    QSignalSpy overloaded(&bus, &MessageBus::overloaded);
    QSignalSpy taken(&bus, &MessageBus::inbound);
    const auto message = [](const QString &text) {
        InboundMessage m;
        m.channel = QStringLiteral("weixin");
        m.chatId = QStringLiteral("bot|user");
        m.content = text;
        return m;
    };
    QString reason;
    QVERIFY(bus.publishInbound(message("a"), &reason));
    QVERIFY(bus.publishInbound(message("b"), &reason));
    QVERIFY(!bus.publishInbound(message("c"), &reason));
    QCOMPARE(reason, QStringLiteral("overloaded"));
    QCOMPARE(overloaded.count(), 1);
    QCOMPARE(bus.refused(), 1);
    bus.release();
    QVERIFY(bus.publishInbound(message("c"), &reason));
    QVERIFY(!bus.publishInbound(message("c"), &reason)); // same chat, same words, within 12 s
    QCOMPARE(reason, QStringLiteral("duplicate"));
    m_now += 13'000;
    bus.release();
    QVERIFY(bus.publishInbound(message("c"), &reason));
    QCOMPARE(taken.count(), 4);
}

void TestWeixin::versionListsTheCompiledChannel()
{
    const QJsonObject version = http(m_gateway->port(), "GET", "/api/version", {}, auth()).json();
    QCOMPARE(version.value("ok").toBool(), true);
    QCOMPARE(version.value("gateway_version").toString(), QStringLiteral(CLAWGO_VERSION));
    QCOMPARE(version.value("compiled_channels").toArray(), QJsonArray{"weixin"});
}

void TestWeixin::inactiveChannelAnswers503()
{
    // init() leaves channels.weixin.enabled false and no login has started: the channel is
    // inactive, as the reference's missing runtime.
    const QJsonObject payload = status();
    QCOMPARE(payload.value("ok").toBool(), false);
    QCOMPARE(payload.value("error").toString(), QStringLiteral("weixin channel unavailable"));
    QCOMPARE(payload.value("enabled").toBool(), false);
    QCOMPARE(payload.value("runtime_enabled").toBool(), false);
    QCOMPARE(payload.value("base_url").toString(), m_fake->baseUrl());
    for (const QByteArray &path :
         {QByteArray("/api/weixin/login/cancel"), QByteArray("/api/weixin/accounts/remove"),
          QByteArray("/api/weixin/accounts/default")}) {
        const HttpResult result =
            http(m_gateway->port(), "POST", path, R"({"bot_id":"x","login_id":"y"})", auth());
        QCOMPARE(result.status, 503);
        QCOMPARE(result.body, QByteArray("weixin channel unavailable\n"));
    }
    QCOMPARE(http(m_gateway->port(), "GET", "/api/weixin/qr.svg", {}, auth()).status, 404);

    // Starting a login activates the channel (the reference's bootstrap), even when the
    // upstream call then fails.
    m_fake->failNextQrcode(500, "boom");
    QCOMPARE(http(m_gateway->port(), "POST", "/api/weixin/login/start", "{}", auth()).status, 502);
    QCOMPARE(status().value("ok").toBool(), true);
    QCOMPARE(status().value("enabled").toBool(), true);
    QCOMPARE(status().value("config_enabled").toBool(), false);
    QCOMPARE(status().value("runtime_enabled").toBool(), true); // as the reference's bootstrap
    const HttpResult result =
        http(m_gateway->port(), "POST", "/api/weixin/login/cancel", R"({"login_id":"y"})", auth());
    QCOMPARE(result.status, 404);
    QCOMPARE(result.body, QByteArray("login_id not found\n"));
}

void TestWeixin::keychainTokenWithoutAKeychainIsReported()
{
    // A config written where a keychain held the token, opened where none answers (a
    // server without a session bus): the account shows why it cannot connect.
    m_gateway.reset();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("channels.weixin"),
        QJsonObject{{"enabled", true},
                    {"base_url", m_fake->baseUrl()},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-k@im.bot"},
                                                        {"bot_token_in_keychain", true}}}}});
    QVERIFY2(m_gateway->start(config), qPrintable(m_gateway->error()));
    QJsonObject account;
    // "has not given it yet" while the keychain is asked, then why it never will.
    waitFor([&] {
        account = status().value("accounts").toArray().first().toObject();
        return account.value("last_error").toString().contains(QLatin1String("not available"));
    });
    QCOMPARE(account.value("bot_id").toString(), QStringLiteral("bot-k@im.bot"));
    QCOMPARE(account.value("connected").toBool(), false);
    QCOMPARE(account.value("token_storage").toString(), QStringLiteral("keychain"));
    QVERIFY2(account.value("last_error")
                 .toString()
                 .contains(QLatin1String("in the system keychain, which is not available here")),
             qPrintable(account.value("last_error").toString()));
    QTest::qWait(100); // pollers would have asked upstream by now
    QCOMPARE(m_fake->requestsTo("/ilink/bot/getupdates").size(), 0);
    // The reference to the keychain survives the next save of the accounts.
    QCOMPARE(
        post("/api/weixin/accounts/default", R"({"bot_id":"bot-k@im.bot"})").value("ok").toBool(),
        true);
    QVERIFY(waitFor([&] { return fileWeixin().contains("default_bot_id"); }));
    // In clawgo's format: an empty token in config.json (the old in-account marker is gone,
    // clawgo would refuse it), the keychain reference in desktop.json.
    const QJsonObject saved = fileWeixin().value("accounts").toArray().first().toObject();
    QVERIFY(!saved.contains("bot_token_in_keychain"));
    QCOMPARE(saved.value("bot_token").toString(), QString());
    QFile desktop(m_gateway->dir() + QStringLiteral("/desktop.json"));
    QVERIFY(desktop.open(QIODevice::ReadOnly));
    QCOMPARE(JsonUtil::valueAt(QJsonDocument::fromJson(desktop.readAll()).object(),
                               QStringLiteral("secrets.in_keychain"))
                 .toArray(),
             QJsonArray{"channels.weixin.accounts[bot-k@im.bot].bot_token"});
}

void TestWeixin::pendingSaveIsWrittenAtShutdown()
{
    // The reference drops its persist timer on stop, losing the last login or cursor.
    m_gateway->gateway()->weixin()->setPersistDelayMs(60'000);
    post("/api/weixin/login/start");
    QVERIFY(waitFor([&] { return !status().value("accounts").toArray().isEmpty(); }));
    QVERIFY(fileWeixin().value("accounts").toArray().isEmpty()); // still waiting
    m_gateway->gateway()->stop();
    const QJsonArray saved = fileWeixin().value("accounts").toArray();
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().toObject().value("bot_id").toString(), QStringLiteral("bot-a@im.bot"));
    QCOMPARE(saved.first().toObject().value("bot_token").toString(), QStringLiteral("tok-a"));
}

void TestWeixin::configEditDoesNotDropAnUnsavedLogin()
{
    m_gateway->gateway()->weixin()->setPersistDelayMs(60'000);
    post("/api/weixin/login/start");
    QVERIFY(waitFor([&] { return !status().value("accounts").toArray().isEmpty(); }));
    // Someone saves the config (with a new base URL) before the login was written.
    FakeILinkServer other;
    QJsonObject config = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.base_url"), other.baseUrl());
    QCOMPARE(http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(), auth())
                 .status,
             200);
    const QJsonObject payload = status();
    QCOMPARE(payload.value("accounts").toArray().size(), 1);         // the login is still there
    QCOMPARE(payload.value("base_url").toString(), other.baseUrl()); // and the edit was taken
    m_gateway->gateway()->stop();
    QCOMPARE(fileWeixin().value("accounts").toArray().size(), 1);
    QCOMPARE(fileWeixin().value("base_url").toString(), other.baseUrl());
}

// A cursor that moves more often than the save's debounce used to postpone the save forever
// (a login stayed unsaved for over a minute): the maximum wait bounds it.
void TestWeixin::busyAccountsStillSaveWithinTheMaximumWait()
{
    startMessaging();
    m_gateway->gateway()->weixin()->setPersistDelays(300, 700);
    const QString before = fileWeixin()
                               .value("accounts")
                               .toArray()
                               .first()
                               .toObject()
                               .value("get_updates_buf")
                               .toString();
    QElapsedTimer busy;
    busy.start();
    bool savedWhileBusy = false;
    int n = 0;
    while (busy.elapsed() < 1800 && !savedWhileBusy) {
        m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
        m_fake->injectMessage(
            FakeILinkServer::textMessage("wx-busy", QByteArray("ctx-") + QByteArray::number(n),
                                         QByteArray("m") + QByteArray::number(n)));
        ++n;
        QTest::qWait(120); // a new cursor every 120 ms: always inside the 300 ms debounce
        savedWhileBusy = fileWeixin()
                             .value("accounts")
                             .toArray()
                             .first()
                             .toObject()
                             .value("get_updates_buf")
                             .toString() != before;
    }
    QVERIFY2(savedWhileBusy, "the cursor was not saved while it kept moving");
    QVERIFY(busy.elapsed() < 1500);
}

QTEST_MAIN(TestWeixin)
#include "tst_weixin.moc"
