#include "qrsvg.h"

#include <qrencode.h>

namespace QrSvg {

QByteArray render(const QString &text, QString *error, int quietZone)
{
    const QByteArray data = text.toUtf8();
    QRcode *code = QRcode_encodeString8bit(data.constData(), 0, QR_ECLEVEL_M);
    if (!code) {
        *error = QStringLiteral("qr encode failed");
        return QByteArray();
    }
    const int size = code->width;
    const QByteArray total = QByteArray::number((size + 2 * quietZone) * 8);
    QByteArray svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + total + ' ' +
                     total + "\" shape-rendering=\"crispEdges\"><rect width=\"" + total +
                     "\" height=\"" + total + "\" fill=\"#ffffff\"/><g fill=\"#111111\">";
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            if (code->data[y * size + x] & 1)
                svg += "<rect x=\"" + QByteArray::number((x + quietZone) * 8) + "\" y=\"" +
                       QByteArray::number((y + quietZone) * 8) + "\" width=\"8\" height=\"8\"/>";
    svg += "</g></svg>";
    QRcode_free(code);
    return svg;
}

} // namespace QrSvg
