#pragma once

#include <QHash>
#include <QReadWriteLock>
#include <QString>
#include <QStringList>

// Scrubs secrets out of text before it reaches a log sink: bearer tokens, `sk-` keys, gateway
// tokens, `token=` query values, and the exact secret values of the current config.
class LogRedactor
{
public:
    QString redact(const QString &text) const;
    // Secret values by their owner: "config" (the config's secret fields), "keychain" (what
    // was read from the system keychain). Each call replaces that owner's list.
    void setKnownSecrets(const QStringList &secrets,
                         const QString &owner = QStringLiteral("config"));

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, QStringList> m_byOwner;
    QStringList m_secrets; // all owners' values, longest first
};
