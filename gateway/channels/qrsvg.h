#pragma once

#include <QByteArray>
#include <QString>

namespace QrSvg {

// `text` as a QR code (libqrencode, error correction M) in the reference's SVG layout: 8 px
// modules, a 24-module quiet zone, one <rect> per dark module. Empty on failure (`error` set).
// `quietZone`: the API keeps the reference's 24 modules; a window can use the standard 4.
QByteArray render(const QString &text, QString *error, int quietZone = 24);

} // namespace QrSvg
