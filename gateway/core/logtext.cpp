#include "logtext.h"

namespace LogText {

QString clip(const QByteArray &text, int maxChars)
{
    QString out;
    const qsizetype shown = qMin<qsizetype>(text.size(), maxChars);
    out.reserve(shown + 24);
    for (qsizetype i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(text.at(i));
        if (c < 0x20 || c == 0x7f)
            out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        else
            out += QChar(c); // Latin-1 view: the bytes as sent, never decoded into surprises
    }
    if (text.size() > shown)
        out += QStringLiteral("…(%1 bytes)").arg(text.size());
    return out;
}

} // namespace LogText
