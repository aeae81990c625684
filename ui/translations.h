#pragma once

#include <QLocale>

class QTranslator;

namespace Translations {

// Installs the translation for `locale` (the system locale by default) when the binary has
// one; returns the translator (owned by the application) or nullptr.
QTranslator *install(const QLocale &locale = QLocale());

} // namespace Translations
