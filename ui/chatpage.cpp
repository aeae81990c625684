#include "chatpage.h"

#include "gatewayhost.h"
#include "transcriptview.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"

#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

ChatPage::ChatPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_sessions(new QListWidget(this)),
      m_transcript(new TranscriptView(this)), m_input(new QPlainTextEdit(this)),
      m_send(new QPushButton(tr("Send"), this)), m_stop(new QPushButton(tr("Stop"), this)),
      m_attach(new QPushButton(tr("Attach file…"), this)), m_error(new QLabel(this)),
      m_attachment(new QLabel(this)), m_renderTimer(new QTimer(this))
{
    auto *splitter = new QSplitter(this);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    auto *newButton = new QPushButton(tr("New session"), left);
    leftLayout->addWidget(m_sessions);
    leftLayout->addWidget(newButton);
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    m_transcript->setOpenExternalLinks(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    m_input->setPlaceholderText(tr("Message the agent (Ctrl+Enter sends)"));
    m_input->setMaximumHeight(120);
    m_stop->setEnabled(false);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_attach);
    buttons->addWidget(m_attachment, 1);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_send);
    rightLayout->addWidget(m_transcript, 1);
    rightLayout->addWidget(m_error);
    rightLayout->addWidget(m_input);
    rightLayout->addLayout(buttons);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    m_renderTimer->setSingleShot(true);
    m_renderTimer->setInterval(30); // repaint at most ~30 times a second while streaming
    connect(m_renderTimer, &QTimer::timeout, this, &ChatPage::render);
    connect(m_send, &QPushButton::clicked, this, [this] { send(m_input->toPlainText()); });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_turn) {
            m_turn->cancel();
            m_turn->deleteLater();
            m_turn = nullptr;
        }
        m_stop->setEnabled(false);
        m_send->setEnabled(true);
        if (!m_streaming.isEmpty())
            m_messages << ChatMessage{
                QStringLiteral("assistant"), m_streaming + tr("\n\n*(stopped)*"), {}, {}, {}};
        m_streaming.clear();
        render();
    });
    connect(m_attach, &QPushButton::clicked, this, &ChatPage::attach);
    connect(newButton, &QPushButton::clicked, this, &ChatPage::newSession);
    connect(m_sessions, &QListWidget::currentTextChanged, this, [this](const QString &session) {
        if (!session.isEmpty() && session != m_session)
            showSession(session);
    });
    reloadSessions();
    showSession(m_session);
}

void ChatPage::reloadSessions()
{
    m_host->callLater<QStringList>(
        this,
        [](Gateway &gateway, std::function<void(QStringList)> deliver) {
            gateway.agent()->sessions()->listKeys(&gateway, deliver);
        },
        [this](const QStringList &keys) {
            QStringList all = keys;
            // At start (nothing typed, nothing shown yet) an empty "main" gives way to the
            // sessions that exist.
            if (!m_sessionsListed && !all.contains(m_session) && !all.isEmpty() &&
                m_messages.isEmpty() && !m_turn) {
                m_sessionsListed = true;
                showSession(all.first());
            }
            m_sessionsListed = true;
            if (!all.contains(m_session))
                all.prepend(m_session);
            const QSignalBlocker block(m_sessions);
            m_sessions->clear();
            m_sessions->addItems(all);
            const auto items = m_sessions->findItems(m_session, Qt::MatchExactly);
            if (!items.isEmpty())
                m_sessions->setCurrentItem(items.first());
        });
}

QStringList ChatPage::sessionKeys() const
{
    QStringList keys;
    for (int row = 0; row < m_sessions->count(); ++row)
        keys << m_sessions->item(row)->text();
    return keys;
}

void ChatPage::newSession()
{
    const QString name =
        QStringLiteral("desktop:%1")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    m_session = name;
    m_messages.clear();
    m_streaming.clear();
    render();
    reloadSessions();
}

void ChatPage::showSession(const QString &session)
{
    m_session = session;
    m_messages.clear();
    m_streaming.clear();
    m_error->hide();
    render();
    refresh();
}

void ChatPage::refresh()
{
    const QString session = m_session;
    m_host->callLater<QList<ChatMessage>>(
        this,
        [session](Gateway &gateway, std::function<void(QList<ChatMessage>)> deliver) {
            SessionStore *store = gateway.agent()->sessions();
            store->loadAsync(session, &gateway,
                             [store, session, deliver] { deliver(store->messages(session)); });
        },
        [this, session](const QList<ChatMessage> &messages) {
            // A turn started meanwhile: its end reloads the history anyway.
            if (session != m_session || m_turn)
                return;
            m_messages = messages;
            render();
        });
}

void ChatPage::attach()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Attach a file"));
    if (path.isEmpty())
        return;
    m_attachedPath = path;
    m_attachment->setText(tr("Attached: %1").arg(QFileInfo(path).fileName()));
}

void ChatPage::send(const QString &textIn)
{
    QString text = textIn.trimmed();
    if (!m_attachedPath.isEmpty()) {
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) +
                QStringLiteral("[file: %1]").arg(m_attachedPath);
        m_attachedPath.clear();
        m_attachment->clear();
    }
    if (text.isEmpty() || m_turn)
        return;
    m_input->clear();
    m_error->hide();
    m_messages << ChatMessage{QStringLiteral("user"), text, {}, {}, {}};
    m_streaming.clear();
    m_send->setEnabled(false);
    m_stop->setEnabled(true);
    render();
    m_turn = m_host->chat(m_session, text, this);
    connect(m_turn, &ChatHandle::delta, this, [this](const QString &delta) {
        m_streaming += delta;
        if (!m_renderTimer->isActive())
            m_renderTimer->start();
    });
    connect(m_turn, &ChatHandle::finished, this, [this](const QString &reply) {
        m_messages << ChatMessage{QStringLiteral("assistant"), reply, {}, {}, {}};
        m_streaming.clear();
        m_turn->deleteLater();
        m_turn = nullptr;
        m_send->setEnabled(true);
        m_stop->setEnabled(false);
        render();
        reloadSessions();
        refresh(); // the stored history is the truth (tool steps included)
    });
    connect(m_turn, &ChatHandle::failed, this, [this](const QString &error) {
        m_streaming.clear();
        m_turn->deleteLater();
        m_turn = nullptr;
        m_send->setEnabled(true);
        m_stop->setEnabled(false);
        m_error->setText(tr("The agent could not answer: %1").arg(error));
        m_error->show();
        render();
    });
}

void ChatPage::render()
{
    QString markdown;
    for (const ChatMessage &message : m_messages) {
        if (message.role == QLatin1String("user"))
            markdown += QStringLiteral("**%1**\n\n%2\n\n---\n\n").arg(tr("You"), message.content);
        else if (message.role == QLatin1String("assistant") && !message.content.isEmpty())
            markdown += QStringLiteral("**%1**\n\n%2\n\n---\n\n").arg(tr("Agent"), message.content);
        else if (message.role == QLatin1String("tool"))
            markdown += QStringLiteral("*%1*\n\n").arg(tr("(a tool was used)"));
    }
    if (!m_streaming.isEmpty())
        markdown += QStringLiteral("**%1**\n\n%2").arg(tr("Agent"), m_streaming);
    const bool atBottom = m_transcript->verticalScrollBar()->value() >=
                          m_transcript->verticalScrollBar()->maximum() - 4;
    m_transcript->setMarkdown(markdown);
    if (atBottom)
        m_transcript->verticalScrollBar()->setValue(m_transcript->verticalScrollBar()->maximum());
}

QString ChatPage::transcriptText() const
{
    return m_transcript->toPlainText();
}
