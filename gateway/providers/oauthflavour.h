#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

// The built-in OAuth providers of clawgo (spec/providers.md §3.2): how each signs in (a device
// code or a browser callback with PKCE), its client, its endpoints and its refresh lead, with a
// provider's `oauth.*` config overrides applied. One table for sign-in and refresh.
struct OAuthFlavour
{
    enum class Flow
    {
        None,
        Device,
        Callback
    };

    QString name; // codex, claude, gemini, antigravity, kimi, iflow, qwen
    Flow flow = Flow::None;
    QString clientId;
    QString clientSecret;
    QString authUrl;   // callback: the authorization page; device: the verification page
    QString deviceUrl; // device: where a code is asked for
    QString pollUrl;   // codex: where the device login is polled (others poll tokenUrl)
    QString tokenUrl;
    QString redirectUrl;
    QStringList scopes;
    bool jsonTokenRequests = false; // claude
    bool devicePkce = false;        // qwen
    qint64 refreshLeadSec = 1800;

    bool isKnown() const { return flow != Flow::None; }

    // `flavour` with the `oauth` section's client_id, client_secret, auth_url, token_url,
    // redirect_url, scopes, callback_port and refresh_lead_sec applied. For codex, auth_url is
    // the device-code URL (ignored when it holds /oauth/authorize) and the poll URL follows it;
    // for kimi and qwen, auth_url is the device-code URL.
    static OAuthFlavour forProvider(const QString &flavour, const QJsonObject &oauth);
};
