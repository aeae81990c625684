#include "mainwindow.h"

#include "core/loghub.h"
#include "gateway.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

MainWindow::MainWindow(Gateway *gateway, QWidget *parent)
    : QMainWindow(parent), m_gateway(gateway), m_status(new QLabel(this)),
      m_log(new QPlainTextEdit(this))
{
    setWindowTitle(tr("ClawGo Desktop"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    layout->addWidget(m_status);
    layout->addWidget(m_log);
    setCentralWidget(central);
    resize(900, 600);

    auto showUrl = [this](const QString &url) {
        m_status->setText(tr("Gateway API: %1").arg(url));
    };
    showUrl(gateway->apiUrl());
    connect(gateway, &Gateway::listenerChanged, this, showUrl);
    for (const LogEntry &entry : LogHub::instance()->entriesAfter(0))
        appendLog(entry);
    // Queued: entries may be logged from any thread.
    connect(LogHub::instance(), &LogHub::entryAdded, this, &MainWindow::appendLog,
            Qt::QueuedConnection);
}

void MainWindow::appendLog(const LogEntry &entry)
{
    m_log->appendPlainText(QStringLiteral("%1 %2 [%3] %4")
                               .arg(entry.time.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                    entry.level, entry.component, entry.message));
}
