#include "configdefaults.h"

#include <QRandomGenerator>

namespace ConfigDefaults {

QString generateToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    QString token = QStringLiteral("cg_");
    for (quint32 word : words)
        token += QStringLiteral("%1").arg(word, 8, 16, QLatin1Char('0'));
    return token;
}

const QStringList &sections()
{
    static const QStringList list = {
        QStringLiteral("agents"),  QStringLiteral("channels"), QStringLiteral("models"),
        QStringLiteral("gateway"), QStringLiteral("cron"),     QStringLiteral("tools"),
        QStringLiteral("logging"), QStringLiteral("sentinel"), QStringLiteral("memory")};
    return list;
}

} // namespace ConfigDefaults
