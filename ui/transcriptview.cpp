#include "transcriptview.h"

#include <QColor>
#include <QImage>
#include <QUrl>

TranscriptView::TranscriptView(QWidget *parent) : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setOpenLinks(true);
}

QVariant TranscriptView::loadResource(int type, const QUrl &name)
{
    // Only what ships inside the app (qrc:) is ever loaded. Anything else gets a harmless
    // answer. It must be a real image for images: given nothing (or a null image), Qt's image
    // handler falls back to QImage::load(name) on the path itself.
    if (name.scheme() == QLatin1String("qrc"))
        return QTextBrowser::loadResource(type, name);
    if (type == QTextDocument::ImageResource) {
        static const QImage placeholder = [] {
            QImage image(16, 16, QImage::Format_ARGB32);
            image.fill(QColor(128, 128, 128, 60));
            return image;
        }();
        return placeholder;
    }
    return QVariant(QByteArray());
}
