#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>
#include <type_traits>
#include <utility>

// Work that must not run on an event loop (disk reads and writes, parsing a long file): it runs
// on a pool thread, and its result comes back to `context`'s thread. When `context` is deleted
// first, the result is dropped and `done` never runs.
namespace Background {

// The pool for file work: separate from the global pool, so a long read never waits behind
// compute work (or the other way round), and never nested inside a pool task.
QThreadPool *ioPool();
// Waits for every queued and running file task (shutdown: acknowledged writes are on disk).
void waitForIo();

template <typename Work, typename Done> void run(QObject *context, Work &&work, Done &&done)
{
    using Result = std::invoke_result_t<Work>;
    // The watcher lives on the context's thread as its child: deleting the context deletes the
    // watcher, and with it any pending callback.
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [watcher, done = std::forward<Done>(done)]() mutable {
                         watcher->deleteLater();
                         if constexpr (std::is_void_v<Result>)
                             done();
                         else
                             done(watcher->result());
                     });
    watcher->setFuture(QtConcurrent::run(ioPool(), std::forward<Work>(work)));
}

// Fire and forget (a log line's flush, a daily note): nobody waits for the result.
template <typename Work> void post(Work &&work)
{
    ioPool()->start(std::forward<Work>(work));
}

} // namespace Background

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace Background {

// Tasks that must happen in order (appends to one file, saves of one store) run one after
// another on the file pool; posting never waits.
class SerialQueue
{
public:
    SerialQueue() = default;
    ~SerialQueue() { waitForIdle(); }
    SerialQueue(const SerialQueue &) = delete;
    SerialQueue &operator=(const SerialQueue &) = delete;

    void post(std::function<void()> task);
    // Blocks until every task posted so far has run (shutdown, tests).
    void waitForIdle();

private:
    void drain();

    std::mutex m_mutex;
    std::condition_variable m_idle;
    std::deque<std::function<void()>> m_tasks;
    bool m_running = false;
};

} // namespace Background
