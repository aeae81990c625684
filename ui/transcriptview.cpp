#include "transcriptview.h"

#include <QColor>
#include <QFontDatabase>
#include <QImage>
#include <QTextBlock>
#include <QTextCursor>
#include <QUrl>

TranscriptView::TranscriptView(QWidget *parent) : QTextBrowser(parent)
{
    setOpenExternalLinks(true);
    setOpenLinks(true);
    setLineWrapMode(QTextEdit::FixedPixelWidth);
}

void TranscriptView::resizeEvent(QResizeEvent *event)
{
    const int readable = fontMetrics().averageCharWidth() * 100;
    setLineWrapColumnOrWidth(qMin(viewport()->width() - 8, readable));
    QTextBrowser::resizeEvent(event);
}

void TranscriptView::showMarkdown(const QString &markdown)
{
    setMarkdown(markdown);
    const QColor tint = palette().color(QPalette::Text);
    QTextBlockFormat code;
    code.setBackground(QColor(tint.red(), tint.green(), tint.blue(), 22));
    QTextCharFormat mono;
    mono.setFontFixedPitch(true);
    mono.setFontFamilies({QFontDatabase::systemFont(QFontDatabase::FixedFont).family()});
    for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
        if (!block.blockFormat().hasProperty(QTextFormat::BlockCodeFence))
            continue;
        QTextCursor cursor(block);
        cursor.mergeBlockFormat(code);
        cursor.select(QTextCursor::BlockUnderCursor);
        cursor.mergeCharFormat(mono);
    }
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
