// OAuth credentials as clawgo keeps them: every auth.json shape an import accepts, the claims
// of an id_token, the file format and its naming, and what a token answer says about the
// account. (Flows, refresh and routes: tst_oauth_flows.)

#include "providers/oauthcredential.h"
#include "providers/oauthrefresh.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {

QString jwt(const QJsonObject &claims)
{
    const auto part = [](const QByteArray &bytes) {
        return QString::fromLatin1(
            bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return part(R"({"alg":"none"})") + QLatin1Char('.') +
           part(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + QStringLiteral(".sig");
}

const QDateTime kNow = QDateTime(QDate(2026, 11, 29), QTime(10, 0, 0), Qt::UTC);

} // namespace

class TestOAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { qputenv("TZ", "UTC"); }
    void importShapes_data();
    void importShapes();
    void importRefusals_data();
    void importRefusals();
    void fileFormatRoundTrip();
    void fileNames_data();
    void fileNames();
    void tokenAnswers_data();
    void tokenAnswers();
};

void TestOAuth::importShapes_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("access");
    QTest::addColumn<QString>("refresh");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("accountId");
    QTest::addColumn<QString>("expire");

    const QString idToken =
        jwt({{"email", "claims@example.com"},
             {"https://api.openai.com/auth",
              QJsonObject{{"chatgpt_account_id", "acct-42"}, {"chatgpt_plan_type", "plus"}}}});
    QTest::newRow("flat CLIProxyAPI file")
        << QByteArray(R"({"access_token":"at-1","refresh_token":"rt-1","email":"flat@example.com",)"
                      R"("account_id":"a-1","expire":"2026-12-01T10:00:00Z","type":"codex"})")
        << "at-1"
        << "rt-1"
        << "flat@example.com"
        << "a-1"
        << "2026-12-01T10:00:00Z";
    QTest::newRow("Gemini CLI token object, numeric expiry_date in ms")
        << QByteArray(R"({"token":{"access_token":"at-2","refresh_token":"rt-2",)"
                      R"("expiry_date":1795000000000,"email":"g@example.com"}})")
        << "at-2"
        << "rt-2"
        << "g@example.com"
        << ""
        << "2026-11-18T11:06:40Z";
    QTest::newRow("auth object")
        << QByteArray(
               R"({"auth":{"access_token":"at-3","refresh_token":"rt-3","expired":"2026-12-02T00:00:00Z"},"alias":"work"})")
        << "at-3"
        << "rt-3"
        << "work"
        << ""
        << "2026-12-02T00:00:00Z";
    QTest::newRow("Codex CLI auth.json, identity from the id_token")
        << QJsonDocument(QJsonObject{{"OPENAI_API_KEY", QJsonValue()},
                                     {"tokens", QJsonObject{{"id_token", idToken},
                                                            {"access_token", "at-4"},
                                                            {"refresh_token", "rt-4"}}},
                                     {"last_refresh", "2026-11-28T09:00:00Z"}})
               .toJson()
        << "at-4"
        << "rt-4"
        << "claims@example.com"
        << "acct-42"
        << "";
    QTest::newRow("only a refresh token") << QByteArray(R"({"refresh_token":"rt-5"})") << ""
                                          << "rt-5"
                                          << ""
                                          << ""
                                          << "";
    QTest::newRow("epoch seconds as text")
        << QByteArray(R"({"access_token":"at-6","expire":"1795000000"})") << "at-6"
        << ""
        << ""
        << ""
        << "2026-11-18T11:06:40Z";
}

void TestOAuth::importShapes()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, access);
    QFETCH(QString, refresh);
    QFETCH(QString, email);
    QFETCH(QString, accountId);
    QFETCH(QString, expire);
    OAuthCredential credential;
    QString error;
    QVERIFY2(OAuthImport::parse(file, "auth.json", "codex", kNow, &credential, &error),
             qPrintable(error));
    QCOMPARE(credential.accessToken, access);
    QCOMPARE(credential.refreshToken, refresh);
    QCOMPARE(credential.email, email);
    QCOMPARE(credential.accountId, accountId);
    QCOMPARE(credential.expire, expire);
    QCOMPARE(credential.provider, QStringLiteral("codex"));
    QVERIFY(!credential.lastRefresh.isEmpty());
    if (!expire.isEmpty())
        QVERIFY(credential.expiry().isValid());
}

void TestOAuth::importRefusals_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("error");
    QTest::newRow("no tokens") << QByteArray(R"({"email":"x@example.com"})")
                               << "auth.json missing access_token/refresh_token in creds.json";
    QTest::newRow("not JSON") << QByteArray("access_token=abc")
                              << "auth.json is not a JSON object: creds.json";
    QTest::newRow("a JSON array") << QByteArray(R"([{"access_token":"a"}])")
                                  << "auth.json is not a JSON object: creds.json";
    QTest::newRow("empty tokens") << QByteArray(R"({"access_token":"  ","tokens":{}})")
                                  << "auth.json missing access_token/refresh_token in creds.json";
}

void TestOAuth::importRefusals()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, error);
    OAuthCredential credential;
    QString message;
    QVERIFY(!OAuthImport::parse(file, "creds.json", "qwen", kNow, &credential, &message));
    QCOMPARE(message, error);
}

void TestOAuth::fileFormatRoundTrip()
{
    OAuthCredential credential;
    credential.provider = "codex";
    credential.accessToken = "at";
    credential.email = "u@example.com";
    credential.models = {"gpt-5.4"};
    const QJsonObject json = credential.toJson();
    // clawgo's format: both tokens always present, other empty fields left out.
    QVERIFY(json.contains("refresh_token"));
    QCOMPARE(json.value("refresh_token").toString(), QString());
    QVERIFY(!json.contains("id_token"));
    QVERIFY(!json.contains("disabled"));
    QCOMPARE(json.value("models").toArray(), QJsonArray{"gpt-5.4"});
    const OAuthCredential back = OAuthCredential::fromJson(json);
    QCOMPARE(back.toJson(), json);
    QCOMPARE(back.label(), QStringLiteral("u@example.com"));
}

void TestOAuth::fileNames_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("accountId");
    QTest::addColumn<QString>("expected");
    QTest::newRow("email") << "User@Example.com"
                           << ""
                           << "user-example-com-20261129-100000.json";
    QTest::newRow("account id") << ""
                                << "--Acc 42--"
                                << "acc-42-20261129-100000.json";
    QTest::newRow("nothing usable") << ""
                                    << "中文"
                                    << "account-20261129-100000.json";
    QTest::newRow("no path tricks") << "../../etc/passwd"
                                    << ""
                                    << "etc-passwd-20261129-100000.json";
}

void TestOAuth::fileNames()
{
    QFETCH(QString, email);
    QFETCH(QString, accountId);
    QFETCH(QString, expected);
    OAuthCredential credential;
    credential.email = email;
    credential.accountId = accountId;
    QCOMPARE(credential.newFileName(kNow), expected);
}

QTEST_GUILESS_MAIN(TestOAuth)
// Who signed in and until when, as each flavour's token answer says it (spec §3.5).
void TestOAuth::tokenAnswers_data()
{
    QTest::addColumn<QString>("flavour");
    QTest::addColumn<QJsonObject>("answer");
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("accountId");
    QTest::addColumn<QString>("expire");
    const QString idToken =
        jwt({{"email", "c@example.com"},
             {"exp", 1798761600}, // 2027-01-01T00:00:00Z
             {"https://api.openai.com/auth", QJsonObject{{"chatgpt_account_id", "acct-9"}}}});
    QTest::newRow("codex: id_token claims, expiry from exp")
        << "codex" << QJsonObject{{"access_token", "a"}, {"id_token", idToken}} << "c@example.com"
        << "acct-9"
        << "2027-01-01T00:00:00Z";
    QTest::newRow("codex: expires_in wins")
        << "codex" << QJsonObject{{"access_token", "a"}, {"id_token", idToken}, {"expires_in", 60}}
        << "c@example.com"
        << "acct-9"
        << "2026-11-29T12:01:00Z";
    QTest::newRow("codex: id_token not a JWT")
        << "codex" << QJsonObject{{"access_token", "a"}, {"id_token", "garbage"}} << ""
        << ""
        << "";
    QTest::newRow("claude: account object")
        << "claude"
        << QJsonObject{{"access_token", "a"},
                       {"account", QJsonObject{{"uuid", "u-1"}, {"email_address", "x@y.z"}}},
                       {"organization", QJsonObject{{"uuid", "o-1"}}}}
        << "x@y.z"
        << "u-1"
        << "";
    QTest::newRow("claude: organization when no account")
        << "claude"
        << QJsonObject{{"access_token", "a"}, {"organization", QJsonObject{{"uuid", "o-1"}}}} << ""
        << "o-1"
        << "";
    QTest::newRow("kimi: device id")
        << "kimi" << QJsonObject{{"refresh_token", "r"}, {"device_id", "d-1"}} << ""
        << ""
        << "";
}

void TestOAuth::tokenAnswers()
{
    QFETCH(QString, flavour);
    QFETCH(QJsonObject, answer);
    QFETCH(QString, email);
    QFETCH(QString, accountId);
    QFETCH(QString, expire);
    OAuthCredential credential;
    QString error;
    const QDateTime now = QDateTime::fromString("2026-11-29T12:00:00Z", Qt::ISODate);
    QVERIFY(OAuthRefresh::applyTokenAnswer(answer, flavour, now, &credential, &error));
    QCOMPARE(credential.email, email);
    QCOMPARE(credential.accountId, accountId);
    QCOMPARE(credential.expiry(),
             expire.isEmpty() ? QDateTime() : QDateTime::fromString(expire, Qt::ISODate));
    // Without any token the answer is refused with clawgo's words.
    QVERIFY(!OAuthRefresh::applyTokenAnswer(QJsonObject{{"token_type", "Bearer"}}, flavour, now,
                                            &credential, &error));
    QCOMPARE(error, QStringLiteral("oauth token payload missing access_token/refresh_token"));
}

#include "tst_oauth.moc"
