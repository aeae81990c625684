#pragma once

#include "oauthcredential.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

// Exchanging a refresh token for a new access token (spec/providers.md §3.2, §3.5): each OAuth
// flavour's token endpoint and client, with the provider's oauth.* overrides, a form request (a
// JSON one for claude), and the answer merged into the account (what the answer leaves out is
// kept). Errors never carry a token.
namespace OAuthRefresh {

struct Endpoint
{
    QString tokenUrl;
    QString clientId;
    QString clientSecret;
    QString scope; // space-separated; empty: none is sent
    bool json = false;
    qint64 leadSec = 1800; // refresh this long before expiry
    QString flavour;
};

// The endpoint of `flavour` ("codex", "claude", "gemini", …) with the `oauth` section's
// token_url, client_id, client_secret, scopes and refresh_lead_sec applied.
Endpoint endpointFor(const QString &flavour, const QJsonObject &oauth);

// Merges a token endpoint's answer into `credential` (what it leaves out is kept) with who
// signed in as the flavour says it (§3.5). False with clawgo's error when it has no token.
bool applyTokenAnswer(const QJsonObject &json, const QString &flavour, const QDateTime &nowUtc,
                      OAuthCredential *credential, QString *error);

using Done = std::function<void(bool ok, const OAuthCredential &updated, const QString &error)>;
// Runs the exchange; `done` runs on `context`'s thread (never when `context` is gone).
void start(const Endpoint &endpoint, const OAuthCredential &credential, const QString &proxy,
           QObject *context, Done done);

} // namespace OAuthRefresh
