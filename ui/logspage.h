#pragma once

#include "core/loghub.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;

// Live tail of the log ring buffer: level filter, search, follow/pause, copy and export.
// Reads LogHub directly, so it works even while the API listener is down.
class LogsPage : public QWidget
{
    Q_OBJECT

public:
    explicit LogsPage(QWidget *parent = nullptr);
    QString visibleText() const;
    QPlainTextEdit *view() const { return m_view; }
    QString searchSummary() const; // "3 matches", "No line matches …", or empty
    void setSearch(const QString &text);
    QString newLinesText() const; // "3 new lines" while paused, else empty
    void setFollowing(bool follow);

private:
    void add(const LogEntry &entry);
    bool matches(const LogEntry &entry) const;
    void rebuild();
    void updateSummary();
    void appendLine(const LogEntry &entry);
    static QString format(const LogEntry &entry);

    QList<LogEntry> m_entries;
    QPlainTextEdit *m_view;
    QComboBox *m_level;
    QLineEdit *m_search;
    QCheckBox *m_follow;
    QCheckBox *m_wrap;
    class QLabel *m_summary;
    int m_matches = 0;
    class QPushButton *m_newLines;
    int m_unseen = 0; // lines added while paused
};
