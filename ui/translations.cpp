#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QTranslator>

static void initTranslations()
{
    // The .qm files are a resource of this static library: register it by hand.
    Q_INIT_RESOURCE(ui_translations);
}

namespace Translations {

QTranslator *install(const QLocale &locale)
{
    initTranslations();
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (!translator->load(locale, QStringLiteral("clawgo"), QStringLiteral("_"),
                          QStringLiteral(":/i18n"))) {
        delete translator;
        return nullptr;
    }
    QCoreApplication::installTranslator(translator);
    // Qt's own strings (standard buttons, file dialogs) from Debian's qt6-translations-l10n,
    // when it is installed; parented to our translator so they go together.
    auto *qtStrings = new QTranslator(translator);
    if (qtStrings->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtStrings);
    else
        delete qtStrings;
    return translator;
}

} // namespace Translations
