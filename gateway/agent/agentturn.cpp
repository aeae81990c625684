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
        m_done = true;
        Q_EMIT failed(
            QStringLiteral("max tool iterations exceeded (%1)").arg(m_setup.maxIterations));
        return;
    }
    const QList<ToolSpec> tools = m_setup.tools ? m_setup.tools->specs() : QList<ToolSpec>();
    auto *call = new LlmCall(m_setup.provider, m_messages, tools, this);
    m_call = call;
    m_streamed.clear();
    connect(call, &LlmCall::delta, this, [this](const QString &text) {
        m_streamed += text;
        Q_EMIT delta(text);
    });
    connect(call, &LlmCall::finished, this, [this, call](const LlmResult &result) {
        call->deleteLater();
        onModelAnswer(result);
    });
    connect(call, &LlmCall::failed, this, [this, call](const QString &error) {
        call->deleteLater();
        if (m_done)
            return;
        m_done = true;
        Q_EMIT failed(error);
    });
    call->start();
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
