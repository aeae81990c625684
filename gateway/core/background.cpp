#include "background.h"

namespace Background {

QThreadPool *ioPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool();
        p->setObjectName(QStringLiteral("clawgo-io"));
        p->setMaxThreadCount(4);
        p->setExpiryTimeout(30 * 1000);
        return p;
    }();
    return pool;
}

void waitForIo()
{
    ioPool()->waitForDone();
}

} // namespace Background

namespace Background {

void SerialQueue::post(std::function<void()> task)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_tasks.push_back(std::move(task));
    if (!m_running) {
        m_running = true;
        ioPool()->start([this] { drain(); });
    }
}

void SerialQueue::drain()
{
    while (true) {
        std::function<void()> task;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_tasks.empty()) {
                m_running = false;
                m_idle.notify_all();
                return;
            }
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

void SerialQueue::waitForIdle()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_running && m_tasks.empty(); });
}

} // namespace Background
