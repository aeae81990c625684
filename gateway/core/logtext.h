#pragma once

#include <QByteArray>
#include <QString>

namespace LogText {

// Text a client chose (a Host header, an Origin, a path) made fit for one log line: control
// characters escaped and cut to `maxChars`, with the original length noted when cut. A client can
// then neither forge log lines nor make one line as large as its request.
QString clip(const QByteArray &text, int maxChars = 120);

} // namespace LogText
