#include "oauthflavour.h"

#include <QHash>
#include <QJsonArray>
#include <QUrl>

namespace {

const QString kGoogleAuth = QStringLiteral("https://accounts.google.com/o/oauth2/v2/auth");
const QString kGoogleToken = QStringLiteral("https://oauth2.googleapis.com/token");
const QStringList kGoogleScopes{QStringLiteral("https://www.googleapis.com/auth/cloud-platform"),
                                QStringLiteral("https://www.googleapis.com/auth/userinfo.email"),
                                QStringLiteral("https://www.googleapis.com/auth/userinfo.profile")};

QString envOr(const char *name, const QString &fallback)
{
    const QString value = qEnvironmentVariable(name).trimmed();
    return value.isEmpty() ? fallback : value;
}

const QHash<QString, OAuthFlavour> &builtIn()
{
    using Flow = OAuthFlavour::Flow;
    static const QHash<QString, OAuthFlavour> table = [] {
        QHash<QString, OAuthFlavour> all;
        OAuthFlavour codex;
        codex.name = QStringLiteral("codex");
        codex.flow = Flow::Device;
        codex.clientId = QStringLiteral("app_EMoamEEZ73f0CkXaXp7hrann");
        codex.authUrl = QStringLiteral("https://auth.openai.com/codex/device");
        codex.deviceUrl =
            QStringLiteral("https://auth.openai.com/api/accounts/deviceauth/usercode");
        codex.pollUrl = QStringLiteral("https://auth.openai.com/api/accounts/deviceauth/token");
        codex.tokenUrl = QStringLiteral("https://auth.openai.com/oauth/token");
        codex.redirectUrl = QStringLiteral("https://auth.openai.com/deviceauth/callback");
        codex.scopes = QStringList{"openid", "email", "profile", "offline_access"};
        codex.refreshLeadSec = 5 * 24 * 3600;
        all.insert(codex.name, codex);

        OAuthFlavour claude;
        claude.name = QStringLiteral("claude");
        claude.flow = Flow::Callback;
        claude.clientId = QStringLiteral("9d1c250a-e61b-44d9-88ed-5944d1962f5e");
        claude.authUrl = QStringLiteral("https://claude.ai/oauth/authorize");
        claude.tokenUrl = QStringLiteral("https://api.anthropic.com/v1/oauth/token");
        claude.redirectUrl = QStringLiteral("http://localhost:54545/callback");
        claude.scopes = QStringList{"org:create_api_key", "user:profile", "user:inference"};
        claude.jsonTokenRequests = true;
        claude.refreshLeadSec = 4 * 3600;
        all.insert(claude.name, claude);

        OAuthFlavour antigravity;
        antigravity.name = QStringLiteral("antigravity");
        antigravity.flow = Flow::Callback;
        antigravity.clientId =
            envOr("CLAWGO_ANTIGRAVITY_CLIENT_ID",
                  "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com");
        antigravity.clientSecret =
            envOr("CLAWGO_ANTIGRAVITY_CLIENT_SECRET", "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");
        antigravity.authUrl = kGoogleAuth;
        antigravity.tokenUrl = kGoogleToken;
        antigravity.redirectUrl = QStringLiteral("http://localhost:51121/oauth-callback");
        antigravity.scopes = kGoogleScopes;
        antigravity.scopes << QStringLiteral("https://www.googleapis.com/auth/cclog")
                           << QStringLiteral(
                                  "https://www.googleapis.com/auth/experimentsandconfigs");
        antigravity.refreshLeadSec = 5 * 60;
        all.insert(antigravity.name, antigravity);

        OAuthFlavour gemini;
        gemini.name = QStringLiteral("gemini");
        gemini.flow = Flow::Callback;
        gemini.clientId =
            envOr("CLAWGO_GEMINI_CLIENT_ID",
                  "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com");
        gemini.clientSecret =
            envOr("CLAWGO_GEMINI_CLIENT_SECRET", "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");
        gemini.authUrl = kGoogleAuth;
        gemini.tokenUrl = kGoogleToken;
        gemini.redirectUrl = QStringLiteral("http://localhost:8085/oauth2callback");
        gemini.scopes = kGoogleScopes;
        gemini.refreshLeadSec = 30 * 60;
        all.insert(gemini.name, gemini);

        OAuthFlavour kimi;
        kimi.name = QStringLiteral("kimi");
        kimi.flow = Flow::Device;
        kimi.clientId = QStringLiteral("17e5f671-d194-4dfb-9706-5516cb48c098");
        kimi.deviceUrl = QStringLiteral("https://auth.kimi.com/api/oauth/device_authorization");
        kimi.authUrl = kimi.deviceUrl;
        kimi.tokenUrl = QStringLiteral("https://auth.kimi.com/api/oauth/token");
        kimi.refreshLeadSec = 5 * 60;
        all.insert(kimi.name, kimi);

        OAuthFlavour iflow;
        iflow.name = QStringLiteral("iflow");
        iflow.flow = Flow::Callback;
        iflow.clientId = QStringLiteral("10009311001");
        iflow.clientSecret = QStringLiteral("4Z3YjXycVsQvyGF1etiNlIBB4RsqSDtW");
        iflow.authUrl = QStringLiteral("https://iflow.cn/oauth");
        iflow.tokenUrl = QStringLiteral("https://iflow.cn/oauth/token");
        iflow.redirectUrl = QStringLiteral("http://localhost:11451/oauth2callback");
        iflow.refreshLeadSec = 30 * 60;
        all.insert(iflow.name, iflow);

        OAuthFlavour qwen;
        qwen.name = QStringLiteral("qwen");
        qwen.flow = Flow::Device;
        qwen.clientId = QStringLiteral("f0304373b74a44d2b584a3fb70ca9e56");
        qwen.deviceUrl = QStringLiteral("https://chat.qwen.ai/api/v1/oauth2/device/code");
        qwen.authUrl = qwen.deviceUrl;
        qwen.tokenUrl = QStringLiteral("https://chat.qwen.ai/api/v1/oauth2/token");
        qwen.scopes = QStringList{"openid", "profile", "email", "model.completion"};
        qwen.devicePkce = true;
        qwen.refreshLeadSec = 3 * 3600;
        all.insert(qwen.name, qwen);
        return all;
    }();
    return table;
}

} // namespace

OAuthFlavour OAuthFlavour::forProvider(const QString &flavour, const QJsonObject &oauth)
{
    OAuthFlavour result = builtIn().value(flavour);
    const auto text = [&oauth](const char *key) {
        return oauth.value(QLatin1String(key)).toString().trimmed();
    };
    if (!text("client_id").isEmpty())
        result.clientId = text("client_id");
    if (!text("client_secret").isEmpty())
        result.clientSecret = text("client_secret");
    if (!text("token_url").isEmpty())
        result.tokenUrl = text("token_url");
    const QString authUrl = text("auth_url");
    if (!authUrl.isEmpty()) {
        if (result.name == QLatin1String("codex")) {
            if (!authUrl.contains(QLatin1String("/oauth/authorize"))) {
                result.deviceUrl = authUrl;
                result.pollUrl =
                    QString(authUrl).replace(QLatin1String("/usercode"), QLatin1String("/token"));
            }
        } else if (result.flow == Flow::Device) {
            result.deviceUrl = authUrl;
            result.authUrl = authUrl;
        } else {
            result.authUrl = authUrl;
        }
    }
    if (!text("redirect_url").isEmpty()) {
        result.redirectUrl = text("redirect_url");
    } else if (oauth.value("callback_port").toInt() > 0 && result.flow == Flow::Callback) {
        QUrl redirect(result.redirectUrl);
        redirect.setHost(QStringLiteral("localhost"));
        redirect.setPort(oauth.value("callback_port").toInt());
        result.redirectUrl = redirect.toString();
    }
    QStringList scopes;
    for (const QJsonValue &scope : oauth.value("scopes").toArray())
        if (!scope.toString().trimmed().isEmpty())
            scopes << scope.toString().trimmed();
    if (!scopes.isEmpty())
        result.scopes = scopes;
    if (oauth.value("refresh_lead_sec").toInt() > 0)
        result.refreshLeadSec = oauth.value("refresh_lead_sec").toInt();
    return result;
}
