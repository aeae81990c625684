#include "core/background.h"
#include "tool.h"

#include <QPointer>
#include <QTimer>

void ToolTask::cancel()
{
    if (m_cancelled || m_completed)
        return;
    m_cancelled = true;
    stop();
}

void ToolTask::stop()
{
    deleteLater();
}

void ToolTask::complete(const ToolOutcome &outcome)
{
    if (m_completed)
        return;
    m_completed = true;
    if (!m_cancelled)
        Q_EMIT finished(outcome);
    deleteLater();
}

namespace {

class FinishedTask final : public ToolTask
{
public:
    explicit FinishedTask(const ToolOutcome &outcome)
    {
        // Reported from the event loop, never from inside start(): the caller connects first.
        QTimer::singleShot(0, this, [this, outcome] { complete(outcome); });
    }
};

class PoolTask final : public ToolTask
{
public:
    explicit PoolTask(std::function<ToolOutcome()> work)
    {
        // Cancelling deletes the task, and with it the delivery of the result: the function
        // itself (which owns copies of all it uses) cannot be interrupted and just finishes.
        Background::run(this, std::move(work),
                        [this](const ToolOutcome &outcome) { complete(outcome); });
    }
};

} // namespace

ToolTask *ToolTask::finishedWith(const ToolOutcome &outcome)
{
    return new FinishedTask(outcome);
}

ToolTask *ToolTask::onPool(std::function<ToolOutcome()> work)
{
    return new PoolTask(std::move(work));
}
