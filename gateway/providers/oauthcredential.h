#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// One OAuth account as clawgo keeps it in `<dir>/auth/*.json` (spec/providers.md §3.7), and the
// reading of `auth.json` files brought in by an import (§3.8), so both programs can share the
// same files. Field names and the omission of empty fields follow clawgo's format.
struct OAuthCredential
{
    QString provider;
    QString type;
    QString accessToken;
    QString refreshToken;
    QString idToken;
    QString tokenType;
    QString accountId;
    QString email;
    QString expire;      // RFC 3339
    QString lastRefresh; // RFC 3339
    QStringList models;
    QString projectId;
    QString deviceId;
    QString resourceUrl;
    QString networkProxy;
    QString scope;
    QJsonObject token; // provider-specific extras (Gemini's token metadata)
    bool disabled = false;
    QString disableReason;

    QJsonObject toJson() const;
    static OAuthCredential fromJson(const QJsonObject &object);

    // email | account id | project id: how the account is named in lists and file names.
    QString label() const;
    // The expiry as a time; invalid when unknown.
    QDateTime expiry() const;
    // `<label>-<UTC yyyymmdd-HHMMSS>.json`, the label lower-cased with every run of characters
    // other than [a-z0-9] turned into "-" ("account" when nothing is left).
    QString newFileName(const QDateTime &nowUtc) const;
};

namespace OAuthImport {

// Reads an uploaded auth.json of any shape clawgo accepts (flat CLIProxyAPI files,
// `{"token":{…}}`, `{"auth":{…}}`) and, beyond clawgo, the official Codex CLI's
// `{"tokens":{…}}` and a numeric `expiry_date` (epoch milliseconds, Gemini CLI). Email and
// account id come from the file, else from the id_token's claims. False with clawgo's error
// text when it cannot be used.
bool parse(const QByteArray &bytes, const QString &fileName, const QString &provider,
           const QDateTime &nowUtc, OAuthCredential *credential, QString *error);

// The payload of a JWT (base64url, not verified): empty when `token` is not a JWT.
QJsonObject jwtClaims(const QString &token);

} // namespace OAuthImport
