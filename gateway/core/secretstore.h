#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>

// Secrets in the OS keychain (Secret Service, KWallet, macOS Keychain, Windows credentials)
// through QtKeychain, where one answers. Where none does (a server without a session bus, a
// locked keyring nobody unlocks), available() is false and callers keep the secret in their
// own 0600 file instead (DESIGN.md, "Secrets"). Every call is asynchronous: a keychain may
// show an unlock prompt, and the event loop never waits for it.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Off,
        Probing,
        Available,
        Unavailable
    };

    // `useKeychain` false (--no-keychain) never touches the keychain.
    explicit SecretStore(bool useKeychain, QObject *parent = nullptr);

    // Entries are filed under this service name ("clawgo-desktop"); tests use their own.
    void setServiceName(const QString &name) { m_service = name; }
    QString serviceName() const { return m_service; }
    // How long a keychain call may take before it counts as failed (the probe included).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // Asks the keychain once whether it answers; stateChanged() follows.
    void probe();
    State state() const { return m_state; }
    bool available() const { return m_state == State::Available; }
    bool settled() const { return m_state != State::Probing; }
    // Why the keychain is not used, for status lines ("" when it is).
    QString unavailableReason() const { return m_reason; }

    // `done(value, error)`: value empty with no error means there is no such entry.
    using ReadDone = std::function<void(const QString &value, const QString &error)>;
    using Done = std::function<void(const QString &error)>;
    void read(const QString &key, QObject *context, ReadDone done);
    void write(const QString &key, const QString &value, QObject *context, Done done);
    // Removing an entry that does not exist is not an error.
    void remove(const QString &key, QObject *context, Done done);

Q_SIGNALS:
    void stateChanged();

private:
    enum class Kind
    {
        Read,
        Write,
        Remove
    };
    struct Outcome
    {
        QString value;
        QString error;
        bool notFound = false;
    };
    struct Operation
    {
        Kind kind;
        QString key;
        QString value;
        QPointer<QObject> context;
        std::function<void(const Outcome &)> done;
    };
    void run(Kind kind, const QString &key, const QString &value, QObject *context,
             std::function<void(const Outcome &)> done);
    // One call at a time, so each timeout counts from when its call really starts (QtKeychain
    // queues its jobs too, and one waiting on an unlock prompt holds up the rest).
    void startNext();

    QString m_service = QStringLiteral("clawgo-desktop");
    int m_timeoutMs = 15000;
    State m_state;
    QString m_reason;
    QList<Operation> m_queue;
    bool m_busy = false;
};
