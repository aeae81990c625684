// ConfigStore, validation, redaction: the config file's life without the HTTP layer.

#include "core/configdefaults.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/configvalidator.h"
#include "core/jsonutil.h"
#include "core/secretredactor.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <csignal>
#include <sys/resource.h>

class TestConfigStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunCreatesPrivateFileWithToken();
    void missingTokenIsGeneratedOnceAndSaved();
    void validation_data();
    void validation();
    void defaultsAreValid();
    void redactionRoundTrip();
    void unknownKeysSurviveSave();
    void failedWriteLeavesOldFileIntact();
    void staleEtagIsRefused();
    void outsideEditIsApplied();
    void invalidOutsideEditKeepsLastGood();
    void desktopJsonJoinsConfigJson();
    void ourKeyTypedIntoConfigJsonWinsAndMoves();
    void brokenDesktopJsonIsRefused();
};

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

QJsonObject readFile(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace

void TestConfigStore::firstRunCreatesPrivateFileWithToken()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state/config.json"));
    ConfigStore store(path);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QVERIFY(store.createdOnLoad());
    QCOMPARE(fileMode(path), 0600);
    QCOMPARE(fileMode(dir.filePath(QStringLiteral("state"))), 0700);
    const QString token =
        JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.token")).toString();
    QVERIFY(QRegularExpression(QStringLiteral("^cg_[0-9a-f]{32}$")).match(token).hasMatch());
    QCOMPARE(JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.host")).toString(),
             QStringLiteral("127.0.0.1"));
    // A second load reads the same token: it is generated once, never per load.
    ConfigStore again(path);
    QVERIFY(again.load(&error));
    QVERIFY(!again.createdOnLoad());
    QCOMPARE(JsonUtil::valueAt(again.effective(), QStringLiteral("gateway.token")).toString(),
             token);
}

void TestConfigStore::missingTokenIsGeneratedOnceAndSaved()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"gateway":{"port":18800},"custom_key":{"keep":"me"}})");
    file.close();
    ConfigStore store(path);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    const QString token =
        JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.token")).toString();
    QVERIFY(token.startsWith(QLatin1String("cg_")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(JsonUtil::valueAt(saved, QStringLiteral("gateway.token")).toString(), token);
    QCOMPARE(JsonUtil::valueAt(saved, QStringLiteral("custom_key.keep")).toString(),
             QStringLiteral("me"));
    QCOMPARE(fileMode(path), 0600);
}

void TestConfigStore::validation_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QString>("expected");
    QTest::newRow("max_tool_iterations")
        << QByteArray(R"({"agents":{"defaults":{"max_tool_iterations":0}}})")
        << "agents.defaults.max_tool_iterations must be > 0";
    QTest::newRow("port range") << QByteArray(R"({"gateway":{"port":70000}})")
                                << "gateway.port must be in 1..65535";
    QTest::newRow("port type") << QByteArray(R"({"gateway":{"port":"abc"}})")
                               << "gateway.port must be a whole number, not a string";
    QTest::newRow("port fraction")
        << QByteArray(R"({"gateway":{"port":80.5}})") << "gateway.port must be a whole number";
    QTest::newRow("open bind without token")
        << QByteArray(R"({"gateway":{"host":"0.0.0.0","token":""}})")
        << "gateway.token must not be empty when gateway.host is not a loopback address";
    QTest::newRow("provider api_base")
        << QByteArray(
               R"({"models":{"providers":{"x":{"timeout_sec":5,"models":["m"]}}},"agents":{"defaults":{"model":{"primary":"x/m"}}}})")
        << "models.providers.x.api_base is required";
    QTest::newRow("provider timeout")
        << QByteArray(
               R"({"models":{"providers":{"openai":{"api_base":"http://h","models":["m"]}}}})")
        << "models.providers.openai.timeout_sec must be > 0";
    QTest::newRow("provider auth")
        << QByteArray(
               R"({"models":{"providers":{"openai":{"api_base":"http://h","models":["m"],"timeout_sec":5,"auth":"magic"}}}})")
        << "models.providers.openai.auth must be one of: bearer, oauth, hybrid, none";
    QTest::newRow("responses api")
        << QByteArray(
               R"({"models":{"providers":{"openai":{"api_base":"http://h","models":["m"],"timeout_sec":5,"responses":{"api":"grpc"}}}}})")
        << "models.providers.openai.responses.api must be one of: responses, chat_completions";
    QTest::newRow("no providers") << QByteArray(R"({"models":{"providers":{}}})")
                                  << "models.providers must contain at least one provider";
    QTest::newRow("unknown primary")
        << QByteArray(R"({"agents":{"defaults":{"model":{"primary":"nope/m"}}}})")
        << "agents.defaults.model.primary \"nope/m\" references unknown provider \"nope\"";
    QTest::newRow("cron order") << QByteArray(R"({"cron":{"min_sleep_sec":50,"max_sleep_sec":10}})")
                                << "cron.min_sleep_sec must be <= cron.max_sleep_sec";
    QTest::newRow("logging size") << QByteArray(R"({"logging":{"max_size_mb":0}})")
                                  << "logging.max_size_mb must be > 0";
    QTest::newRow("webhook scheme") << QByteArray(R"({"sentinel":{"webhook_url":"ftp://h/x"}})")
                                    << "sentinel.webhook_url must use http or https";
    QTest::newRow("telegram token")
        << QByteArray(R"({"channels":{"telegram":{"enabled":true}}})")
        << "channels.telegram.token is required when channels.telegram.enabled=true";
    QTest::newRow("compaction ratio")
        << QByteArray(R"({"agents":{"defaults":{"context_compaction":{"target_ratio":1.5}}}})")
        << "agents.defaults.context_compaction.target_ratio must be > 0 and < 1 when enabled=true";
    QTest::newRow("router rule")
        << QByteArray(R"({"agents":{"router":{"rules":[{"agent_id":"ghost","keywords":["x"]}]}}})")
        << "agents.router.rules[0].agent_id \"ghost\" not found in agents.subagents";
    QTest::newRow("mcp command")
        << QByteArray(
               R"({"tools":{"mcp":{"enabled":true,"servers":{"s":{"enabled":true,"transport":"stdio"}}}}})")
        << "tools.mcp.servers.s.command is required when transport=stdio";
    QTest::newRow("subagent prompt escape")
        << QByteArray(
               R"({"agents":{"subagents":{"w":{"enabled":true,"system_prompt_file":"../x.md"}}}})")
        << "agents.subagents.w.system_prompt_file must stay within workspace";
}

void TestConfigStore::validation()
{
    QFETCH(QByteArray, patch);
    QFETCH(QString, expected);
    const QJsonObject defaults = ConfigKeys::defaults(QStringLiteral("/tmp/cfg"));
    QJsonObject file =
        JsonUtil::deepMerge(baseConfig(QStringLiteral("/tmp/cfg")),
                            QJsonDocument::fromJson(patch).object(), ConfigKeys::userOwnedMaps());
    const QStringList errors =
        ConfigValidator::validate(JsonUtil::deepMerge(defaults, file, ConfigKeys::userOwnedMaps()));
    QVERIFY2(errors.contains(expected), qPrintable(errors.join(QLatin1String(" | "))));
}

void TestConfigStore::defaultsAreValid()
{
    const QJsonObject defaults = ConfigKeys::defaults(QStringLiteral("/tmp/cfg"));
    QJsonObject withToken = defaults;
    JsonUtil::setValueAt(withToken, QStringLiteral("gateway.token"), QStringLiteral("cg_x"));
    const QStringList errors = ConfigValidator::validate(withToken);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1String(" | "))));
}

void TestConfigStore::redactionRoundTrip()
{
    QJsonObject config =
        baseConfig(QStringLiteral("/tmp/cfg"), QStringLiteral("cg_secret_token_value"));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.openai.api_key"),
                         QStringLiteral("sk-live-123456"));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.local.api_key"), QString());
    JsonUtil::setValueAt(config, QStringLiteral("channels.telegram.token"),
                         QStringLiteral("123:telegram"));
    JsonUtil::setValueAt(config, QStringLiteral("tools.mcp.servers.ctx.env.API_TOKEN"),
                         QStringLiteral("mcp-secret"));
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.accounts"),
                         QJsonArray{QJsonObject{{"bot_id", "b1"}, {"bot_token", "wx-one"}},
                                    QJsonObject{{"bot_id", "b2"}, {"bot_token", "wx-two"}}});
    const QJsonObject redacted = SecretRedactor::redact(config);
    const QByteArray text = QJsonDocument(redacted).toJson();
    for (const char *secret : {"cg_secret_token_value", "sk-live-123456", "123:telegram",
                               "mcp-secret", "wx-one", "wx-two"})
        QVERIFY2(!text.contains(secret), secret);
    // Empty secrets stay empty, so a client can tell "not set" from "set".
    QCOMPARE(
        JsonUtil::valueAt(redacted, QStringLiteral("models.providers.local.api_key")).toString(),
        QString());
    // Posting the mask back keeps every stored value, even with accounts reordered.
    QJsonObject incoming = redacted;
    QJsonArray accounts =
        JsonUtil::valueAt(redacted, QStringLiteral("channels.weixin.accounts")).toArray();
    const QJsonValue first = accounts.at(0);
    accounts[0] = accounts.at(1);
    accounts[1] = first;
    JsonUtil::setValueAt(incoming, QStringLiteral("channels.weixin.accounts"), accounts);
    JsonUtil::setValueAt(incoming, QStringLiteral("channels.telegram.token"),
                         QStringLiteral("new-token"));
    const QJsonObject restored = SecretRedactor::restore(incoming, config);
    QCOMPARE(JsonUtil::valueAt(restored, QStringLiteral("gateway.token")).toString(),
             QStringLiteral("cg_secret_token_value"));
    QCOMPARE(
        JsonUtil::valueAt(restored, QStringLiteral("models.providers.openai.api_key")).toString(),
        QStringLiteral("sk-live-123456"));
    QCOMPARE(JsonUtil::valueAt(restored, QStringLiteral("channels.telegram.token")).toString(),
             QStringLiteral("new-token"));
    QCOMPARE(JsonUtil::valueAt(restored, QStringLiteral("tools.mcp.servers.ctx.env.API_TOKEN"))
                 .toString(),
             QStringLiteral("mcp-secret"));
    const QJsonArray restoredAccounts =
        JsonUtil::valueAt(restored, QStringLiteral("channels.weixin.accounts")).toArray();
    QCOMPARE(restoredAccounts.at(0).toObject().value("bot_id").toString(), QStringLiteral("b2"));
    QCOMPARE(restoredAccounts.at(0).toObject().value("bot_token").toString(),
             QStringLiteral("wx-two"));
}

void TestConfigStore::unknownKeysSurviveSave()
{
    QTemporaryDir dir;
    QJsonObject config = baseConfig(dir.path());
    JsonUtil::setValueAt(config, QStringLiteral("future_section.flag"), true);
    JsonUtil::setValueAt(config, QStringLiteral("gateway.extra_knob"), 7);
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(config));
    file.close();
    ConfigStore store(path);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QJsonObject next = store.savedConfig();
    JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), 2);
    QCOMPARE(saveAndWait(store, next, QStringLiteral("test")).status, ConfigStore::SaveResult::Ok);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(JsonUtil::valueAt(saved, QStringLiteral("future_section.flag")).toBool(), true);
    QCOMPARE(JsonUtil::valueAt(saved, QStringLiteral("gateway.extra_knob")).toInt(), 7);
    QCOMPARE(JsonUtil::valueAt(saved, QStringLiteral("cron.max_workers")).toInt(), 2);
    QCOMPARE(fileMode(path), 0600);
    // What clawgo refuses is only what the user put there.
    QCOMPARE(clawgoRefuses(path),
             (QStringList{"json: unknown field \"future_section\" (at future_section)",
                          "json: unknown field \"extra_knob\" (at gateway.extra_knob)"}));
}

void TestConfigStore::failedWriteLeavesOldFileIntact()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    ConfigStore store(path);
    QString error;
    QVERIFY(store.load(&error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();
    file.close();
    QSignalSpy changed(&store, &ConfigStore::changed);

    // A real write failure, even as root: the process may not write files past 64 bytes.
    std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit original;
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &original), 0);
    struct rlimit tiny = original;
    tiny.rlim_cur = 64;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    QJsonObject next = store.savedConfig();
    JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), 3);
    const ConfigStore::SaveResult result = saveAndWait(store, next, QStringLiteral("test"));
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &original), 0);

    QCOMPARE(result.status, ConfigStore::SaveResult::WriteFailed);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(JsonUtil::valueAt(store.effective(), QStringLiteral("cron.max_workers")).toInt(), 4);
    // No temporary file is left behind.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             (QStringList{QStringLiteral("config.json"), QStringLiteral("desktop.json")}));
}

void TestConfigStore::staleEtagIsRefused()
{
    QTemporaryDir dir;
    ConfigStore store(dir.filePath(QStringLiteral("config.json")));
    QString error;
    QVERIFY(store.load(&error));
    const QByteArray etag = store.etag();
    QJsonObject next = store.savedConfig();
    JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), 3);
    QCOMPARE(saveAndWait(store, next, QStringLiteral("a"), etag).status,
             ConfigStore::SaveResult::Ok);
    JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), 5);
    QCOMPARE(saveAndWait(store, next, QStringLiteral("b"), etag).status,
             ConfigStore::SaveResult::Conflict);
    QCOMPARE(JsonUtil::valueAt(store.effective(), QStringLiteral("cron.max_workers")).toInt(), 3);
}

void TestConfigStore::outsideEditIsApplied()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    ConfigStore store(path);
    store.setDebounceInterval(20);
    QString error;
    QVERIFY(store.load(&error));
    QSignalSpy changed(&store, &ConfigStore::changed);
    QJsonObject edited = store.savedConfig();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 9);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(JsonUtil::pretty(edited));
    file.close();
    QVERIFY(changed.wait(3000));
    QCOMPARE(changed.at(0).at(0).toStringList(), QStringList{QStringLiteral("cron")});
    QCOMPARE(changed.at(0).at(1).toString(), QStringLiteral("watcher"));
    QCOMPARE(JsonUtil::valueAt(store.effective(), QStringLiteral("cron.max_workers")).toInt(), 9);
}

void TestConfigStore::invalidOutsideEditKeepsLastGood()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    ConfigStore store(path);
    store.setDebounceInterval(20);
    QString error;
    QVERIFY(store.load(&error));
    QSignalSpy rejected(&store, &ConfigStore::rejected);
    QSignalSpy changed(&store, &ConfigStore::changed);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("{ \"gateway\": { \"port\": 0 } ");
    file.close();
    QVERIFY(rejected.wait(3000));
    QVERIFY(rejected.at(0).at(0).toStringList().first().contains(QLatin1String("not valid JSON")));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"gateway":{"port":0}})");
    file.close();
    QVERIFY(rejected.wait(3000));
    QVERIFY(rejected.last().at(0).toStringList().contains(
        QStringLiteral("gateway.port must be in 1..65535")));
    QCOMPARE(changed.count(), 0);
    QCOMPARE(JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.port")).toInt(), 18790);
}

void TestConfigStore::desktopJsonJoinsConfigJson()
{
    QTemporaryDir dir;
    QJsonObject config = baseConfig(dir.path());
    JsonUtil::setValueAt(config, QStringLiteral("models.providers"),
                         QJsonObject{{"p", QJsonObject{{"api_base", "http://127.0.0.1:9/v1"},
                                                       {"models", QJsonArray{"m"}},
                                                       {"timeout_sec", 5}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("p/m"));
    writeFile(dir.filePath(QStringLiteral("config.json")), JsonUtil::pretty(config));
    // A proxy for p, one for a provider clawgo's CLI has removed meanwhile, and a key of a
    // newer version of ours.
    writeFile(dir.filePath(QStringLiteral("desktop.json")), R"({
        "models": {"providers": {"p": {"network_proxy": "http://127.0.0.1:3128"},
                                 "gone": {"network_proxy": "http://127.0.0.1:3129"}}},
        "gateway": {"allowed_hosts": ["a.example"], "future_knob": 3}})");
    ConfigStore store(dir.filePath(QStringLiteral("config.json")));
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    const QJsonObject effective = store.effective();
    QCOMPARE(ConfigKeys::string(effective, QStringLiteral("models.providers.p.network_proxy")),
             QStringLiteral("http://127.0.0.1:3128"));
    QVERIFY(!ConfigKeys::value(effective, QStringLiteral("models.providers"))
                 .toObject()
                 .contains("gone"));
    QCOMPARE(ConfigKeys::strings(effective, QStringLiteral("gateway.allowed_hosts")),
             QStringList{"a.example"});

    QJsonObject next = store.savedConfig();
    JsonUtil::setValueAt(next, QStringLiteral("cron.max_workers"), 2);
    QCOMPARE(saveAndWait(store, next, QStringLiteral("test")).status, ConfigStore::SaveResult::Ok);
    QCOMPARE(clawgoRefuses(store.path()), QStringList());
    const QJsonObject desktop = readFile(dir.filePath(QStringLiteral("desktop.json")));
    QCOMPARE(JsonUtil::valueAt(desktop, QStringLiteral("gateway.future_knob")).toInt(), 3);
    QCOMPARE(
        JsonUtil::valueAt(desktop, QStringLiteral("models.providers.p.network_proxy")).toString(),
        QStringLiteral("http://127.0.0.1:3128"));
    QCOMPARE(fileMode(dir.filePath(QStringLiteral("desktop.json"))), 0600);
}

void TestConfigStore::ourKeyTypedIntoConfigJsonWinsAndMoves()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    writeFile(path, JsonUtil::pretty(baseConfig(dir.path())));
    writeFile(dir.filePath(QStringLiteral("desktop.json")),
              R"({"gateway": {"allowed_hosts": ["old.example"]}})");
    ConfigStore store(path);
    store.setDebounceInterval(20);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QSignalSpy changed(&store, &ConfigStore::changed);
    QJsonObject edited = readFile(path);
    JsonUtil::setValueAt(edited, QStringLiteral("gateway.allowed_hosts"),
                         QJsonArray{"typed.example"});
    writeFile(path, JsonUtil::pretty(edited));
    QVERIFY(waitFor([&] {
        return ConfigKeys::strings(store.effective(), QStringLiteral("gateway.allowed_hosts")) ==
               QStringList{"typed.example"};
    }));
    // Moved: clawgo loads config.json again, desktop.json has the typed value.
    QVERIFY(waitFor([&] { return clawgoRefuses(path).isEmpty(); }));
    QCOMPARE(JsonUtil::valueAt(readFile(dir.filePath(QStringLiteral("desktop.json"))),
                               QStringLiteral("gateway.allowed_hosts"))
                 .toArray(),
             QJsonArray{"typed.example"});
}

void TestConfigStore::brokenDesktopJsonIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    writeFile(path, JsonUtil::pretty(baseConfig(dir.path())));
    writeFile(dir.filePath(QStringLiteral("desktop.json")), "{ not json");
    {
        ConfigStore store(path);
        QString error;
        QVERIFY(!store.load(&error));
        QVERIFY2(error.contains(QLatin1String("desktop.json is not valid JSON")),
                 qPrintable(error));
    }
    writeFile(dir.filePath(QStringLiteral("desktop.json")), R"({"uploads":{"retention_days":3}})");
    ConfigStore store(path);
    store.setDebounceInterval(20);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QSignalSpy rejected(&store, &ConfigStore::rejected);
    writeFile(dir.filePath(QStringLiteral("desktop.json")), R"({"uploads":{"retention_days":0}})");
    QVERIFY(rejected.wait(3000));
    QVERIFY(rejected.last().at(0).toStringList().contains(
        QStringLiteral("uploads.retention_days must be in 1..3650")));
    QCOMPARE(ConfigKeys::integer(store.effective(), QStringLiteral("uploads.retention_days")), 3);
}

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_configstore.moc"
