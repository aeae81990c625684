#pragma once

#include "providers/llmtypes.h"
#include "providers/providerruntime.h"
#include "tools/tool.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class LlmCall;

// One agent turn: ask the model, run the tools it asks for (one after another, errors fed back
// to the model as results), ask again, until it answers without tools or the iteration budget
// is spent. Each question to the model walks the provider chain: every usable candidate of the
// first provider (the provider runtime's order), then the next provider, until one answers; a
// failure after text was streamed ends the turn. The provider that answered stays for the rest
// of the turn. Streams the model's text with delta(); ends with finished() or failed(), never both,
// and with neither after cancel(). cancel() (also run by the destructor) stops the model call
// and the running tool; the tool task releases its resources on its own schedule and never
// calls back into the turn.
class AgentTurn : public QObject
{
    Q_OBJECT

public:
    struct Setup
    {
        QList<ProviderSettings> chain; // first: the session's provider; then the fallbacks
        QStringList chainProblems;     // providers of the chain that cannot be called, and why
        ProviderRuntime *runtime = nullptr;
        QList<ChatMessage> context; // system prompt + history + the new user message
        ToolRegistry *tools = nullptr;
        ToolContext toolContext;
        int maxIterations = 20;
    };

    explicit AgentTurn(const Setup &setup, QObject *parent = nullptr);
    ~AgentTurn() override;
    void start();
    void cancel();
    // What a cancelled turn leaves worth keeping: the finished steps, and the text streamed so
    // far (with `stoppedNote` appended), so a stopped reply is not lost.
    QList<ChatMessage> keptSoFar(const QString &stoppedNote) const;
    // The provider (and model) that answered last, else the first of the chain.
    ProviderSettings provider() const;
    int providerIndex() const { return m_chainStart; }

Q_SIGNALS:
    void delta(const QString &text);
    // The final reply and every message of the turn to keep (assistant calls, tool results,
    // the final assistant message), in order.
    void finished(const QString &reply, const QList<ChatMessage> &newMessages);
    void failed(const QString &error);

private:
    void askModel();
    void tryNextCandidate();
    void failTurn(const QString &error);
    void onModelAnswer(const LlmResult &result);
    void runNextTool();

    Setup m_setup;
    QList<ChatMessage> m_messages;
    QList<ChatMessage> m_new;
    QString m_streamed; // text of the model call under way
    QList<ToolCall> m_pendingCalls;
    int m_iteration = 0;
    // Where the walk of the chain stands for the current question.
    int m_chainStart = 0; // the provider that answered before: questions start there
    int m_chainIndex = 0;
    bool m_candidatesLoaded = false;
    QList<ProviderRuntime::Candidate> m_candidates;
    QList<ProviderRuntime::Candidate> m_cooling;
    bool m_lastResortUsed = false;
    bool m_calledThisQuestion = false; // a provider was really asked (not only cooling notes)
    QStringList m_failures;
    QSet<int> m_noAccountNoted;
    QSet<QString> m_refreshedAccounts; // OAuth accounts refreshed after a 401 this turn
    bool m_done = false;
    QPointer<LlmCall> m_call;
    QPointer<ToolTask> m_task; // the running tool call (it owns itself)
};
