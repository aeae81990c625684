// The key table and what reads it: lookups, defaults, clawgo's strict decode, the split into
// config.json and desktop.json, redaction of secrets (URL passwords included) and the check
// that a masked secret is not sent to a new address.

#include "core/configkeys.h"
#include "core/configsecrets.h"
#include "core/jsonutil.h"
#include "core/normalizedconfig.h"
#include "core/secretredactor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QByteArray text(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace

class TestConfigKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void find_data();
    void find();
    void defaultsFitTheirTypesAndClawgoLoadsThem();
    void everyKeyOfTheSpecIsInTheTable_data();
    void everyKeyOfTheSpecIsInTheTable();
    void strictDecode_data();
    void strictDecode();
    void typeErrors_data();
    void typeErrors();
    void split_data();
    void split();
    void typedReadsFallBackToTheTable();
    void redaction_data();
    void redaction();
    void normalizedViewIsRedactedToo();
    void restoreAndUrlPasswords();
    void maskedSecretToANewAddress_data();
    void maskedSecretToANewAddress();
    void keychainAddresses();
};

void TestConfigKeys::find_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("key");
    QTest::newRow("leaf") << "gateway.port"
                          << "gateway.port";
    QTest::newRow("map entry field") << "models.providers.my-llm.api_key"
                                     << "models.providers.*.api_key";
    QTest::newRow("list item field") << "channels.weixin.accounts.3.bot_token"
                                     << "channels.weixin.accounts[].bot_token";
    QTest::newRow("string map value") << "tools.mcp.servers.fs.env.TOKEN"
                                      << "tools.mcp.servers.*.env";
    QTest::newRow("lenient subagent") << "agents.subagents.coder.anything.deep"
                                      << "agents.subagents.*";
    QTest::newRow("our key") << "gateway.allowed_hosts"
                             << "gateway.allowed_hosts";
    QTest::newRow("unknown") << "gateway.nonsense" << QString();
    QTest::newRow("below a leaf") << "gateway.port.x" << QString();
    QTest::newRow("unknown top") << "webui" << QString();
}

void TestConfigKeys::find()
{
    QFETCH(QString, path);
    QFETCH(QString, key);
    const ConfigKey *found = ConfigKeys::find(path);
    QCOMPARE(found ? found->path : QString(), key);
}

void TestConfigKeys::defaultsFitTheirTypesAndClawgoLoadsThem()
{
    const QJsonObject defaults = ConfigKeys::defaults(QStringLiteral("/home/u/.clawgo"));
    QCOMPARE(ConfigKeys::typeErrors(defaults), QStringList());
    QCOMPARE(ConfigKeys::rangeErrors(defaults), QStringList());
    QCOMPARE(JsonUtil::valueAt(defaults, QStringLiteral("agents.defaults.workspace")).toString(),
             QStringLiteral("/home/u/.clawgo/workspace"));
    QCOMPARE(JsonUtil::valueAt(defaults, QStringLiteral("gateway.host")).toString(),
             QStringLiteral("127.0.0.1"));
    QCOMPARE(JsonUtil::valueAt(defaults, QStringLiteral("models.providers")).toObject().keys(),
             QStringList{QStringLiteral("openai")});
    const ConfigKeys::Split halves = ConfigKeys::split(defaults, {});
    QCOMPARE(ConfigKeys::strictDecodeErrors(halves.clawgo), QStringList());
    // Our own defaults went to desktop.json, at the same paths.
    QVERIFY(JsonUtil::valueAt(halves.desktop, QStringLiteral("gateway.allowed_hosts")).isArray());
    QVERIFY(
        JsonUtil::valueAt(halves.clawgo, QStringLiteral("gateway.allowed_hosts")).isUndefined());
    QCOMPARE(JsonUtil::valueAt(halves.desktop, QStringLiteral("uploads.retention_days")).toInt(),
             7);
}

// Every field name of spec/config.md §2, by the clawgo column: a key the table lost would make
// clawgo's own files look foreign.
void TestConfigKeys::everyKeyOfTheSpecIsInTheTable_data()
{
    QTest::addColumn<QString>("path");
    const char *paths[] = {"gateway.host",
                           "gateway.port",
                           "gateway.token",
                           "agents.defaults.workspace",
                           "agents.defaults.model.primary",
                           "agents.defaults.max_tokens",
                           "agents.defaults.temperature",
                           "agents.defaults.max_tool_iterations",
                           "agents.defaults.heartbeat.prompt_template",
                           "agents.defaults.context_compaction.max_transcript_chars",
                           "agents.defaults.execution.tool_parallel_safe_names",
                           "agents.defaults.summary_policy.outcomes_title",
                           "agents.router.policy.intent_max_input_chars",
                           "agents.router.rules.0.keywords",
                           "agents.router.sticky_thread_owner",
                           "agents.communication.default_message_ttl_sec",
                           "models.providers.x.runtime_history_max",
                           "models.providers.x.oauth.refresh_lead_sec",
                           "models.providers.x.oauth.credential_files",
                           "models.providers.x.responses.file_search_vector_store_ids",
                           "models.providers.x.responses.stream_include_usage",
                           "channels.inbound_message_id_dedupe_ttl_seconds",
                           "channels.weixin.default_bot_id",
                           "channels.weixin.accounts.0.get_updates_buf",
                           "channels.weixin.get_updates_buf",
                           "channels.telegram.require_mention_in_groups",
                           "channels.feishu.verification_token",
                           "tools.web.search.max_results",
                           "tools.shell.sandbox.image",
                           "tools.mcp.request_timeout_sec",
                           "tools.mcp.servers.s.package",
                           "tools.mcp.servers.s.working_dir",
                           "cron.max_workers",
                           "logging.retention_days",
                           "sentinel.notify_chat_id",
                           "memory.layers.procedures"};
    for (const char *path : paths)
        QTest::newRow(path) << QString::fromLatin1(path);
}

void TestConfigKeys::everyKeyOfTheSpecIsInTheTable()
{
    QFETCH(QString, path);
    const ConfigKey *key = ConfigKeys::find(path);
    QVERIFY2(key, qPrintable(path));
    QCOMPARE(key->file, ConfigKey::File::Clawgo);
}

void TestConfigKeys::strictDecode_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("clawgo's own") << QByteArray(R"({"gateway":{"host":"h","port":1,"token":""},
        "agents":{"subagents":{"a":{"whatever":{"x":1}}}},
        "tools":{"mcp":{"servers":{"s":{"env":{"K":"v"}}}},"filesystem":{}},
        "channels":{"weixin":{"accounts":[{"bot_id":"b","bot_token":"t"}]}}})")
                                  << QStringList();
    QTest::newRow("our keys")
        << QByteArray(
               R"({"gateway":{"allowed_hosts":[]},"tools":{"filesystem":{"allow_outside_workspace":true}}})")
        << QStringList{"json: unknown field \"allowed_hosts\" (at gateway.allowed_hosts)",
                       "json: unknown field \"allow_outside_workspace\" (at "
                       "tools.filesystem.allow_outside_workspace)"};
    QTest::newRow("proxy of a provider")
        << QByteArray(R"({"models":{"providers":{"p":{"network_proxy":"http://x"}}}})")
        << QStringList{"json: unknown field \"network_proxy\" (at "
                       "models.providers.p.network_proxy)"};
    QTest::newRow("old keychain marker")
        << QByteArray(
               R"({"channels":{"weixin":{"accounts":[{"bot_id":"b","bot_token_in_keychain":true}]}}})")
        << QStringList{"json: unknown field \"bot_token_in_keychain\" (at "
                       "channels.weixin.accounts[0].bot_token_in_keychain)"};
    QTest::newRow("wrong type") << QByteArray(R"({"tools":{"shell":{"timeout":"60s"}}})")
                                << QStringList{
                                       "json: cannot unmarshal a string into a whole number (at "
                                       "tools.shell.timeout)"};
    QTest::newRow("env value not a string")
        << QByteArray(R"({"tools":{"mcp":{"servers":{"s":{"env":{"K":1}}}}}})")
        << QStringList{"json: cannot unmarshal an object into an object (at "
                       "tools.mcp.servers.s.env)"};
    QTest::newRow("nulls are zero values")
        << QByteArray(
               R"({"models":{"providers":{"p":{"responses":{"include":null}}}},"agents":{"router":{"rules":null}}})")
        << QStringList();
}

void TestConfigKeys::strictDecode()
{
    QFETCH(QByteArray, config);
    QFETCH(QStringList, errors);
    QCOMPARE(ConfigKeys::strictDecodeErrors(QJsonDocument::fromJson(config).object()), errors);
}

void TestConfigKeys::typeErrors_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("port as text") << QByteArray(R"({"gateway":{"port":"80"}})")
                                  << QStringList{
                                         "gateway.port must be a whole number, not a string"};
    QTest::newRow("list of numbers") << QByteArray(R"({"gateway":{"allowed_hosts":[1]}})")
                                     << QStringList{"gateway.allowed_hosts must be an array of "
                                                    "strings, not an array"};
    QTest::newRow("account not an object")
        << QByteArray(R"({"channels":{"weixin":{"accounts":["b"]}}})")
        << QStringList{"channels.weixin.accounts must be an array of objects, not an array"};
    QTest::newRow("fraction") << QByteArray(R"({"cron":{"max_workers":1.5}})")
                              << QStringList{"cron.max_workers must be a whole number"};
    QTest::newRow("unknown keys are not checked")
        << QByteArray(R"({"webui":{"x":1},"gateway":{"future":"y"}})") << QStringList();
}

void TestConfigKeys::typeErrors()
{
    QFETCH(QByteArray, config);
    QFETCH(QStringList, errors);
    QCOMPARE(ConfigKeys::typeErrors(QJsonDocument::fromJson(config).object()), errors);
}

void TestConfigKeys::split_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QStringList>("fromDesktop");
    QTest::addColumn<QByteArray>("clawgo");
    QTest::addColumn<QByteArray>("desktop");
    QTest::newRow("ours at the same paths")
        << QByteArray(
               R"({"gateway":{"port":1,"allowed_hosts":["a"]},"models":{"providers":{"p":{"api_base":"b","network_proxy":"http://x"}}}})")
        << QStringList()
        << QByteArray(R"({"gateway":{"port":1},"models":{"providers":{"p":{"api_base":"b"}}}})")
        << QByteArray(
               R"({"gateway":{"allowed_hosts":["a"]},"models":{"providers":{"p":{"network_proxy":"http://x"}}}})");
    QTest::newRow("unknown keys stay where they were")
        << QByteArray(R"({"webui":{"theme":"dark"},"gateway":{"note":"n","port":2}})")
        << QStringList{"gateway.note"}
        << QByteArray(R"({"gateway":{"port":2},"webui":{"theme":"dark"}})")
        << QByteArray(R"({"gateway":{"note":"n"}})");
    QTest::newRow("lists stay whole")
        << QByteArray(
               R"({"channels":{"weixin":{"accounts":[{"bot_id":"a","x":1},{"bot_id":"b"}]}}})")
        << QStringList{"channels.weixin.accounts.0.x"}
        << QByteArray(
               R"({"channels":{"weixin":{"accounts":[{"bot_id":"a","x":1},{"bot_id":"b"}]}}})")
        << QByteArray(R"({})");
    QTest::newRow("empty objects stay clawgo's")
        << QByteArray(R"({"tools":{"filesystem":{}},"agents":{"subagents":{}}})") << QStringList()
        << QByteArray(R"({"agents":{"subagents":{}},"tools":{"filesystem":{}}})")
        << QByteArray(R"({})");
}

void TestConfigKeys::split()
{
    QFETCH(QByteArray, document);
    QFETCH(QStringList, fromDesktop);
    QFETCH(QByteArray, clawgo);
    QFETCH(QByteArray, desktop);
    const ConfigKeys::Split halves =
        ConfigKeys::split(QJsonDocument::fromJson(document).object(),
                          QSet<QString>(fromDesktop.begin(), fromDesktop.end()));
    QCOMPARE(text(halves.clawgo), text(QJsonDocument::fromJson(clawgo).object()));
    QCOMPARE(text(halves.desktop), text(QJsonDocument::fromJson(desktop).object()));
}

void TestConfigKeys::typedReadsFallBackToTheTable()
{
    const QJsonObject config = parse(R"({"gateway":{"port":"oops"},"logging":{"enabled":false},
        "models":{"providers":{"a.b":{"timeout_sec":7}}}})");
    QCOMPARE(ConfigKeys::integer(config, QStringLiteral("gateway.port")), 18790);
    QCOMPARE(ConfigKeys::flag(config, QStringLiteral("logging.enabled")), false);
    QCOMPARE(ConfigKeys::flag(config, QStringLiteral("tools.shell.enabled")), true);
    QCOMPARE(ConfigKeys::integer(config, QStringLiteral("uploads.retention_days")), 7);
    // A provider name with a dot is read by segments.
    QCOMPARE(ConfigKeys::integer(config, QStringList{"models", "providers", "a.b", "timeout_sec"}),
             7);
    QCOMPARE(ConfigKeys::string(config, QStringList{"models", "providers", "a.b", "api_key"}),
             QString());
}

void TestConfigKeys::redaction_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("shown");
    QTest::newRow("gateway token") << "gateway.token"
                                   << "cg_abcdef"
                                   << "********";
    QTest::newRow("provider key") << "models.providers.p.api_key"
                                  << "sk-1"
                                  << "********";
    QTest::newRow("oauth client secret") << "models.providers.p.oauth.client_secret"
                                         << "cs"
                                         << "********";
    QTest::newRow("proxy password") << "models.providers.p.network_proxy"
                                    << "http://bob:hunter2@proxy:8080"
                                    << "http://bob:********@proxy:8080";
    QTest::newRow("proxy without password") << "models.providers.p.network_proxy"
                                            << "http://proxy:8080"
                                            << "http://proxy:8080";
    QTest::newRow("oauth proxy password") << "models.providers.p.oauth.network_proxy"
                                          << "socks5://u:pw-long@h:1"
                                          << "socks5://u:********@h:1";
    QTest::newRow("api base password") << "models.providers.p.api_base"
                                       << "https://u:pw-long@llm.example/v1"
                                       << "https://u:********@llm.example/v1";
    QTest::newRow("telegram") << "channels.telegram.token"
                              << "123:abc"
                              << "********";
    QTest::newRow("feishu encrypt key") << "channels.feishu.encrypt_key"
                                        << "k"
                                        << "********";
    QTest::newRow("web search key") << "tools.web.search.api_key"
                                    << "k"
                                    << "********";
    QTest::newRow("mcp env") << "tools.mcp.servers.s.env.GITHUB_TOKEN"
                             << "ghp_x"
                             << "********";
    QTest::newRow("webhook") << "sentinel.webhook_url"
                             << "https://hooks.example/T0/B0/xyz"
                             << "********";
    QTest::newRow("legacy weixin context") << "channels.weixin.context_token"
                                           << "ctx"
                                           << "********";
    QTest::newRow("empty stays empty") << "models.providers.p.api_key"
                                       << ""
                                       << "";
    QTest::newRow("not a secret") << "gateway.host"
                                  << "127.0.0.1"
                                  << "127.0.0.1";
}

void TestConfigKeys::redaction()
{
    QFETCH(QString, path);
    QFETCH(QString, value);
    QFETCH(QString, shown);
    QJsonObject config;
    JsonUtil::setValueAt(config, path, value);
    QCOMPARE(JsonUtil::valueAt(SecretRedactor::redact(config), path).toString(), shown);
    // Whatever is masked is also scrubbed from log lines (long enough values).
    const QStringList known = SecretRedactor::secretValues(config);
    if (shown != value && value.size() >= 6)
        QVERIFY2(known.contains(value) || known.contains(ConfigKeys::urlPassword(value)),
                 qPrintable(known.join(',')));
}

void TestConfigKeys::normalizedViewIsRedactedToo()
{
    QJsonObject config = ConfigKeys::defaults(QStringLiteral("/c"));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.openai.oauth"),
                         QJsonObject{{"provider", "codex"},
                                     {"client_secret", "cs-very-secret"},
                                     {"network_proxy", "http://u:pw-secret@p:1"}});
    const QByteArray view = text(NormalizedConfig::fromRaw(SecretRedactor::redact(config)));
    QVERIFY(!view.contains("cs-very-secret"));
    QVERIFY(!view.contains("pw-secret"));
    QVERIFY(view.contains("client_secret"));
}

void TestConfigKeys::restoreAndUrlPasswords()
{
    QJsonObject stored;
    JsonUtil::setValueAt(stored, QStringLiteral("models.providers.p.api_key"),
                         QStringLiteral("sk-stored"));
    JsonUtil::setValueAt(stored, QStringLiteral("models.providers.p.network_proxy"),
                         QStringLiteral("http://bob:hunter2@proxy:8080"));
    JsonUtil::setValueAt(stored, QStringLiteral("tools.mcp.servers.s.env"),
                         QJsonObject{{"A", "a-secret"}, {"B", "b-secret"}});
    QJsonObject incoming = SecretRedactor::redact(stored);
    JsonUtil::setValueAt(incoming, QStringLiteral("tools.mcp.servers.s.env.B"),
                         QStringLiteral("b-new"));
    const QJsonObject restored = SecretRedactor::restore(incoming, stored);
    QCOMPARE(JsonUtil::valueAt(restored, QStringLiteral("models.providers.p.api_key")).toString(),
             QStringLiteral("sk-stored"));
    QCOMPARE(
        JsonUtil::valueAt(restored, QStringLiteral("models.providers.p.network_proxy")).toString(),
        QStringLiteral("http://bob:hunter2@proxy:8080"));
    QCOMPARE(JsonUtil::valueAt(restored, QStringLiteral("tools.mcp.servers.s.env")).toObject(),
             (QJsonObject{{"A", "a-secret"}, {"B", "b-new"}}));
    QCOMPARE(ConfigKeys::maskUrlPassword(QStringLiteral("not a url")), QStringLiteral("not a url"));
}

void TestConfigKeys::maskedSecretToANewAddress_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("address");
    QTest::addColumn<QString>("newAddress");
    QTest::addColumn<QString>("problem");
    QTest::newRow("key, api_base") << "models.providers.p.api_key"
                                   << "models.providers.p.api_base"
                                   << "https://evil.example/v1"
                                   << "models.providers.p.api_key: enter it again: "
                                      "models.providers.p.api_base changed";
    QTest::newRow("key, proxy") << "models.providers.p.api_key"
                                << "models.providers.p.network_proxy"
                                << "http://evil:1"
                                << "models.providers.p.api_key: enter it again: "
                                   "models.providers.p.network_proxy changed";
    QTest::newRow("env, command") << "tools.mcp.servers.s.env.T"
                                  << "tools.mcp.servers.s.command"
                                  << "/tmp/evil"
                                  << "tools.mcp.servers.s.env.T: enter it again: "
                                     "tools.mcp.servers.s.command changed";
    QTest::newRow("same address") << "models.providers.p.api_key"
                                  << "models.providers.p.api_base"
                                  << "https://llm.example/v1/"
                                  << "";
}

void TestConfigKeys::maskedSecretToANewAddress()
{
    QFETCH(QString, secret);
    QFETCH(QString, address);
    QFETCH(QString, newAddress);
    QFETCH(QString, problem);
    QJsonObject stored;
    JsonUtil::setValueAt(stored, secret, QStringLiteral("the-secret"));
    JsonUtil::setValueAt(stored, QStringLiteral("models.providers.p.api_base"),
                         QStringLiteral("https://llm.example/v1"));
    JsonUtil::setValueAt(stored, QStringLiteral("tools.mcp.servers.s.command"),
                         QStringLiteral("/usr/bin/server"));
    QJsonObject incoming = SecretRedactor::redact(stored);
    JsonUtil::setValueAt(incoming, address, newAddress);
    const QStringList problems = SecretRedactor::secretsSentElsewhere(incoming, stored);
    if (problem.isEmpty())
        QCOMPARE(problems, QStringList());
    else
        QVERIFY2(problems.size() == 1 && problems.first().startsWith(problem),
                 qPrintable(problems.join('|')));

    // A proxy whose password was posted masked cannot move to another host either.
    QJsonObject withProxy = stored;
    JsonUtil::setValueAt(withProxy, QStringLiteral("models.providers.p.network_proxy"),
                         QStringLiteral("http://bob:pw@proxy:8080"));
    QJsonObject moved = SecretRedactor::redact(withProxy);
    JsonUtil::setValueAt(moved, QStringLiteral("models.providers.p.network_proxy"),
                         QStringLiteral("http://bob:********@elsewhere:8080"));
    QVERIFY(SecretRedactor::secretsSentElsewhere(moved, withProxy)
                .join('|')
                .contains(QLatin1String("models.providers.p.network_proxy (its password)")));
}

void TestConfigKeys::keychainAddresses()
{
    const QJsonObject config = parse(R"({"channels":{"weixin":{"accounts":[
        {"bot_id":"b1","bot_token":"t1","context_token":"c"},{"bot_id":"b2","bot_token":""}]}},
        "models":{"providers":{"p":{"api_key":"k"}}},"gateway":{"token":"cg_x"},
        "tools":{"mcp":{"servers":{"s":{"env":{"E":"v"}}}}}})");
    const QHash<QString, QString> values = ConfigSecrets::values(config);
    QCOMPARE(values.value(QStringLiteral("channels.weixin.accounts[b1].bot_token")),
             QStringLiteral("t1"));
    QCOMPARE(values.value(QStringLiteral("models.providers.p.api_key")), QStringLiteral("k"));
    QCOMPARE(values.value(QStringLiteral("tools.mcp.servers.s.env.E")), QStringLiteral("v"));
    // The local API token and Weixin's session state are not keychain material.
    QCOMPARE(values.size(), 3);
    QVERIFY(ConfigSecrets::positions(config).contains(
        QStringLiteral("channels.weixin.accounts[b2].bot_token")));
    QCOMPARE(ConfigSecrets::keychainKey(QStringLiteral("channels.weixin.accounts[b1].bot_token")),
             QStringLiteral("weixin/b1"));
    QCOMPARE(ConfigSecrets::keychainKey(QStringLiteral("models.providers.p.api_key")),
             QStringLiteral("config/models.providers.p.api_key"));
    QJsonObject legacy = parse(
        R"({"channels":{"weixin":{"accounts":[{"bot_id":"b3","bot_token_in_keychain":true}]}}})");
    QCOMPARE(ConfigSecrets::takeLegacyMarkers(&legacy),
             QStringList{"channels.weixin.accounts[b3].bot_token"});
    QCOMPARE(ConfigKeys::strictDecodeErrors(legacy), QStringList());
}

QTEST_GUILESS_MAIN(TestConfigKeys)
#include "tst_configkeys.moc"
