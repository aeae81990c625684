#include "transcriptview.h"

#include <QColor>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QImage>
#include <QPointer>
#include <QScrollBar>
#include <QSet>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextTable>
#include <QToolTip>
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

QString TranscriptView::toolTipAt(const QPoint &viewportPos) const
{
    const QString href = anchorAt(viewportPos);
    return href.startsWith(QLatin1String("msg:")) && toolTipFor ? toolTipFor(href) : QString();
}

bool TranscriptView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString tip = toolTipAt(help->pos());
        if (!tip.isEmpty()) {
            QToolTip::showText(help->globalPos(), tip, viewport());
            return true;
        }
    }
    return QTextBrowser::viewportEvent(event);
}

void TranscriptView::showMarkdown(const QString &markdown)
{
    // The new transcript is built and formatted in a document of its own, then swapped in.
    // setMarkdown() on the shown document lays it out again after every block it inserts: 30
    // short messages took 12 ms that way, against under 2 ms for a detached build and one
    // layout (bench/windowbench: switching sessions and each streamed frame).
    const QTextDocument *shown = document();
    auto *next = new QTextDocument(this); // parented here: resources still go through loadResource
    next->setUndoRedoEnabled(false);
    next->setDefaultFont(shown->defaultFont());
    next->setDefaultTextOption(shown->defaultTextOption());
    next->setDefaultStyleSheet(shown->defaultStyleSheet());
    next->setDocumentMargin(shown->documentMargin());
    next->setIndentWidth(shown->indentWidth());
    next->setUseDesignMetrics(shown->useDesignMetrics());
    next->setMarkdown(markdown);
    format(next);
    const int scrolled = verticalScrollBar()->value();
    QPointer<QTextDocument> previous = m_ownDocument;
    setDocument(next);
    m_ownDocument = next;
    if (previous && previous != next)
        delete previous.data();
    verticalScrollBar()->setValue(scrolled); // a reader scrolled up stays where they were
}

void TranscriptView::format(QTextDocument *document) const
{
    const QColor tint = palette().color(QPalette::Text);
    QTextBlockFormat code;
    code.setBackground(QColor(tint.red(), tint.green(), tint.blue(), 22));
    QTextCharFormat mono;
    mono.setFontFixedPitch(true);
    mono.setFontFamilies({QFontDatabase::systemFont(QFontDatabase::FixedFont).family()});
    QTextBlockFormat quote;
    quote.setBackground(QColor(tint.red(), tint.green(), tint.blue(), 12));
    QSet<QTextTable *> tables;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        QTextCursor cursor(block);
        if (QTextTable *table = cursor.currentTable())
            tables.insert(table);
        if (block.blockFormat().hasProperty(QTextFormat::BlockQuoteLevel)) {
            cursor.mergeBlockFormat(quote); // a quote stands apart from the reply around it
            continue;
        }
        if (!block.blockFormat().hasProperty(QTextFormat::BlockCodeFence))
            continue;
        cursor.mergeBlockFormat(code);
        cursor.select(QTextCursor::BlockUnderCursor);
        cursor.mergeCharFormat(mono);
    }
    // Message headers carry their time as a tool tip; they must not look like links.
    QTextCharFormat plain;
    plain.setForeground(palette().color(QPalette::Text));
    plain.setFontUnderline(false);
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.charFormat().anchorHref().startsWith(QLatin1String("msg:")))
                continue;
            QTextCursor cursor(document);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.mergeCharFormat(plain);
        }
    // Tables with visible cell borders and some room in the cells.
    for (QTextTable *table : std::as_const(tables)) {
        QTextTableFormat format = table->format();
        format.setBorder(1);
        format.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        format.setBorderBrush(QColor(tint.red(), tint.green(), tint.blue(), 90));
        format.setCellSpacing(0);
        format.setCellPadding(4);
        table->setFormat(format);
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
