#pragma once

#include <QReadWriteLock>
#include <QString>
#include <QStringList>

// Scrubs secrets out of text before it reaches a log sink: bearer tokens, `sk-` keys, gateway
// tokens, `token=` query values, and the exact secret values of the current config.
class LogRedactor
{
public:
    QString redact(const QString &text) const;
    void setKnownSecrets(const QStringList &secrets);

private:
    mutable QReadWriteLock m_lock;
    QStringList m_secrets;
};
