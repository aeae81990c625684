#include "translations.h"

#include <QCoreApplication>
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
    return translator;
}

} // namespace Translations
