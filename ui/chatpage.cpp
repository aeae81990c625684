#include "chatpage.h"

#include "gatewayhost.h"
#include "transcriptview.h"

#include "agent/agentruntime.h"
#include "agent/sessionstore.h"
#include "api/chatcontroller.h"
#include "api/uploadcontroller.h"
#include "core/configstore.h"
#include "providers/providerconfig.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
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
      m_retry(new QPushButton(tr("Retry"), this)), m_filter(new QLineEdit(this)),
      m_model(new QComboBox(this))
{
    auto *splitter = new QSplitter(this);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    auto *newButton = new QPushButton(tr("New session"), left);
    m_filter->setPlaceholderText(tr("Search sessions"));
    m_filter->setAccessibleName(tr("Search sessions"));
    m_filter->setClearButtonEnabled(true);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_sessions);
    leftLayout->addWidget(newButton);
    connect(m_filter, &QLineEdit::textChanged, this, &ChatPage::applyFilter);
    // Right-click (or the context-menu key) on a session: delete it.
    m_sessions->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_sessions, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QListWidgetItem *item = m_sessions->itemAt(at);
        if (!item)
            return;
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        const QString key = item->data(Qt::UserRole).toString();
        menu->addAction(tr("Rename…"), this, [this, key, item] {
            auto *ask = new QInputDialog(this);
            ask->setWindowTitle(tr("Rename session"));
            ask->setLabelText(tr("Name (empty: the first question):"));
            ask->setTextValue(item->text());
            ask->setAttribute(Qt::WA_DeleteOnClose);
            connect(ask, &QInputDialog::textValueSelected, this,
                    [this, key](const QString &title) { renameSession(key, title); });
            ask->open();
        });
        menu->addAction(tr("Delete session…"), this, [this, key] { confirmDelete(key); });
        menu->popup(m_sessions->viewport()->mapToGlobal(at));
    });
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
        else if (url.scheme() == QLatin1String("copy"))
            copyMessage(url.path().toInt());
        else if (url.scheme() == QLatin1String("copycode"))
            copyCode(url.path().section(QLatin1Char('.'), 0, 0).toInt(),
                     url.path().section(QLatin1Char('.'), 1, 1).toInt());
        else if (url.scheme() == QLatin1String("regenerate"))
            regenerate();
        else if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https"))
            QDesktopServices::openUrl(url);
    });
    m_transcript->toolTipFor = [this](const QString &href) {
        const qsizetype index = href.mid(4).toLongLong();
        if (index < 0 || index >= m_messages.size() || !m_messages.at(index).time.isValid())
            return QString();
        return QLocale().toString(m_messages.at(index).time.toLocalTime(), QLocale::LongFormat);
    };
    m_sessions->setAccessibleName(tr("Sessions"));
    // One line per session: the view need not measure a thousand rows to lay them out.
    m_sessions->setUniformItemSizes(true);
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
    // The model this session's turns use: the default (primary, with its fallbacks) or a pick.
    auto *modelRow = new QHBoxLayout();
    auto *modelLabel = new QLabel(tr("&Model:"), right);
    modelLabel->setBuddy(m_model);
    m_model->setAccessibleName(tr("Model for this session"));
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_model->setMinimumContentsLength(16);
    modelRow->addWidget(modelLabel);
    modelRow->addWidget(m_model);
    modelRow->addStretch(1);
    rightLayout->addLayout(modelRow);
    rightLayout->addWidget(m_transcript, 1);
    auto *errorRow = new QHBoxLayout();
    errorRow->addWidget(m_error, 1);
    errorRow->addWidget(m_retry);
    rightLayout->addLayout(errorRow);
    rightLayout->addWidget(m_input);
    rightLayout->addLayout(buttons);
    // Keyboard order: search, sessions, New session, conversation, message, Send, Attach, Stop.
    // Tab leaves the message box (Ctrl+Enter sends) instead of typing a tab.
    m_input->setTabChangesFocus(true);
    setTabOrder(m_filter, m_sessions);
    setTabOrder(m_sessions, newButton);
    setTabOrder(newButton, m_model);
    setTabOrder(m_model, m_transcript);
    setTabOrder(m_transcript, m_input);
    setTabOrder(m_input, m_send);
    setTabOrder(m_send, m_attach);
    setTabOrder(m_attach, m_stop);
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
    connect(m_sessions, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        const QString session = item ? item->data(Qt::UserRole).toString() : QString();
        if (!session.isEmpty() && session != m_session)
            showSession(session);
    });
    connect(m_model, &QComboBox::activated, this, [this](int index) {
        const QString session = m_session;
        const QString model = m_model->itemData(index).toString();
        m_host->post([session, model](Gateway &gateway) {
            gateway.agent()->setSessionModel(session, model);
        });
        Q_EMIT notice(model.isEmpty() ? tr("This session uses the default model.")
                                      : tr("This session uses %1.").arg(model));
    });
    connect(m_host, &GatewayHost::configChanged, this, &ChatPage::reloadModels);
    connect(m_host, &GatewayHost::sessionsPreloaded, this, &ChatPage::reloadSessions);
    connect(m_host, &GatewayHost::started, this, &ChatPage::reloadModels);
    reloadSessions();
    showSession(m_session);
}

void ChatPage::reloadModels()
{
    struct Choices
    {
        QString primary;
        QStringList models;
        QString picked;
    };
    const QString session = m_session;
    m_host->call(
        this,
        [session](Gateway &gateway) {
            const QJsonObject config = gateway.configStore()->effective();
            Choices choices;
            const ProviderConfig::ModelRef primary = ProviderConfig::primary(config);
            if (!primary.provider.isEmpty())
                choices.primary = primary.text();
            const QJsonObject providers = ProviderConfig::providers(config);
            for (auto it = providers.begin(); it != providers.end(); ++it)
                for (const QJsonValue &model : it.value().toObject().value("models").toArray())
                    if (!model.toString().trimmed().isEmpty())
                        choices.models << it.key() + QLatin1Char('/') + model.toString().trimmed();
            choices.picked = gateway.agent()->sessionModel(session);
            return choices;
        },
        [this, session](const Choices &choices) {
            if (session != m_session)
                return;
            const QSignalBlocker blocker(m_model);
            m_model->clear();
            m_model->addItem(choices.primary.isEmpty() ? tr("Default model")
                                                       : tr("Default (%1)").arg(choices.primary),
                             QString());
            for (const QString &model : choices.models)
                m_model->addItem(model, model);
            if (!choices.picked.isEmpty() && m_model->findData(choices.picked) < 0)
                m_model->addItem(choices.picked, choices.picked); // picked, since removed
            m_model->setCurrentIndex(qMax(0, m_model->findData(choices.picked)));
        });
}

void ChatPage::reloadSessions()
{
    using Listed = QList<QPair<QString, QString>>; // key, title
    m_host->callLater<Listed>(
        this,
        [](Gateway &gateway, std::function<void(Listed)> deliver) {
            SessionStore *store = gateway.agent()->sessions();
            store->listKeys(&gateway, [store, deliver](const QStringList &keys) {
                Listed listed;
                for (const QString &key : keys)
                    listed.append({key, store->title(key)});
                deliver(listed);
            });
        },
        [this](const Listed &listed) {
            Listed all = listed;
            const auto contains = [&all](const QString &key) {
                return std::any_of(all.cbegin(), all.cend(),
                                   [&key](const auto &entry) { return entry.first == key; });
            };
            // At start (nothing typed, nothing shown yet) an empty "main" gives way to the
            // sessions that exist.
            if (!m_sessionsListed && !contains(m_session) && !all.isEmpty() &&
                m_messages.isEmpty() && !m_turn) {
                m_sessionsListed = true;
                showSession(all.first().first);
            }
            m_sessionsListed = true;
            if (!contains(m_session))
                all.prepend({m_session, QString()});
            const QSignalBlocker block(m_sessions);
            m_sessions->clear();
            for (const auto &[key, title] : std::as_const(all)) {
                // The first question names the session; the key stays in the tooltip.
                auto *item = new QListWidgetItem(title.isEmpty() ? key : title);
                item->setData(Qt::UserRole, key);
                item->setToolTip(key);
                m_sessions->addItem(item);
                if (key == m_session)
                    m_sessions->setCurrentItem(item);
            }
            applyFilter();
        });
}

void ChatPage::applyFilter()
{
    const QString needle = m_filter->text().trimmed();
    for (int row = 0; row < m_sessions->count(); ++row) {
        QListWidgetItem *item = m_sessions->item(row);
        item->setHidden(!needle.isEmpty() && !item->text().contains(needle, Qt::CaseInsensitive) &&
                        !item->data(Qt::UserRole).toString().contains(needle, Qt::CaseInsensitive));
    }
}

void ChatPage::setSessionFilter(const QString &text)
{
    m_filter->setText(text);
}

QStringList ChatPage::visibleSessionTitles() const
{
    QStringList titles;
    for (int row = 0; row < m_sessions->count(); ++row)
        if (!m_sessions->item(row)->isHidden())
            titles << m_sessions->item(row)->text();
    return titles;
}

void ChatPage::renameSession(const QString &key, const QString &title)
{
    m_host->post(
        [key, title](Gateway &gateway) { gateway.agent()->sessions()->rename(key, title); });
    reloadSessions(); // posted after the rename: the list comes back with the new name
}

void ChatPage::confirmDelete(const QString &key)
{
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Delete session?"),
                                tr("Delete the session \"%1\" and its history? Its files are kept "
                                   "for 30 days as deleted logs, then removed.")
                                    .arg(key),
                                QMessageBox::NoButton, this);
    ask->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    ask->addButton(QMessageBox::Cancel);
    ask->setDefaultButton(QMessageBox::Cancel);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QMessageBox::buttonClicked, this, [this, ask, key](QAbstractButton *button) {
        if (ask->buttonRole(button) == QMessageBox::DestructiveRole)
            deleteSession(key);
    });
    ask->open();
}

void ChatPage::deleteSession(const QString &key)
{
    m_host->callLater<QString>(
        this,
        [key](Gateway &gateway, std::function<void(QString)> deliver) {
            if (gateway.agent()->isBusy(key))
                return deliver(QStringLiteral("busy"));
            gateway.agent()->sessions()->remove(key, &gateway, [deliver](bool ok) {
                deliver(ok ? QString() : QStringLiteral("failed"));
            });
        },
        [this, key](const QString &problem) {
            if (problem == QLatin1String("busy")) {
                m_error->setText(tr("The session is answering; stop it first, then delete it."));
                m_error->show();
                return;
            }
            if (!problem.isEmpty()) {
                m_error->setText(tr("Some files of the session could not be deleted; see the "
                                    "Logs page."));
                m_error->show();
            }
            if (key == m_session) {
                m_sessionsListed = false; // show another session, as at start
                m_session = QStringLiteral("main");
                m_messages.clear();
                render();
            }
            reloadSessions();
        });
}

QStringList ChatPage::sessionKeys() const
{
    QStringList keys;
    for (int row = 0; row < m_sessions->count(); ++row)
        keys << m_sessions->item(row)->data(Qt::UserRole).toString();
    return keys;
}

void ChatPage::newSession()
{
    const QString base =
        QStringLiteral("desktop:%1")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    // Two new sessions within a second must not share their history.
    QString name = base;
    const QStringList existing = sessionKeys();
    for (int n = 2; existing.contains(name) || name == m_session; ++n)
        name = base + QLatin1Char('-') + QString::number(n);
    m_session = name;
    m_messages.clear();
    m_streaming.clear();
    render();
    reloadSessions();
    reloadModels(); // a new session starts on the default model
}

void ChatPage::showSession(const QString &session)
{
    m_session = session;
    reloadModels();
    m_shownCount = kPageOfMessages;
    m_messages.clear();
    m_streaming.clear();
    m_error->hide();
    m_retry->hide();
    render();
    refresh();
}

void ChatPage::messageArrived(const QString &session)
{
    if (session == m_session && !m_turn)
        refresh();
    if (!sessionKeys().contains(session))
        reloadSessions();
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
            m_lastUserText.clear();
            for (qsizetype i = messages.size() - 1; i >= 0 && m_lastUserText.isEmpty(); --i)
                if (messages.at(i).role == QLatin1String("user"))
                    m_lastUserText = messages.at(i).content;
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
    m_lastUserText = text;
    m_input->clear();
    m_error->hide();
    m_retry->hide();
    m_messages << ChatMessage{QStringLiteral("user"),         text, {}, {}, {},
                              QDateTime::currentDateTimeUtc()};
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
        m_messages << ChatMessage{QStringLiteral("assistant"),    reply, {}, {}, {},
                                  QDateTime::currentDateTimeUtc()};
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

void ChatPage::copyMessage(qsizetype index)
{
    if (index < 0 || index >= m_messages.size())
        return;
    QApplication::clipboard()->setText(m_messages.at(index).content);
    Q_EMIT notice(tr("Copied the reply"));
}

void ChatPage::regenerate()
{
    // The same question once more; the session keeps both answers, in order.
    if (!m_turn && !m_lastUserText.isEmpty())
        send(m_lastUserText);
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

// Fenced code blocks of a reply (``` or ~~~, three or more): the pattern both the Copy-code
// links and their handler use, so the n-th link copies the n-th block.
const QRegularExpression &fencedBlock()
{
    static const QRegularExpression pattern(
        QStringLiteral("(?:^|\\n)(`{3,}|~{3,})[^\\n]*\\n(.*?)\\n\\1[ \\t]*(?=\\n|$)"),
        QRegularExpression::DotMatchesEverythingOption);
    return pattern;
}

// The reply with a "Copy code" link after each code block.
QString withCopyLinks(const QString &content, qsizetype index, const QString &label)
{
    QString out;
    qsizetype from = 0;
    int block = 0;
    auto it = fencedBlock().globalMatch(content);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        out += content.mid(from, match.capturedEnd() - from);
        out += QStringLiteral("\n\n[%1](copycode:%2.%3)\n").arg(label).arg(index).arg(block++);
        from = match.capturedEnd();
    }
    return out + content.mid(from);
}

} // namespace

void ChatPage::copyCode(qsizetype index, int block)
{
    if (index < 0 || index >= m_messages.size())
        return;
    auto it = fencedBlock().globalMatch(m_messages.at(index).content);
    for (int n = 0; it.hasNext(); ++n) {
        const QRegularExpressionMatch match = it.next();
        if (n == block) {
            QApplication::clipboard()->setText(match.captured(2));
            Q_EMIT notice(tr("Copied the code"));
            return;
        }
    }
}

void ChatPage::render()
{
    QString markdown;
    // A long session shows its last messages; earlier ones come a page at a time on request, so
    // opening a 10 000-message session never lays them all out at once.
    const qsizetype first = qMax<qsizetype>(0, m_messages.size() - m_shownCount);
    // Tool results by the call they answer: shown under the call, not as messages of their own.
    // A result always follows its call, so only the shown messages are looked at (this runs on
    // every streamed frame).
    QHash<QString, QString> results;
    for (qsizetype i = first; i < m_messages.size(); ++i)
        if (m_messages.at(i).role == QLatin1String("tool"))
            results.insert(m_messages.at(i).toolCallId, m_messages.at(i).content);
    if (first > 0)
        markdown += QStringLiteral("[%1](earlier:)\n\n---\n\n")
                        .arg(tr("Show %n earlier message(s)", nullptr,
                                int(qMin<qsizetype>(first, kPageOfMessages))));
    // The last reply (with text) gets "Regenerate"; every reply gets "Copy".
    qsizetype lastReply = -1;
    for (qsizetype i = m_messages.size() - 1; i >= 0 && lastReply < 0; --i)
        if (m_messages.at(i).role == QLatin1String("assistant") &&
            !m_messages.at(i).content.isEmpty())
            lastReply = i;
    for (qsizetype index = first; index < m_messages.size(); ++index) {
        const ChatMessage &message = m_messages.at(index);
        // The header links to msg:<index> only for its tool tip: when it was said.
        if (message.role == QLatin1String("user")) {
            // One multi-argument arg(): a "%1" typed in the message is never substituted.
            markdown += QStringLiteral("[**%1**](msg:%3)\n\n%2\n\n---\n\n")
                            .arg(tr("You"), message.content, QString::number(index));
            continue;
        }
        if (message.role != QLatin1String("assistant"))
            continue;
        if (!message.content.isEmpty()) {
            markdown +=
                QStringLiteral("[**%1**](msg:%3)\n\n%2\n\n")
                    .arg(tr("Agent"), withCopyLinks(message.content, index, tr("Copy code")),
                         QString::number(index));
            QString actions = QStringLiteral("[%1](copy:%2)").arg(tr("Copy")).arg(index);
            if (index == lastReply && !m_turn && !m_lastUserText.isEmpty())
                actions += QStringLiteral(" · [%1](regenerate:)").arg(tr("Regenerate"));
            markdown += actions + QStringLiteral("\n\n");
        }
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
    if (markdown.isEmpty())
        markdown = QStringLiteral("*%1*").arg(
            tr("Ask the agent anything. It can read and write files in its workspace, run "
               "commands and fetch web pages, as the Tools section of the Config page allows. "
               "Attach a file with \"Attach file…\"; Ctrl+Enter sends."));
    m_transcript->showMarkdown(markdown);
    if (atBottom)
        m_transcript->verticalScrollBar()->setValue(m_transcript->verticalScrollBar()->maximum());
}

QString ChatPage::transcriptText() const
{
    return m_transcript->toPlainText();
}
