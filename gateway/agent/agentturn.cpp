#include "agentturn.h"

#include "core/logcategories.h"
#include "providers/llmcall.h"

#include <QJsonDocument>

AgentTurn::AgentTurn(const Setup &setup, QObject *parent)
    : QObject(parent), m_setup(setup), m_messages(setup.context)
{}

AgentTurn::~AgentTurn()
{
    cancel();
}

void AgentTurn::start()
{
    askModel();
}

void AgentTurn::cancel()
{
    m_done = true;
    if (m_call)
        m_call->cancel();
    if (m_task) {
        disconnect(m_task, nullptr, this, nullptr);
        m_task->cancel(); // kills a running command's process group, aborts a fetch
        m_task = nullptr;
    }
}

void AgentTurn::askModel()
{
    if (m_done)
        return;
    if (++m_iteration > m_setup.maxIterations) {
        failTurn(QStringLiteral("max tool iterations exceeded (%1)").arg(m_setup.maxIterations));
        return;
    }
    m_chainIndex = m_chainStart;
    m_candidatesLoaded = false;
    m_lastResortUsed = false;
    m_calledThisQuestion = false;
    m_refreshedAccounts.clear();
    m_failures.clear();
    m_noAccountNoted.clear();
    tryNextCandidate();
}

ProviderSettings AgentTurn::provider() const
{
    return m_setup.chain.value(m_chainStart);
}

void AgentTurn::failTurn(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    Q_EMIT failed(error);
}

void AgentTurn::tryNextCandidate()
{
    if (m_done)
        return;
    while (m_chainIndex < m_setup.chain.size()) {
        const ProviderSettings &settings = m_setup.chain.at(m_chainIndex);
        if (!m_candidatesLoaded && m_lastResortUsed) {
            // After the last-resort try the chain is done: its notes are in m_failures already.
            m_chainIndex = int(m_setup.chain.size());
            break;
        }
        if (!m_candidatesLoaded) {
            m_candidatesLoaded = true;
            m_cooling.clear();
            if (m_setup.runtime) {
                m_candidates = m_setup.runtime->candidates(settings, &m_cooling);
            } else {
                ProviderRuntime::Candidate only;
                only.provider = settings.name;
                only.kind = QStringLiteral("api_key");
                only.credential = settings.apiKey;
                m_candidates = {only};
            }
            for (const ProviderRuntime::Candidate &cooling : m_cooling) {
                if (!cooling.cooldownUntil.isValid()) { // a relay without its browser helper
                    m_failures << QStringLiteral("provider \"%1\" has no browser helper "
                                                 "connected to GET /v1/ws")
                                      .arg(settings.name);
                    continue;
                }
                m_failures << QStringLiteral("provider \"%1\" (%2) is cooling down until %3 "
                                             "after %4")
                                  .arg(settings.name, cooling.label(),
                                       cooling.cooldownUntil.toLocalTime().toString(
                                           QStringLiteral("HH:mm:ss")),
                                       cooling.lastFailure.isEmpty() ? QStringLiteral("a failure")
                                                                     : cooling.lastFailure);
            }
        }
        if (m_candidates.isEmpty() && m_cooling.isEmpty() && m_setup.runtime &&
            m_setup.runtime->usesOAuth(settings.name) && !m_noAccountNoted.contains(m_chainIndex)) {
            m_noAccountNoted.insert(m_chainIndex);
            m_failures << QStringLiteral("provider \"%1\" has no OAuth account to use: import "
                                         "one (POST /api/provider/oauth/import) or sign in")
                              .arg(settings.name);
        }
        if (m_candidates.isEmpty()) {
            ++m_chainIndex;
            m_candidatesLoaded = false;
            continue;
        }
        const ProviderRuntime::Candidate candidate = m_candidates.takeFirst();
        ProviderSettings attempt = settings;
        attempt.apiKey = candidate.credential;
        attempt.oauthToken = candidate.kind == QLatin1String("oauth");
        attempt.accountId = candidate.accountId;
        const QList<ToolSpec> tools = m_setup.tools ? m_setup.tools->specs() : QList<ToolSpec>();
        auto *call = new LlmCall(attempt, m_messages, tools, this);
        m_call = call;
        m_calledThisQuestion = true;
        m_streamed.clear();
        const int index = m_chainIndex;
        connect(call, &LlmCall::delta, this, [this](const QString &text) {
            m_streamed += text;
            Q_EMIT delta(text);
        });
        connect(call, &LlmCall::finished, this,
                [this, call, candidate, index](const LlmResult &result) {
                    call->deleteLater();
                    if (m_setup.runtime)
                        m_setup.runtime->recordSuccess(candidate);
                    if (index != m_chainStart)
                        qCInfo(lcAgent).noquote()
                            << "answered by fallback provider" << m_setup.chain.at(index).name;
                    m_chainStart = index;
                    onModelAnswer(result);
                });
        connect(call, &LlmCall::failed, this, [this, call, candidate](const QString &error) {
            call->deleteLater();
            if (m_done)
                return;
            const LlmFailure failure = call->failure();
            // An OAuth account refused with 401: its access token may just have expired. The
            // refresh token gets one exchange, then the same account one more try.
            ProviderRuntime *runtime = m_setup.runtime;
            if (runtime && candidate.kind == QLatin1String("oauth") &&
                failure.reason == LlmFailure::Reason::Unauthorized && !failure.outputStarted &&
                ProviderRuntime::revocationReason(failure).isEmpty() &&
                !m_refreshedAccounts.contains(candidate.accountFile) &&
                runtime->accountCanRefresh(candidate.provider, candidate.accountFile)) {
                m_refreshedAccounts.insert(candidate.accountFile);
                QPointer<AgentTurn> self(this);
                runtime->refreshAccount(candidate.provider, candidate.accountFile,
                                        [self, runtime, candidate, failure,
                                         error](bool ok, const QJsonObject &, const QString &) {
                                            if (!self || self->m_done)
                                                return;
                                            if (ok) {
                                                ProviderRuntime::Candidate again = candidate;
                                                again.credential = runtime->accountAccessToken(
                                                    candidate.provider, candidate.accountFile);
                                                self->m_candidates.prepend(again);
                                            } else {
                                                runtime->recordFailure(candidate, failure);
                                                self->m_failures << error;
                                            }
                                            self->tryNextCandidate();
                                        });
                return;
            }
            if (m_setup.runtime)
                m_setup.runtime->recordFailure(candidate, failure);
            // Text already on the user's screen cannot be taken back by another provider.
            if (failure.outputStarted)
                return failTurn(error);
            m_failures << error;
            tryNextCandidate();
        });
        call->start();
        return;
    }
    // Nothing left. When every candidate cooled down after a passing failure (a dead or busy
    // endpoint), the one that recovers first gets one more try rather than locking the user out.
    if (!m_lastResortUsed && m_setup.runtime) {
        m_lastResortUsed = true;
        int best = -1;
        ProviderRuntime::Candidate chosen;
        for (int i = 0; i < m_setup.chain.size(); ++i) {
            QList<ProviderRuntime::Candidate> cooling;
            m_setup.runtime->candidates(m_setup.chain.at(i), &cooling);
            for (const ProviderRuntime::Candidate &c : cooling) {
                const bool passing = c.lastFailure == QLatin1String("network") ||
                                     c.lastFailure == QLatin1String("timeout") ||
                                     c.lastFailure == QLatin1String("server_error");
                if (passing && c.cooldownUntil.isValid() &&
                    (best < 0 || c.cooldownUntil < chosen.cooldownUntil)) {
                    best = i;
                    chosen = c;
                }
            }
        }
        if (best >= 0 && !m_calledThisQuestion) {
            m_chainIndex = best;
            m_candidatesLoaded = true;
            m_candidates = {chosen};
            // Its "cooling down" note gives way to what this try brings.
            const QString note = QStringLiteral("provider \"%1\" (").arg(chosen.provider);
            m_failures.removeIf(
                [&note](const QString &failure) { return failure.startsWith(note); });
            return tryNextCandidate();
        }
    }
    QStringList problems = m_setup.chainProblems + m_failures;
    if (problems.isEmpty())
        problems << QStringLiteral("no LLM provider is configured");
    if (problems.size() == 1)
        return failTurn(problems.first());
    failTurn(
        QStringLiteral("no provider could answer: %1").arg(problems.join(QStringLiteral("; "))));
}

void AgentTurn::onModelAnswer(const LlmResult &result)
{
    if (m_done)
        return;
    m_streamed.clear(); // now part of the answer's message
    if (result.toolCalls.isEmpty()) {
        ChatMessage reply{QStringLiteral("assistant"), result.content, result.reasoning, {}, {}};
        m_new << reply;
        m_done = true;
        qCInfo(lcAgent).noquote() << "turn finished after" << m_iteration << "model call(s); tokens"
                                  << result.usage.total;
        Q_EMIT finished(result.content, m_new);
        return;
    }
    ChatMessage assistant{
        QStringLiteral("assistant"), result.content, result.reasoning, result.toolCalls, {}};
    m_messages << assistant;
    m_new << assistant;
    m_pendingCalls = result.toolCalls;
    runNextTool();
}

void AgentTurn::runNextTool()
{
    if (m_done)
        return;
    if (m_pendingCalls.isEmpty()) {
        askModel();
        return;
    }
    const ToolCall call = m_pendingCalls.takeFirst();
    Tool *tool = m_setup.tools ? m_setup.tools->find(call.name) : nullptr;
    auto deliver = [this, call](const ToolOutcome &outcome) {
        if (m_done)
            return;
        const QString content =
            outcome.error ? QStringLiteral("Error: ") + outcome.content : outcome.content;
        ChatMessage result{QStringLiteral("tool"), content, {}, {}, call.id};
        m_messages << result;
        m_new << result;
        // Next tool on a fresh stack: a tool that answered synchronously must not recurse.
        QMetaObject::invokeMethod(this, &AgentTurn::runNextTool, Qt::QueuedConnection);
    };
    if (!tool) {
        deliver(ToolOutcome::fail(QStringLiteral("tool '%1' not found").arg(call.name)));
        return;
    }
    const QJsonObject arguments = call.argumentsObject();
    if (arguments.contains("raw") && arguments.size() == 1) {
        deliver(ToolOutcome::fail(QStringLiteral("the arguments are not a JSON object")));
        return;
    }
    qCInfo(lcTools).noquote() << "tool" << call.name;
    ToolTask *task = tool->start(arguments, m_setup.toolContext);
    m_task = task;
    connect(task, &ToolTask::finished, this, [this, deliver](const ToolOutcome &outcome) {
        m_task = nullptr;
        deliver(outcome);
    });
}

QList<ChatMessage> AgentTurn::keptSoFar(const QString &stoppedNote) const
{
    QList<ChatMessage> kept = m_new;
    // A model request with tool calls must be followed by every result: a call cut short is
    // dropped with its request.
    for (qsizetype i = kept.size() - 1; i >= 0; --i) {
        const ChatMessage &message = kept.at(i);
        if (message.role != QLatin1String("assistant") || message.toolCalls.isEmpty())
            continue;
        if (kept.size() - 1 - i < message.toolCalls.size())
            kept.resize(i);
        break;
    }
    if (!m_streamed.isEmpty())
        kept << ChatMessage{QStringLiteral("assistant"), m_streamed + stoppedNote, {}, {}, {}};
    return kept;
}
