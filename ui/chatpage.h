#pragma once

#include "core/chatmessage.h"

#include <QPointer>
#include <QSet>
#include <QWidget>

class ChatHandle;
class GatewayHost;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class TranscriptView;
class QTimer;

// Talk to the agent: sessions on the left, the conversation rendered as Markdown, the reply
// streaming in as it is generated, stop, attach a file, new session, errors inline.
class ChatPage : public QWidget
{
    Q_OBJECT

Q_SIGNALS:
    void notice(const QString &text); // a brief confirmation for the status bar

public:
    ChatPage(GatewayHost *host, QWidget *parent = nullptr);
    QString currentSession() const { return m_session; }
    class QComboBox *modelPicker() const { return m_model; }
    QString transcriptText() const;
    bool isBusy() const { return m_turn != nullptr; }
    void send(const QString &text);
    void newSession();
    void reloadSessions();
    void showSession(const QString &session);
    // A message was added to `session` outside a turn (a reminder, a job's reply).
    void messageArrived(const QString &session);
    QStringList sessionKeys() const;
    // Stores `path` in the uploads (as POST /api/upload does); the next message refers to it.
    void attachFile(const QString &path);
    QString attachedPath() const { return m_attachedPath; }
    bool isUploading() const { return m_uploading; }
    QString errorText() const;
    // Tool calls show collapsed; this opens or closes one (as clicking it does).
    void toggleToolCall(const QString &id);
    void showEarlier();                        // one more page of older messages
    void copyMessage(qsizetype index);         // a message's Markdown to the clipboard
    void regenerate();                         // asks the last question again
    void copyCode(qsizetype index, int block); // a reply's n-th code block to the clipboard
    void setSessionFilter(const QString &text);
    QStringList visibleSessionTitles() const; // as listed, after the search filter
    void confirmDelete(const QString &key);   // asks, then deletes
    void renameSession(const QString &key, const QString &title);
    static constexpr int kPageOfMessages = 30;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refresh();
    void render();
    void attach();
    void applyFilter();
    void deleteSession(const QString &key);

    GatewayHost *m_host;
    QListWidget *m_sessions;
    TranscriptView *m_transcript;
    QPlainTextEdit *m_input;
    QPushButton *m_send;
    QPushButton *m_stop;
    QPushButton *m_attach;
    QLabel *m_error;
    QLabel *m_attachment;
    QTimer *m_renderTimer;
    QString m_session = QStringLiteral("main");
    QList<ChatMessage> m_messages;
    QString m_streaming; // the reply being generated
    QString m_attachedPath;
    QPointer<ChatHandle> m_turn;
    QPushButton *m_retry;
    class QLineEdit *m_filter;
    QString m_lastSent; // what Retry sends again
    QSet<QString> m_expandedTools;
    bool m_uploading = false;
    bool m_sessionsListed = false;
    QString m_lastUserText;             // what Regenerate asks again
    int m_shownCount = kPageOfMessages; // messages rendered, from the newest back
    class QComboBox *m_model;
    void reloadModels();
};
