// Bot tokens in a real system keychain: a private D-Bus session bus with GNOME Keyring's
// Secret Service on it (Debian's dbus-daemon and gnome-keyring), reached through QtKeychain.
// What the gateway stores is checked with secret-tool (libsecret), independently of our code.

#include "agent/agentruntime.h"
#include "channels/weixinchannel.h"
#include "core/jsonutil.h"
#include "core/secretstore.h"
#include "fakes/fakeilinkserver.h"
#include "fakes/fakeopenaiserver.h"
#include "providers/providerruntime.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <optional>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

// A bus that activates nothing: only the keyring we start ourselves answers on it.
} // namespace

class TestSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void storeRoundTrip();
    void turnedOffStoreNeverAnswersWithASecret();
    void loginPutsTheBotTokenInTheKeychain();
    void restartReadsTheTokenFromTheKeychain();
    void restartReadsCredentialsMarkedInDesktopJson();
    void plainTokenMovesIntoTheKeychain();
    void existingClawgoHomeKeepsItsCredentialsInItsFile();
    void switchingMovesCredentialsBothWays();
    void removingAnAccountDeletesItsEntry();
    void missingEntryIsReported();
    void oauthTokensLiveInTheKeychain();

private:
    // secret-tool's view of an entry (QtKeychain files entries by "user" and "server").
    QString lookup(const QString &key) const;
    bool store(const QString &key, const QString &value) const;
    // `keychain`: secrets.keychain as a fresh install has it; absent, the config is an existing
    // clawgo home's (no desktop.json). `extra` is merged into the config.
    bool startGateway(const QJsonObject &weixin, std::optional<bool> keychain = true,
                      const QJsonObject &extra = {});
    QJsonObject desktopFile() const
    {
        QFile file(m_gateway->dir() + QStringLiteral("/desktop.json"));
        file.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(file.readAll()).object();
    }
    QJsonObject configFile() const
    {
        return QJsonDocument::fromJson(m_gateway->readConfigFile()).object();
    }
    QJsonObject fileAccount() const
    {
        return JsonUtil::valueAt(QJsonDocument::fromJson(m_gateway->readConfigFile()).object(),
                                 QStringLiteral("channels.weixin.accounts"))
            .toArray()
            .first()
            .toObject();
    }
    QJsonObject status()
    {
        return http(m_gateway->port(), "GET", "/api/weixin/status", {}, auth()).json();
    }
    bool polledWith(const QByteArray &token) const
    {
        for (const ILinkRequest &request : m_fake->requestsTo("/ilink/bot/getupdates"))
            if (request.header("authorization") == "Bearer " + token)
                return true;
        return false;
    }

    QTemporaryDir m_home;
    PrivateSessionBus m_bus;
    QProcess m_keyring;
    QString m_service; // a fresh keychain service per test
    int m_serial = 0;
    std::unique_ptr<FakeILinkServer> m_fake;
    std::unique_ptr<TestGateway> m_gateway;
};

void TestSecrets::initTestCase()
{
    for (const char *tool : {"dbus-daemon", "gnome-keyring-daemon", "secret-tool"})
        QVERIFY2(!QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty(),
                 qPrintable(QStringLiteral("%1 is missing: run `make deps`").arg(tool)));
    QVERIFY(m_home.isValid());
    const QString runtime = m_home.filePath(QStringLiteral("run"));
    QVERIFY(QDir().mkpath(runtime));
    QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("HOME", m_home.path().toUtf8());
    qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
    qputenv("XDG_RUNTIME_DIR", runtime.toUtf8());

    QString busError;
    QVERIFY2(m_bus.start(runtime, &busError), qPrintable(busError));

    // --unlock reads the login keyring's password from stdin and creates the keyring.
    m_keyring.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_keyring.start(QStringLiteral("gnome-keyring-daemon"),
                    {QStringLiteral("--foreground"), QStringLiteral("--unlock"),
                     QStringLiteral("--components=secrets")});
    QVERIFY(m_keyring.waitForStarted());
    m_keyring.write("clawgo-test-password");
    m_keyring.closeWriteChannel();
    m_service = QStringLiteral("clawgo-test-ready");
    QVERIFY2(waitFor([&] { return store(QStringLiteral("ready"), QStringLiteral("yes")); }, 15000),
             "the keyring never answered on the private bus");
}

void TestSecrets::cleanupTestCase()
{
    m_keyring.terminate();
    if (!m_keyring.waitForFinished(3000))
        m_keyring.kill();
}

void TestSecrets::init()
{
    m_service = QStringLiteral("clawgo-test-%1").arg(++m_serial);
    m_fake = std::make_unique<FakeILinkServer>();
}

void TestSecrets::cleanup()
{
    m_gateway.reset();
    m_fake.reset();
}

QString TestSecrets::lookup(const QString &key) const
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"), {QStringLiteral("lookup"), QStringLiteral("user"),
                                               key, QStringLiteral("server"), m_service});
    tool.waitForFinished(10000);
    return QString::fromUtf8(tool.readAllStandardOutput());
}

bool TestSecrets::store(const QString &key, const QString &value) const
{
    QProcess tool;
    tool.start(QStringLiteral("secret-tool"),
               {QStringLiteral("store"), QStringLiteral("--label=test"), QStringLiteral("user"),
                key, QStringLiteral("server"), m_service, QStringLiteral("type"),
                QStringLiteral("plaintext")});
    tool.write(value.toUtf8());
    tool.closeWriteChannel();
    return tool.waitForFinished(10000) && tool.exitStatus() == QProcess::NormalExit &&
           tool.exitCode() == 0;
}

bool TestSecrets::startGateway(const QJsonObject &weixin, std::optional<bool> keychain,
                               const QJsonObject &extra)
{
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    QJsonObject channel = weixin;
    channel.insert("base_url", m_fake->baseUrl());
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin"), channel);
    config = JsonUtil::deepMerge(config, extra);
    if (keychain) {
        // Where a fresh install keeps it; the gateway's strict-decode check covers config.json.
        QFile desktop(m_gateway->dir() + QStringLiteral("/desktop.json"));
        if (!desktop.exists()) {
            desktop.open(QIODevice::WriteOnly);
            desktop.write(
                QJsonDocument(QJsonObject{{"secrets", QJsonObject{{"keychain", *keychain}}}})
                    .toJson());
        }
    }
    GatewayOptions options;
    options.keychainService = m_service;
    if (!m_gateway->start(config, options)) {
        qWarning() << m_gateway->error();
        return false;
    }
    m_gateway->gateway()->weixin()->setPersistDelayMs(10);
    m_gateway->gateway()->weixin()->setRefreshGapMs(0);
    return waitFor([&] { return m_gateway->gateway()->secrets()->settled(); }, 10000);
}

void TestSecrets::storeRoundTrip()
{
    SecretStore secrets(true);
    secrets.setServiceName(m_service);
    secrets.probe();
    QVERIFY(waitFor([&] { return secrets.settled(); }, 10000));
    QVERIFY2(secrets.available(), qPrintable(secrets.unavailableReason()));

    QString error = QStringLiteral("unset");
    secrets.write(QStringLiteral("k"), QStringLiteral("v-1"), this,
                  [&](const QString &e) { error = e; });
    QVERIFY(waitFor([&] { return error != QLatin1String("unset"); }, 10000));
    QCOMPARE(error, QString());
    QCOMPARE(lookup(QStringLiteral("k")), QStringLiteral("v-1"));

    QVERIFY(store(QStringLiteral("k"), QStringLiteral("v-2"))); // changed behind our back
    QString value;
    error = QStringLiteral("unset");
    secrets.read(QStringLiteral("k"), this, [&](const QString &v, const QString &e) {
        value = v;
        error = e;
    });
    QVERIFY(waitFor([&] { return error != QLatin1String("unset"); }, 10000));
    QCOMPARE(error, QString());
    QCOMPARE(value, QStringLiteral("v-2"));

    error = QStringLiteral("unset");
    secrets.remove(QStringLiteral("k"), this, [&](const QString &e) { error = e; });
    QVERIFY(waitFor([&] { return error != QLatin1String("unset"); }, 10000));
    QCOMPARE(error, QString());
    QCOMPARE(lookup(QStringLiteral("k")), QString());

    // A missing entry is "nothing there", not an error.
    error = QStringLiteral("unset");
    value = QStringLiteral("unset");
    secrets.read(QStringLiteral("k"), this, [&](const QString &v, const QString &e) {
        value = v;
        error = e;
    });
    QVERIFY(waitFor([&] { return error != QLatin1String("unset"); }, 10000));
    QCOMPARE(error, QString());
    QCOMPARE(value, QString());
}

void TestSecrets::turnedOffStoreNeverAnswersWithASecret()
{
    QVERIFY(store(QStringLiteral("k"), QStringLiteral("there")));
    SecretStore secrets(false); // --no-keychain
    secrets.setServiceName(m_service);
    secrets.probe();
    QCOMPARE(secrets.state(), SecretStore::State::Off);
    QString value, error;
    secrets.read(QStringLiteral("k"), this, [&](const QString &v, const QString &e) {
        value = v;
        error = e;
    });
    QVERIFY(error.isEmpty()); // answered from the event loop, never re-entrantly
    QVERIFY(waitFor([&] { return !error.isEmpty(); }));
    QVERIFY(error.contains(QLatin1String("--no-keychain")));
    QCOMPARE(value, QString());
}

void TestSecrets::loginPutsTheBotTokenInTheKeychain()
{
    QVERIFY(startGateway(QJsonObject{{"enabled", false}}));
    QVERIFY(m_gateway->gateway()->secrets()->available());
    http(m_gateway->port(), "POST", "/api/weixin/login/start", "{}", auth());
    QVERIFY(waitFor([&] { return !status().value("accounts").toArray().isEmpty(); }));

    // config.json keeps clawgo's shape with an empty token; desktop.json says where it is; the
    // token is in the keychain under weixin/<bot_id>.
    const QString address = QStringLiteral("channels.weixin.accounts[bot-a@im.bot].bot_token");
    QVERIFY(waitFor([&] {
        return desktopFile().value("secrets").toObject().value("in_keychain").toArray() ==
               QJsonArray{address};
    }));
    QCOMPARE(fileAccount().value("bot_token").toString(), QString());
    QVERIFY(!fileAccount().contains("bot_token_in_keychain"));
    QVERIFY(!m_gateway->readConfigFile().contains("tok-a"));
    QCOMPARE(lookup(QStringLiteral("weixin/bot-a@im.bot")), QStringLiteral("tok-a"));
    QCOMPARE(
        status().value("accounts").toArray().first().toObject().value("token_storage").toString(),
        QStringLiteral("keychain"));
    // The login switched the channel on; polling uses the token.
    QVERIFY(waitFor([&] { return polledWith("tok-a"); }));
}

void TestSecrets::restartReadsTheTokenFromTheKeychain()
{
    // Written by an earlier version: the marker inside the account (which clawgo refuses).
    QVERIFY(store(QStringLiteral("weixin/bot-r@im.bot"), QStringLiteral("tok-r")));
    QVERIFY(startGateway(
        QJsonObject{{"enabled", true},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-r@im.bot"},
                                                        {"bot_token_in_keychain", true},
                                                        {"get_updates_buf", "cur-9"}}}}},
        std::nullopt));
    QVERIFY(waitFor([&] { return polledWith("tok-r"); }));
    QCOMPARE(m_fake->requestsTo("/ilink/bot/getupdates")
                 .first()
                 .body.value("get_updates_buf")
                 .toString(),
             QStringLiteral("cur-9"));
    const QJsonObject account = status().value("accounts").toArray().first().toObject();
    QCOMPARE(account.value("last_error").toString(), QString());
    QVERIFY(!QJsonDocument(status()).toJson().contains("tok-r"));
    // The marker moved to desktop.json at the start; keychain storage stays on for this home.
    QVERIFY(!fileAccount().contains("bot_token_in_keychain"));
    QCOMPARE(desktopFile().value("secrets").toObject().value("keychain").toBool(), true);
    QCOMPARE(desktopFile().value("secrets").toObject().value("in_keychain").toArray(),
             QJsonArray{"channels.weixin.accounts[bot-r@im.bot].bot_token"});
}

void TestSecrets::restartReadsCredentialsMarkedInDesktopJson()
{
    FakeOpenAiServer llm;
    llm.enqueue(FakeLlmReply::chatText(QStringLiteral("hello from the keychain")));
    QVERIFY(store(QStringLiteral("weixin/bot-s@im.bot"), QStringLiteral("tok-s")));
    QVERIFY(store(QStringLiteral("config/models.providers.fake.api_key"),
                  QStringLiteral("sk-from-keychain-0123")));
    m_gateway = std::make_unique<TestGateway>();
    QFile desktop(m_gateway->dir() + QStringLiteral("/desktop.json"));
    QVERIFY(desktop.open(QIODevice::WriteOnly));
    desktop.write(
        QJsonDocument(
            QJsonObject{{"secrets", QJsonObject{{"keychain", true},
                                                {"in_keychain",
                                                 QJsonArray{"channels.weixin.accounts[bot-s@im.bot]"
                                                            ".bot_token",
                                                            "models.providers.fake.api_key"}}}}})
            .toJson());
    desktop.close();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", llm.apiBase()},
                                 {"api_key", ""},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 5},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin"),
                         QJsonObject{{"enabled", true},
                                     {"base_url", m_fake->baseUrl()},
                                     {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-s@im.bot"},
                                                                         {"bot_token", ""}}}}});
    GatewayOptions options;
    options.keychainService = m_service;
    QVERIFY2(m_gateway->start(config, options), qPrintable(m_gateway->error()));
    QVERIFY(waitFor([&] { return polledWith("tok-s"); }, 10000));
    const HttpResult chat =
        http(m_gateway->port(), "POST", "/api/chat",
             QJsonDocument(QJsonObject{{"session", "k"}, {"message", "hi"}}).toJson(), auth());
    QCOMPARE(chat.status, 200);
    QCOMPARE(llm.requests().size(), 1);
    QCOMPARE(llm.requests().first().header("authorization"),
             QByteArray("Bearer sk-from-keychain-0123"));
    // Nothing moved: the files were right as they were.
    QVERIFY(!m_gateway->readConfigFile().contains("sk-from-keychain"));
    QCOMPARE(lookup(QStringLiteral("config/models.providers.fake.api_key")),
             QStringLiteral("sk-from-keychain-0123"));
    // The API masks it like any secret.
    const QByteArray shown = http(m_gateway->port(), "GET", "/api/config", {}, auth()).body;
    QVERIFY(!shown.contains("sk-from-keychain"));
    QVERIFY(shown.contains("\"api_key\": \"********\""));
}

void TestSecrets::plainTokenMovesIntoTheKeychain()
{
    // A config with the token in the file, on a home that keeps credentials in the keychain.
    QVERIFY(startGateway(QJsonObject{
        {"enabled", true},
        {"accounts",
         QJsonArray{QJsonObject{{"bot_id", "bot-p@im.bot"}, {"bot_token", "tok-plain"}}}}}));
    QVERIFY(waitFor([&] { return !m_gateway->readConfigFile().contains("tok-plain"); }));
    QCOMPARE(fileAccount().value("bot_token").toString(), QString());
    QCOMPARE(lookup(QStringLiteral("weixin/bot-p@im.bot")), QStringLiteral("tok-plain"));
    QVERIFY(waitFor([&] { return polledWith("tok-plain"); }));
}

void TestSecrets::existingClawgoHomeKeepsItsCredentialsInItsFile()
{
    // clawgo cannot read keychain entries: a user going back to it must find its tokens.
    QVERIFY(startGateway(
        QJsonObject{{"enabled", true},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-c@im.bot"},
                                                        {"bot_token", "tok-clawgo"}}}}},
        std::nullopt,
        QJsonObject{
            {"models",
             QJsonObject{{"providers",
                          QJsonObject{{"openai", QJsonObject{{"api_key", "sk-clawgo-key-1"},
                                                             {"api_base", "http://127.0.0.1:9/v1"},
                                                             {"models", QJsonArray{"m"}},
                                                             {"timeout_sec", 5}}}}}}}}));
    QVERIFY(waitFor([&] { return polledWith("tok-clawgo"); }));
    QCOMPARE(desktopFile().value("secrets").toObject().value("keychain").toBool(true), false);
    QTest::qWait(200); // a move would have started by now
    QVERIFY(m_gateway->readConfigFile().contains("tok-clawgo"));
    QVERIFY(m_gateway->readConfigFile().contains("sk-clawgo-key-1"));
    QCOMPARE(lookup(QStringLiteral("weixin/bot-c@im.bot")), QString());
    QCOMPARE(lookup(QStringLiteral("config/models.providers.openai.api_key")), QString());
    QCOMPARE(
        status().value("accounts").toArray().first().toObject().value("token_storage").toString(),
        QStringLiteral("config"));
}

void TestSecrets::switchingMovesCredentialsBothWays()
{
    QVERIFY(startGateway(
        QJsonObject{{"enabled", true},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-w@im.bot"},
                                                        {"bot_token", "tok-switch"}}}}},
        std::nullopt,
        QJsonObject{
            {"models",
             QJsonObject{{"providers",
                          QJsonObject{{"openai", QJsonObject{{"api_key", "sk-switch-key-1"},
                                                             {"api_base", "http://127.0.0.1:9/v1"},
                                                             {"models", QJsonArray{"m"}},
                                                             {"timeout_sec", 5}}}}}}}}));
    const auto setKeychain = [&](bool on) {
        QJsonObject config = http(m_gateway->port(), "GET", "/api/config", {}, auth()).json();
        JsonUtil::setValueAt(config, QStringLiteral("secrets.keychain"), on);
        return http(m_gateway->port(), "POST", "/api/config", QJsonDocument(config).toJson(),
                    auth())
            .status;
    };
    // On: both credentials move into the keychain, the files keep clawgo's shape.
    QCOMPARE(setKeychain(true), 200);
    QVERIFY(waitFor([&] {
        return !m_gateway->readConfigFile().contains("tok-switch") &&
               !m_gateway->readConfigFile().contains("sk-switch-key-1");
    }));
    QCOMPARE(lookup(QStringLiteral("weixin/bot-w@im.bot")), QStringLiteral("tok-switch"));
    QCOMPARE(lookup(QStringLiteral("config/models.providers.openai.api_key")),
             QStringLiteral("sk-switch-key-1"));
    QCOMPARE(JsonUtil::valueAt(configFile(), QStringLiteral("models.providers.openai.api_key"))
                 .toString(),
             QString());
    QCOMPARE(desktopFile().value("secrets").toObject().value("in_keychain").toArray().size(), 2);
    // Still in use, still masked.
    QCOMPARE(m_gateway->gateway()->configStore()->keychainStatus().inKeychain, 2);
    QVERIFY(!http(m_gateway->port(), "GET", "/api/config", {}, auth()).body.contains("sk-switch"));

    // Off: back into the files, the entries deleted.
    QCOMPARE(setKeychain(false), 200);
    QVERIFY(waitFor([&] {
        return m_gateway->readConfigFile().contains("tok-switch") &&
               m_gateway->readConfigFile().contains("sk-switch-key-1");
    }));
    QVERIFY(waitFor([&] {
        return lookup(QStringLiteral("weixin/bot-w@im.bot")).isEmpty() &&
               lookup(QStringLiteral("config/models.providers.openai.api_key")).isEmpty();
    }));
    QVERIFY(!desktopFile().value("secrets").toObject().contains("in_keychain"));
    QVERIFY(waitFor([&] { return polledWith("tok-switch"); }));
}

void TestSecrets::removingAnAccountDeletesItsEntry()
{
    QVERIFY(store(QStringLiteral("weixin/bot-d@im.bot"), QStringLiteral("tok-d")));
    QVERIFY(startGateway(
        QJsonObject{{"enabled", true},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-d@im.bot"},
                                                        {"bot_token_in_keychain", true}}}}},
        std::nullopt));
    const HttpResult result = http(m_gateway->port(), "POST", "/api/weixin/accounts/remove",
                                   R"({"bot_id":"bot-d@im.bot"})", auth());
    QCOMPARE(result.status, 200);
    QVERIFY(waitFor([&] { return lookup(QStringLiteral("weixin/bot-d@im.bot")).isEmpty(); }));
    QVERIFY(waitFor([&] { return fileAccount().isEmpty(); }));

    // Removed while its token is on the way into the keychain: the entry does not stay.
    m_gateway.reset();
    QVERIFY(startGateway(QJsonObject{
        {"enabled", true},
        {"accounts",
         QJsonArray{QJsonObject{{"bot_id", "bot-e@im.bot"}, {"bot_token", "tok-e-plain"}}}}}));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/weixin/accounts/remove",
                  R"({"bot_id":"bot-e@im.bot"})", auth())
                 .status,
             200);
    QVERIFY(waitFor([&] { return fileAccount().isEmpty(); }));
    QTRY_VERIFY_WITH_TIMEOUT(lookup(QStringLiteral("weixin/bot-e@im.bot")).isEmpty(), 3000);
    QVERIFY(!m_gateway->readConfigFile().contains("tok-e-plain"));
}

void TestSecrets::missingEntryIsReported()
{
    QVERIFY(startGateway(
        QJsonObject{{"enabled", true},
                    {"accounts", QJsonArray{QJsonObject{{"bot_id", "bot-m@im.bot"},
                                                        {"bot_token_in_keychain", true}}}}},
        std::nullopt));
    QString lastError;
    // "has not given it yet" while the keychain is asked, then what it answered.
    waitFor([&] {
        lastError =
            status().value("accounts").toArray().first().toObject().value("last_error").toString();
        return lastError.contains(QLatin1String("missing"));
    });
    QVERIFY2(lastError.contains(QLatin1String("missing from the system keychain")),
             qPrintable(lastError));
    QCOMPARE(m_fake->requestsTo("/ilink/bot/getupdates").size(), 0);
}

QTEST_MAIN(TestSecrets)
// An OAuth account imported while keychain storage is on: its tokens go to the keychain, the
// credential file keeps the rest, desktop.json marks the file; a restart reads them back, a
// switch to files moves them back, and removing the account leaves nothing behind.
void TestSecrets::oauthTokensLiveInTheKeychain()
{
    FakeOpenAiServer llm;
    QJsonObject extra;
    JsonUtil::setValueAt(
        extra, QStringLiteral("models.providers"),
        QJsonObject{{"qwen", QJsonObject{{"api_base", llm.apiBase()},
                                         {"auth", "oauth"},
                                         {"oauth", QJsonObject{{"provider", "qwen"}}},
                                         {"models", QJsonArray{"qwen-x"}},
                                         {"timeout_sec", 5}}}});
    JsonUtil::setValueAt(extra, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("qwen/qwen-x"));
    QVERIFY(startGateway(QJsonObject{}, true, extra));
    const QByteArray body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"provider\"\r\n\r\nqwen\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"auth.json\"\r\n"
        "Content-Type: application/json\r\n\r\n"
        R"({"access_token":"at-kc-0123456789","refresh_token":"rt-kc-0123456789",)"
        R"("email":"kc@example.com"})"
        "\r\n--XyZ--\r\n";
    const HttpResult imported = http(m_gateway->port(), "POST", "/api/provider/oauth/import", body,
                                     {{"Authorization", "Bearer " + kToken},
                                      {"Content-Type", "multipart/form-data; boundary=XyZ"}});
    QCOMPARE(imported.status, 200);
    const QString path = imported.json()["credential_file"].toString();
    const auto fileBytes = [&path] {
        QFile file(path);
        file.open(QIODevice::ReadOnly);
        return file.readAll();
    };
    QVERIFY2(!fileBytes().contains("at-kc") && !fileBytes().contains("rt-kc"),
             fileBytes().constData());
    QCOMPARE(QJsonDocument::fromJson(fileBytes())["email"].toString(),
             QStringLiteral("kc@example.com"));
    QCOMPARE(desktopFile().value("secrets").toObject().value("oauth_in_keychain").toArray(),
             QJsonArray{path});
    QVERIFY(lookup("oauth/" + path).contains("at-kc-0123456789"));
    QVERIFY(!m_gateway->readConfigFile().contains("at-kc"));
    const auto chatUses = [&](const QByteArray &token) {
        llm.enqueue(FakeLlmReply::chatText(QStringLiteral("ok")));
        const HttpResult chat =
            http(m_gateway->port(), "POST", "/api/chat",
                 QJsonDocument(QJsonObject{{"session", "k"}, {"message", "hi"}}).toJson(), auth());
        return chat.status == 200 && !llm.requests().isEmpty() &&
               llm.requests().last().header("authorization") == "Bearer " + token;
    };
    ProviderRuntime *runtime = m_gateway->gateway()->agent()->providerRuntime();
    QVERIFY(waitFor([&] { return runtime->accounts("qwen").size() == 1; }));
    QVERIFY(chatUses("at-kc-0123456789"));

    // A restart reads the tokens back from the keychain.
    GatewayOptions options;
    options.keychainService = m_service;
    QVERIFY(m_gateway->start(QJsonObject(), options));
    runtime = m_gateway->gateway()->agent()->providerRuntime();
    QVERIFY(waitFor([&] { return runtime->accounts("qwen").size() == 1; }, 10000));
    QVERIFY(chatUses("at-kc-0123456789"));

    // Keychain storage turned off: on the next read the tokens go back into the file.
    ConfigStore *config = m_gateway->gateway()->configStore();
    config->update(QStringLiteral("test"), [](const QJsonObject &file) {
        QJsonObject updated = file;
        JsonUtil::setValueAt(updated, QStringLiteral("secrets.keychain"), false);
        return updated;
    });
    QVERIFY(waitFor(
        [&] { return !desktopFile().value("secrets").toObject().value("keychain").toBool(true); }));
    runtime->reloadAccounts(QStringLiteral("qwen"));
    QVERIFY(waitFor([&] { return fileBytes().contains("at-kc-0123456789"); }));
    QVERIFY(waitFor([&] {
        return desktopFile()
            .value("secrets")
            .toObject()
            .value("oauth_in_keychain")
            .toArray()
            .isEmpty();
    }));
    QVERIFY(waitFor([&] { return lookup("oauth/" + path).isEmpty(); }));

    // Removed: the file goes, and the config forgets it.
    const HttpResult removed =
        http(m_gateway->port(), "POST", "/api/provider/oauth/accounts?provider=qwen",
             QJsonDocument(QJsonObject{{"action", "delete"}, {"credential_file", path}}).toJson(),
             auth());
    QCOMPARE(removed.status, 200);
    QVERIFY(!QFile::exists(path));
}

#include "tst_secrets.moc"
