#include "logredactor.h"

#include <QRegularExpression>

QString LogRedactor::redact(const QString &text) const
{
    static const QRegularExpression bearer(QStringLiteral("(Bearer\\s+)[^\\s\"',;]+"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression apiKey(QStringLiteral("\\bsk-[A-Za-z0-9_\\-]{6,}"));
    static const QRegularExpression gatewayToken(QStringLiteral("\\bcg_[0-9a-fA-F]{8,}"));
    static const QRegularExpression tokenParam(
        QStringLiteral("((?:[?&]|\\b)(?:token|access_token|api_key|key)=)[^&\\s\"']+"),
        QRegularExpression::CaseInsensitiveOption);
    QString out = text;
    {
        QReadLocker locker(&m_lock);
        for (const QString &secret : m_secrets)
            out.replace(secret, QStringLiteral("[REDACTED]"));
    }
    out.replace(bearer, QStringLiteral("\\1[REDACTED]"));
    out.replace(apiKey, QStringLiteral("sk-[REDACTED]"));
    out.replace(gatewayToken, QStringLiteral("cg_[REDACTED]"));
    out.replace(tokenParam, QStringLiteral("\\1[REDACTED]"));
    return out;
}

void LogRedactor::setKnownSecrets(const QStringList &secrets, const QString &owner)
{
    QWriteLocker locker(&m_lock);
    m_byOwner.insert(owner, secrets);
    m_secrets.clear();
    for (const QStringList &values : std::as_const(m_byOwner))
        for (const QString &value : values)
            if (!value.isEmpty())
                m_secrets << value;
    // Longest first, so a secret that contains another is replaced whole.
    std::sort(m_secrets.begin(), m_secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
}
