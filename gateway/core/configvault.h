#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <functional>

class SecretStore;

// The credentials of the config that live in the system keychain (DESIGN.md, "Storage and
// compatibility"). With `secrets.keychain` on and a keychain that answers, each credential the
// key table marks `keychain` is written there, and the files keep "" in its place; desktop.json
// lists the addresses (`secrets.in_keychain`), config.json never mentions the keychain, so
// clawgo still loads it. Turned off, the credentials go back into the files and the entries are
// deleted. The config store asks this class what the files hold and when to write them; the
// document in memory always has the real values.
//
// Order keeps a crash harmless: entries are written before the files that stop holding the
// values, and deleted only after the files hold them again. A marker whose place in the file
// has a value is stale: the file wins.
class ConfigVault : public QObject
{
    Q_OBJECT

public:
    explicit ConfigVault(QObject *parent = nullptr);

    void setSecretStore(SecretStore *store);
    SecretStore *secretStore() const { return m_store; }
    // `secrets.keychain` of a document.
    static bool wanted(const QJsonObject &document);
    // Wanted, and the keychain answers.
    bool usable(const QJsonObject &document) const;

    // The markers of freshly read files: values already known fill their places, the others
    // wait for resolve(). Returns the document with what is known filled in.
    QJsonObject adoptMarkers(const QJsonObject &document, const QStringList &markers);
    bool hasUnresolved() const { return !m_unresolved.isEmpty(); }
    // For validation: unresolved places hold a stand-in, so a required credential that is
    // still on its way from the keychain does not make the config invalid.
    QJsonObject withStandIns(const QJsonObject &document) const;
    bool resolving() const { return m_resolving; }
    // Reads the unresolved entries (once the keychain has answered its probe); `done` gets what
    // was found, address → value.
    void resolve(std::function<void(const QHash<QString, QString> &found)> done);

    // Writes the credentials of `document` the keychain does not hold yet (when usable), then
    // calls `done`. A refused write leaves that credential in the file.
    void store(const QJsonObject &document, std::function<void()> done);
    // What the files hold for `document`: credentials the keychain holds are blanked, and
    // `markers` lists them (and those still unresolved, whose places are blank).
    QJsonObject fileDocument(const QJsonObject &document, QStringList *markers) const;
    // After the files were written with `markers`: entries nobody needs any more are deleted.
    void forgetUnmarked(const QStringList &markers);
    // Whether a save would move credentials in or out of the keychain.
    bool wantsMove(const QJsonObject &document) const;

    // For the status: where a credential of `address` is kept.
    enum class Storage
    {
        File,
        Keychain,
        Unreadable, // the file says keychain, which has not given it (yet)
        Missing,    // the file said keychain, which has no such entry: enter it again
    };
    Storage storageOf(const QString &address) const;
    // Values read from or written to the keychain (for the log redactor).
    QStringList knownValues() const;
    struct Status
    {
        bool wanted = false;
        bool available = false;
        bool probing = false;
        QString reason; // why the keychain is not used, or ""
        int inKeychain = 0;
        QStringList unreadable; // addresses whose value the keychain did not give
    };
    Status status(const QJsonObject &document) const;

Q_SIGNALS:
    void keychainChanged(); // the keychain answered its probe, or stopped answering

private:
    SecretStore *m_store = nullptr;    // owned by the gateway, outlives the store
    QHash<QString, QString> m_held;    // address → value the keychain holds for us
    QHash<QString, QString> m_refused; // address → value the keychain refused to store
    QSet<QString> m_unresolved;        // markers whose value we do not have
    QSet<QString> m_missing;           // markers the keychain had no entry for
    QHash<QString, QString> m_unresolvedWhy;
    bool m_resolving = false;
};
