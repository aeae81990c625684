#pragma once

#include "transcriptview.h"

#include <QTextBlock>
#include <QTextCursor>

// The tool tip shown on hovering the first message header (`You`, `Agent`) of a transcript, and
// that header's first fragment (to look at its format); empty when there is no such header.
inline QString headerToolTip(const TranscriptView *view, const QStringList &headers,
                             QTextFragment *fragment = nullptr)
{
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        if (!headers.contains(block.text()))
            continue;
        QTextCursor cursor(block);
        cursor.setPosition(block.position() + 1);
        if (fragment)
            *fragment = block.begin().fragment();
        return view->toolTipAt(view->cursorRect(cursor).center() - QPoint(2, 0));
    }
    return QString();
}
