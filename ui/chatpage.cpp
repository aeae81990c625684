#include "chatpage.h"

#include "gatewayhost.h"
#include "transcriptview.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "api/chatcontroller.h"
#include "api/uploadcontroller.h"

#include <QDateTime>
#include <QDesktopServices>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
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
      m_attachment(new QLabel(this)), m_renderTimer(new QTimer(this)),
      m_retry(new QPushButton(tr("Retry"), this))
{
    auto *splitter = new QSplitter(this);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    auto *newButton = new QPushButton(tr("New session"), left);
    leftLayout->addWidget(m_sessions);
    leftLayout->addWidget(newButton);
    auto *right = new QWidget(splitter);
    auto *rightLayout = new QVBoxLayout(right);
    // Links open in the browser; tool: links open and close a tool call in place.
    m_transcript->setOpenLinks(false);
    m_transcript->setAccessibleName(tr("Conversation"));
    connect(m_transcript, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == QLatin1String("tool"))
            toggleToolCall(url.path());
        else if (url.scheme() == QLatin1String("earlier"))
            showEarlier();
        else if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
            QDesktopServices::openUrl(url);
    });
    m_sessions->setAccessibleName(tr("Sessions"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    m_retry->hide();
    m_input->setPlaceholderText(tr("Message the agent (Ctrl+Enter sends)"));
    m_input->setAccessibleName(tr("Message"));
    m_input->setAccessibleDescription(tr("Ctrl+Enter sends"));
    m_input->setMaximumHeight(120);
    m_input->installEventFilter(this);
    m_stop->setEnabled(false);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(m_attach);
    buttons->addWidget(m_attachment, 1);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_send);
    rightLayout->addWidget(m_transcript, 1);
    auto *errorRow = new QHBoxLayout();
    errorRow->addWidget(m_error, 1);
    errorRow->addWidget(m_retry);
    rightLayout->addLayout(errorRow);
    rightLayout->addWidget(m_input);
    rightLayout->addLayout(buttons);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 3);
    splitter->setSizes({200, 600}); // the conversation gets the room; the list stays narrow
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
            m_messages << ChatMessage{QStringLiteral("assistant"),
                                      m_streaming + QStringLiteral("\n\n(stopped)"),
                                      {},
                                      {},
                                      {}};
        m_streaming.clear();
        render();
    });
    connect(m_attach, &QPushButton::clicked, this, &ChatPage::attach);
    connect(m_retry, &QPushButton::clicked, this, [this] { send(m_lastSent); });
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
    m_shownCount = kPageOfMessages;
    m_messages.clear();
    m_streaming.clear();
    m_error->hide();
    m_retry->hide();
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
    if (!path.isEmpty())
        attachFile(path);
}

void ChatPage::attachFile(const QString &path)
{
    m_uploading = true;
    m_send->setEnabled(false);
    m_attachment->setText(tr("Uploading %1…").arg(QFileInfo(path).fileName()));
    m_host->callLater<UploadApi::Stored>(
        this,
        [path](Gateway &gateway, std::function<void(UploadApi::Stored)> deliver) {
            UploadApi::storeLocalFile(gateway.services(), path, &gateway, deliver);
        },
        [this](const UploadApi::Stored &stored) {
            m_uploading = false;
            m_send->setEnabled(!m_turn);
            if (!stored.error.isEmpty()) {
                m_attachedPath.clear();
                m_attachment->setText(tr("Not attached: %1").arg(stored.error));
                return;
            }
            m_attachedPath = stored.path;
            m_attachment->setText(tr("Attached: %1").arg(stored.name));
        });
}

bool ChatPage::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            (key->modifiers() & Qt::ControlModifier)) {
            if (m_send->isEnabled())
                send(m_input->toPlainText());
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ChatPage::send(const QString &textIn)
{
    const QString typed = textIn.trimmed();
    if ((typed.isEmpty() && m_attachedPath.isEmpty()) || m_turn || m_uploading)
        return;
    // The same prompt POST /api/chat builds from "message" and "media".
    const QString text = ChatApi::promptWithMedia(typed, m_attachedPath);
    m_attachedPath.clear();
    m_attachment->clear();
    m_lastSent = text;
    m_input->clear();
    m_error->hide();
    m_retry->hide();
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
        m_send->setEnabled(!m_uploading);
        m_stop->setEnabled(false);
        render();
        reloadSessions();
        refresh(); // the stored history is the truth (tool steps included)
    });
    connect(m_turn, &ChatHandle::failed, this, [this](const QString &error) {
        m_streaming.clear();
        m_turn->deleteLater();
        m_turn = nullptr;
        m_send->setEnabled(!m_uploading);
        m_stop->setEnabled(false);
        // The user's message is in the session already: Retry sends it once more.
        m_error->setText(tr("The agent could not answer: %1").arg(error));
        m_error->show();
        m_retry->show();
        render();
    });
}

QString ChatPage::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

void ChatPage::showEarlier()
{
    m_shownCount += kPageOfMessages;
    const int value =
        m_transcript->verticalScrollBar()->maximum() - m_transcript->verticalScrollBar()->value();
    render();
    // Stay where the reader was: the older messages appear above.
    m_transcript->verticalScrollBar()->setValue(m_transcript->verticalScrollBar()->maximum() -
                                                value);
}

void ChatPage::toggleToolCall(const QString &id)
{
    if (!m_expandedTools.remove(id))
        m_expandedTools.insert(id);
    render();
}

namespace {

// A fenced block that no backtick run inside `text` can close early.
QString codeBlock(const QString &text)
{
    int longest = 0;
    int run = 0;
    for (const QChar c : text) {
        run = c == QLatin1Char('`') ? run + 1 : 0;
        longest = qMax(longest, run);
    }
    const QString fence(qMax(3, longest + 1), QLatin1Char('`'));
    return fence + QLatin1Char('\n') + text + QLatin1Char('\n') + fence + QStringLiteral("\n\n");
}

} // namespace

void ChatPage::render()
{
    // Tool results by the call they answer: shown under the call, not as messages of their own.
    QHash<QString, QString> results;
    for (const ChatMessage &message : std::as_const(m_messages))
        if (message.role == QLatin1String("tool"))
            results.insert(message.toolCallId, message.content);
    QString markdown;
    // A long session shows its last messages; earlier ones come a page at a time on request, so
    // opening a 10 000-message session never lays them all out at once.
    const qsizetype first = qMax<qsizetype>(0, m_messages.size() - m_shownCount);
    if (first > 0)
        markdown += QStringLiteral("[%1](earlier:)\n\n---\n\n")
                        .arg(tr("Show %n earlier message(s)", nullptr,
                                int(qMin<qsizetype>(first, kPageOfMessages))));
    for (const ChatMessage &message : m_messages.mid(first)) {
        if (message.role == QLatin1String("user")) {
            markdown += QStringLiteral("**%1**\n\n%2\n\n---\n\n").arg(tr("You"), message.content);
            continue;
        }
        if (message.role != QLatin1String("assistant"))
            continue;
        if (!message.content.isEmpty())
            markdown += QStringLiteral("**%1**\n\n%2\n\n").arg(tr("Agent"), message.content);
        for (const ToolCall &call : message.toolCalls) {
            const bool answered = results.contains(call.id);
            const QString result = results.value(call.id);
            const QString state = !answered ? tr("running or cut short")
                                  : result.startsWith(QLatin1String("Error: ")) ? tr("failed")
                                                                                : tr("done");
            const bool open = m_expandedTools.contains(call.id);
            markdown += QStringLiteral("%1 [%2](tool:%3) (%4)\n\n")
                            .arg(open ? QStringLiteral("▾") : QStringLiteral("▸"),
                                 tr("Tool %1").arg(call.name), call.id, state);
            if (open) {
                markdown += tr("Arguments:") + QStringLiteral("\n\n") + codeBlock(call.arguments);
                if (answered)
                    markdown += tr("Result:") + QStringLiteral("\n\n") + codeBlock(result);
            }
        }
        if (!message.content.isEmpty() || !message.toolCalls.isEmpty())
            markdown += QStringLiteral("---\n\n");
    }
    if (!m_streaming.isEmpty())
        markdown += QStringLiteral("**%1**\n\n%2").arg(tr("Agent"), m_streaming);
    else if (m_turn)
        markdown += QStringLiteral("*%1*").arg(tr("Thinking…"));
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
