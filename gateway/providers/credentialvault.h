#pragma once

#include "oauthcredential.h"

#include "core/background.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <functional>
#include <memory>

class ConfigStore;

// Where an OAuth account's tokens live (DESIGN.md, "Storage and compatibility"). With
// `secrets.keychain` on and a keychain that answers, the access, refresh and id tokens of a
// credential file go to the keychain (entry "oauth/<file path>"), the file keeps everything
// else with "" in their place, and desktop.json lists the file in `secrets.oauth_in_keychain`.
// Otherwise the file holds them, as clawgo writes it. Accounts move between the two when the
// setting changes (on their next load).
//
// Order keeps a crash harmless: the entry is written, then the marker, then the file that stops
// holding the tokens; going back, the file gets them before the marker and the entry go. A
// marked file whose tokens are in it is simply used as it is.
class CredentialVault : public QObject
{
    Q_OBJECT

public:
    explicit CredentialVault(ConfigStore *config, QObject *parent = nullptr);
    ~CredentialVault() override;

    // Keychain storage is on and the keychain answers.
    bool usable() const;
    // Keychain storage is on (secrets.keychain).
    bool wanted() const;
    // The keychain has answered its probe (or will never be asked).
    bool settled() const;
    bool marked(const QString &path) const;
    static QString entryKey(const QString &path) { return QStringLiteral("oauth/") + path; }

    using Done = std::function<void(const QString &error)>;
    // Writes `credential` to `path` (0600, folder 0700), its tokens to the keychain when
    // usable(), else into the file (a marked file moves back).
    void write(const QString &path, const OAuthCredential &credential, Done done);
    // A credential read from a marked file, its tokens filled from the keychain.
    void resolve(const QString &path, const OAuthCredential &credential,
                 std::function<void(const OAuthCredential &resolved, const QString &error)> done);
    // After the file is gone: its entry and marker go too.
    void forget(const QString &path, Done done);

Q_SIGNALS:
    void keychainSettled();

private:
    void writeFile(const QString &path, const OAuthCredential &credential, Done done);
    void setMarked(const QString &path, bool marked, Done done);

    ConfigStore *m_config;
    QHash<QString, bool> m_pendingMarks; // marker changes asked for, not saved yet
    std::unique_ptr<Background::SerialQueue> m_writes;
};
