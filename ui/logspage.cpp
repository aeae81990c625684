#include "logspage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace {
constexpr int kMaxEntries = 5000;

int rank(const QString &level)
{
    static const QStringList order{"DEBUG", "INFO", "WARN", "ERROR", "FATAL"};
    return int(order.indexOf(level));
}
} // namespace

LogsPage::LogsPage(QWidget *parent)
    : QWidget(parent), m_view(new QPlainTextEdit(this)), m_level(new QComboBox(this)),
      m_search(new QLineEdit(this)), m_follow(new QCheckBox(tr("Follow"), this)),
      m_wrap(new QCheckBox(tr("Wrap lines"), this)), m_summary(new QLabel(this)),
      m_newLines(new QPushButton(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout();
    m_level->addItem(tr("All levels"), QStringLiteral("DEBUG"));
    m_level->addItem(tr("Info and above"), QStringLiteral("INFO"));
    m_level->addItem(tr("Warnings and errors"), QStringLiteral("WARN"));
    m_level->addItem(tr("Errors only"), QStringLiteral("ERROR"));
    m_search->setPlaceholderText(tr("Search"));
    m_search->setAccessibleName(tr("Search the log"));
    m_level->setAccessibleName(tr("Levels shown"));
    m_search->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    auto *copy = new QPushButton(tr("Copy"), this);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_summary);
    bar->addWidget(m_follow);
    bar->addWidget(m_wrap);
    bar->addWidget(copy);
    bar->addWidget(exportButton);
    layout->addLayout(bar);
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(kMaxEntries);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setAccessibleName(tr("Log lines"));
    connect(m_wrap, &QCheckBox::toggled, this, [this](bool wrap) {
        m_view->setLineWrapMode(wrap ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    });
    layout->addWidget(m_view);
    layout->addWidget(m_newLines, 0, Qt::AlignRight); // under the lines it announces

    // While paused, new lines are counted; the button goes to them and follows again.
    m_newLines->hide();
    // Its text is the count of new lines; the name says what it does.
    m_newLines->setAccessibleName(tr("Show the new lines"));
    connect(m_newLines, &QPushButton::clicked, this, [this] { m_follow->setChecked(true); });
    connect(m_follow, &QCheckBox::toggled, this, [this](bool follow) {
        if (!follow)
            return;
        m_unseen = 0;
        m_newLines->hide();
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
    });
    connect(m_level, &QComboBox::currentIndexChanged, this, &LogsPage::rebuild);
    connect(m_search, &QLineEdit::textChanged, this, &LogsPage::rebuild);
    connect(copy, &QPushButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_view->textCursor().hasSelection()
                                               ? m_view->textCursor().selectedText()
                                               : visibleText());
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export log"), QStringLiteral("clawgo-log.txt"));
        if (path.isEmpty())
            return;
        const QByteArray text = visibleText().toUtf8();
        // Written on the thread pool: the window never waits for the disk.
        (void)QtConcurrent::run([path, text] {
            QSaveFile file(path);
            if (file.open(QIODevice::WriteOnly)) {
                file.write(text);
                file.commit();
            }
        });
    });
    for (const LogEntry &entry : LogHub::instance()->entriesAfter(0))
        add(entry);
    m_view->horizontalScrollBar()->setValue(0);
    // Queued: entries come from any thread (the gateway has its own).
    connect(LogHub::instance(), &LogHub::entryAdded, this, &LogsPage::add, Qt::QueuedConnection);
}

QString LogsPage::format(const LogEntry &entry)
{
    return QStringLiteral("%1 %2 [%3] %4")
        .arg(entry.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
             entry.level.leftJustified(5), entry.component, entry.message);
}

bool LogsPage::matches(const LogEntry &entry) const
{
    if (rank(entry.level) < rank(m_level->currentData().toString()))
        return false;
    const QString needle = m_search->text().trimmed();
    return needle.isEmpty() || format(entry).contains(needle, Qt::CaseInsensitive);
}

void LogsPage::appendLine(const LogEntry &entry)
{
    // Colour per level; the time, level and component columns come first on every line.
    QTextCharFormat format;
    if (entry.level == QLatin1String("ERROR") || entry.level == QLatin1String("FATAL"))
        format.setForeground(QColor(0xc6, 0x28, 0x28));
    else if (entry.level == QLatin1String("WARN"))
        format.setForeground(QColor(0xb2, 0x6a, 0x00));
    else if (entry.level == QLatin1String("DEBUG"))
        format.setForeground(palette().color(QPalette::PlaceholderText));
    QTextCursor cursor(m_view->document());
    cursor.movePosition(QTextCursor::End);
    if (!m_view->document()->isEmpty())
        cursor.insertBlock();
    cursor.insertText(LogsPage::format(entry), format);
}

void LogsPage::add(const LogEntry &entry)
{
    m_entries.append(entry);
    if (m_entries.size() > kMaxEntries)
        m_entries.removeFirst();
    if (!matches(entry))
        return;
    const int scroll = m_view->verticalScrollBar()->value();
    // Appending never scrolls sideways: the columns at the start of the line stay visible.
    const int sideways = m_view->horizontalScrollBar()->value();
    appendLine(entry);
    if (!m_search->text().trimmed().isEmpty()) {
        ++m_matches;
        updateSummary();
    }
    if (m_follow->isChecked()) {
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
    } else {
        m_view->verticalScrollBar()->setValue(scroll);
        ++m_unseen;
        m_newLines->setText(tr("%n new line(s)", nullptr, m_unseen));
        m_newLines->show();
    }
    m_view->horizontalScrollBar()->setValue(sideways);
}

void LogsPage::rebuild()
{
    m_view->clear();
    m_matches = 0;
    for (const LogEntry &entry : std::as_const(m_entries))
        if (matches(entry)) {
            appendLine(entry);
            ++m_matches;
        }
    updateSummary();
    if (m_follow->isChecked())
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
    m_view->horizontalScrollBar()->setValue(0);
}

void LogsPage::updateSummary()
{
    const QString needle = m_search->text().trimmed();
    if (needle.isEmpty())
        m_summary->clear();
    else if (m_matches == 0)
        m_summary->setText(tr("No line matches \"%1\"").arg(needle));
    else
        m_summary->setText(tr("%n match(es)", nullptr, m_matches));
}

QString LogsPage::newLinesText() const
{
    return m_newLines->isVisibleTo(this) ? m_newLines->text() : QString();
}

void LogsPage::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

QString LogsPage::searchSummary() const
{
    return m_summary->text();
}

void LogsPage::setSearch(const QString &text)
{
    m_search->setText(text);
}

QString LogsPage::visibleText() const
{
    return m_view->toPlainText();
}
