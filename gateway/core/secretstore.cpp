#include "secretstore.h"

#include "logcategories.h"

#include <QTimer>
#include <memory>
#include <qt6keychain/keychain.h>

namespace {

// A key nobody writes: reading it tells whether the keychain answers without touching (or
// unlocking) any real entry.
const QString kProbeKey = QStringLiteral("probe");

} // namespace

SecretStore::SecretStore(bool useKeychain, QObject *parent)
    : QObject(parent), m_state(useKeychain ? State::Probing : State::Off)
{
    if (!useKeychain)
        m_reason = QStringLiteral("the keychain is turned off (--no-keychain)");
}

void SecretStore::probe()
{
    if (m_state == State::Off)
        return;
    m_state = State::Probing;
    run(Kind::Read, kProbeKey, QString(), this, [this](const Outcome &outcome) {
        if (outcome.error.isEmpty() || outcome.notFound) {
            m_state = State::Available;
            m_reason.clear();
            qCInfo(lcSecrets) << "secrets go to the system keychain";
        } else {
            m_state = State::Unavailable;
            m_reason = QStringLiteral("no system keychain: %1").arg(outcome.error);
            qCInfo(lcSecrets).noquote() << m_reason << "- secrets stay in 0600 files";
        }
        Q_EMIT stateChanged();
    });
}

void SecretStore::read(const QString &key, QObject *context, ReadDone done)
{
    run(Kind::Read, key, QString(), context, [done](const Outcome &outcome) {
        done(outcome.value, outcome.notFound ? QString() : outcome.error);
    });
}

void SecretStore::write(const QString &key, const QString &value, QObject *context, Done done)
{
    run(Kind::Write, key, value, context, [done](const Outcome &outcome) { done(outcome.error); });
}

void SecretStore::remove(const QString &key, QObject *context, Done done)
{
    run(Kind::Remove, key, QString(), context,
        [done](const Outcome &outcome) { done(outcome.notFound ? QString() : outcome.error); });
}

void SecretStore::run(Kind kind, const QString &key, const QString &value, QObject *context,
                      std::function<void(const Outcome &)> done)
{
    if (m_state == State::Off) {
        // Answered from the event loop all the same: callers never see a reentrant answer.
        QPointer<QObject> guard(context);
        QTimer::singleShot(0, this, [guard, done, reason = m_reason] {
            if (guard)
                done(Outcome{{}, reason, false});
        });
        return;
    }
    m_queue.append(Operation{kind, key, value, QPointer<QObject>(context), std::move(done)});
    if (!m_busy)
        startNext();
}

void SecretStore::startNext()
{
    if (m_queue.isEmpty())
        return;
    m_busy = true;
    const Operation operation = m_queue.takeFirst();
    // The job's answer and the timeout race; whichever comes first answers, once, and lets
    // the next call start.
    auto answered = std::make_shared<bool>(false);
    auto answer = [this, answered, operation](const Outcome &outcome) {
        if (*answered)
            return;
        *answered = true;
        if (operation.context)
            operation.done(outcome);
        m_busy = false;
        QTimer::singleShot(0, this, &SecretStore::startNext);
    };

    QKeychain::Job *job = nullptr;
    switch (operation.kind) {
    case Kind::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Kind::Write: {
        auto *write = new QKeychain::WritePasswordJob(m_service);
        write->setTextData(operation.value);
        job = write;
        break;
    }
    case Kind::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setKey(operation.key);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // our fallback is the caller's 0600 file, not QSettings
    connect(job, &QKeychain::Job::finished, this,
            [answer, kind = operation.kind](QKeychain::Job *finished) {
                Outcome outcome;
                switch (finished->error()) {
                case QKeychain::NoError:
                    if (kind == Kind::Read)
                        outcome.value =
                            static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                    break;
                case QKeychain::EntryNotFound:
                    outcome.notFound = true;
                    outcome.error = QStringLiteral("no such entry");
                    break;
                default:
                    outcome.error =
                        finished->errorString().isEmpty()
                            ? QStringLiteral("keychain error %1").arg(int(finished->error()))
                            : finished->errorString();
                    break;
                }
                answer(outcome);
            });
    QTimer::singleShot(m_timeoutMs, this, [answer, seconds = (m_timeoutMs + 999) / 1000] {
        answer(Outcome{
            {}, QStringLiteral("the keychain did not answer within %1 s").arg(seconds), false});
    });
    job->start();
}
