#pragma once

#include <QPointer>
#include <QTextBrowser>
#include <functional>

// The chat transcript. Model output is Markdown the model chose: it never makes the view load a
// resource (an image at /tmp/fifo, a file of the user's, a URL), only the app's own resources.
// A reply with `![x](/tmp/fifo)` in it would otherwise hang the window on the FIFO.
class TranscriptView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit TranscriptView(QWidget *parent = nullptr);
    QVariant loadResource(int type, const QUrl &name) override;
    // Markdown with code blocks set off (monospace on a tinted background). Links to `msg:`
    // look like the text around them: they only carry a tool tip (see toolTipFor).
    void showMarkdown(const QString &markdown);
    // The tool tip of a `msg:` link (a message's time), asked on hover.
    std::function<QString(const QString &href)> toolTipFor;
    QString toolTipAt(const QPoint &viewportPos) const;

private:
    // Code blocks, quotes, `msg:` headers and tables of a freshly parsed transcript.
    void format(QTextDocument *document) const;
    QPointer<QTextDocument> m_ownDocument; // the shown transcript once showMarkdown ran

protected:
    // Lines stay readable on a wide window: at most about 100 characters.
    void resizeEvent(QResizeEvent *event) override;
    bool viewportEvent(QEvent *event) override;
};
