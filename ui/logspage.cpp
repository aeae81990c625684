#include "logspage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
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
      m_search(new QLineEdit(this)), m_follow(new QCheckBox(tr("Follow"), this))
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout();
    m_level->addItem(tr("All levels"), QStringLiteral("DEBUG"));
    m_level->addItem(tr("Info and above"), QStringLiteral("INFO"));
    m_level->addItem(tr("Warnings and errors"), QStringLiteral("WARN"));
    m_level->addItem(tr("Errors only"), QStringLiteral("ERROR"));
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_follow->setChecked(true);
    auto *copy = new QPushButton(tr("Copy"), this);
    auto *exportButton = new QPushButton(tr("Export…"), this);
    bar->addWidget(m_level);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_follow);
    bar->addWidget(copy);
    bar->addWidget(exportButton);
    layout->addLayout(bar);
    m_view->setReadOnly(true);
    m_view->setMaximumBlockCount(kMaxEntries);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_view);

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

void LogsPage::add(const LogEntry &entry)
{
    m_entries.append(entry);
    if (m_entries.size() > kMaxEntries)
        m_entries.removeFirst();
    if (!matches(entry))
        return;
    const int scroll = m_view->verticalScrollBar()->value();
    m_view->appendPlainText(format(entry));
    if (m_follow->isChecked())
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
    else
        m_view->verticalScrollBar()->setValue(scroll);
}

void LogsPage::rebuild()
{
    QStringList lines;
    for (const LogEntry &entry : m_entries)
        if (matches(entry))
            lines << format(entry);
    m_view->setPlainText(lines.join(QLatin1Char('\n')));
    if (m_follow->isChecked())
        m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

QString LogsPage::visibleText() const
{
    return m_view->toPlainText();
}
