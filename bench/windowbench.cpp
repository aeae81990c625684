// Window benchmark (run by hand: bench/run-window.sh). A home with N sessions on disk and one
// session of M messages; measures, offscreen:
//  - start to a usable window: the Config form filled from the saved config and the Chat page
//    listing every session;
//  - switching to the big session until its last message is on screen;
//  - the longest time the UI thread did not get to run a 4 ms timer during each phase (a
//    watchdog: anything over 16 ms is a dropped frame).

#include "chatpage.h"
#include "configpage.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "desktopapp.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <cstdio>

namespace {

QByteArray line(const char *role, const QString &text)
{
    const QJsonObject event{
        {"type", "message"},
        {"timestamp", "2026-11-01T09:00:00.000Z"},
        {"message",
         QJsonObject{{"role", role},
                     {"content", QJsonArray{QJsonObject{{"type", "text"}, {"text", text}}}}}}};
    return QJsonDocument(event).toJson(QJsonDocument::Compact) + '\n';
}

// The longest gap between two ticks of a 4 ms timer, minus the 4 ms.
class Watchdog : public QObject
{
public:
    Watchdog()
    {
        m_timer.setInterval(4);
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_worst = qMax(m_worst, now - m_last - 4'000'000);
            m_last = now;
            ++m_ticks;
        });
    }
    void start()
    {
        m_worst = 0;
        m_ticks = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    // Includes the gap since the last tick: a stall at the very end counts too.
    double worstMs() const
    {
        return double(qMax(m_worst, m_clock.nsecsElapsed() - m_last - 4'000'000)) / 1e6;
    }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worst = 0;
    int m_ticks = 0;
};

// The longest single event the UI thread handled (outermost delivery only): what a stall was.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;
    bool notify(QObject *receiver, QEvent *event) override
    {
        if (QThread::currentThread() != thread()) // the gateway's thread is not the UI
            return QApplication::notify(receiver, event);
        if (m_depth++ > 0) {
            const bool handled = QApplication::notify(receiver, event);
            --m_depth;
            return handled;
        }
        QElapsedTimer timer;
        timer.start();
        // Read before delivery (the receiver may be gone after), without allocating.
        const char *className = receiver->metaObject()->className();
        const int type = int(event->type());
        const bool handled = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 ns = timer.nsecsElapsed();
        if (ns > m_longestNs) {
            m_longestNs = ns;
            m_longestClass = className;
            m_longestType = type;
        }
        return handled;
    }
    void resetLongest()
    {
        m_longestNs = 0;
        m_longestClass = "";
        m_longestType = 0;
    }
    QString longest() const
    {
        return QStringLiteral("%1 event %2 (%3 ms)")
            .arg(QString::fromLatin1(m_longestClass))
            .arg(m_longestType)
            .arg(m_longestNs / 1e6, 0, 'f', 1);
    }

private:
    int m_depth = 0;
    qint64 m_longestNs = 0;
    const char *m_longestClass = "";
    int m_longestType = 0;
};

void waitUntil(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
}

} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    const int sessions = qMax(2, argc > 1 ? atoi(argv[1]) : 1000);
    const int bigMessages = argc > 2 ? atoi(argv[2]) : 10000;
    LogHub::install();
    LogHub::instance()->setStderrEnabled(false);

    QTemporaryDir home;
    QJsonObject config;
    JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), QStringLiteral("bench_token"));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.host"), QStringLiteral("127.0.0.1"));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), 18790);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.workspace"),
                         home.filePath(QStringLiteral("workspace")));
    QFile file(home.filePath(QStringLiteral("config.json")));
    file.open(QIODevice::WriteOnly);
    file.write(JsonUtil::pretty(config));
    file.close();
    const QString folder = home.filePath(QStringLiteral("agents/main/sessions"));
    QDir().mkpath(folder);
    for (int i = 0; i < sessions; ++i) {
        QFile session(folder +
                      QStringLiteral("/desktop%3A%1.active.jsonl").arg(i, 5, 10, QLatin1Char('0')));
        session.open(QIODevice::WriteOnly);
        session.write(line("user", QStringLiteral("question %1").arg(i)) +
                      line("assistant", QStringLiteral("answer %1 with **Markdown**").arg(i)));
    }
    {
        QFile big(folder + QStringLiteral("/big.active.jsonl"));
        big.open(QIODevice::WriteOnly);
        for (int i = 0; i < bigMessages; ++i)
            big.write(line(
                i % 2 ? "assistant" : "user",
                QStringLiteral("message %1: some text with `code` and a list\n\n- a\n- b").arg(i)));
    }

    Watchdog watchdog;
    QElapsedTimer clock;
    clock.start();
    GatewayOptions options;
    options.configPath = file.fileName();
    options.port = 0;
    options.useKeychain = false;
    app.resetLongest();
    DesktopApp desktop(options);
    desktop.start(false);
    const double built = double(clock.nsecsElapsed()) / 1e6;
    watchdog.start();
    ConfigPage *configPage = desktop.window()->configPage();
    ChatPage *chat = desktop.window()->chatPage();
    waitUntil([&] {
        return configPage->fieldText(QStringLiteral("gateway.host")) ==
                   QLatin1String("127.0.0.1") &&
               chat->sessionKeys().size() >= sessions + 1;
    });
    const double usable = double(clock.nsecsElapsed()) / 1e6;
    const double startStall = watchdog.worstMs();
    const QString startLongest = app.longest();

    // Let the start settle (the preload of every session runs in the background).
    QElapsedTimer settle;
    settle.start();
    waitUntil([&] { return settle.elapsed() > 1500; });

    watchdog.start();
    app.resetLongest();
    clock.restart();
    const QString last = QStringLiteral("message %1").arg(bigMessages - 1);
    chat->showSession(QStringLiteral("big"));
    const double showCall = double(clock.nsecsElapsed()) / 1e6;
    waitUntil([&] { return chat->transcriptText().contains(last); });
    const double switched = double(clock.nsecsElapsed()) / 1e6;
    const double switchStall = watchdog.worstMs();
    const int switchTicks = watchdog.ticks();
    const QString switchLongest = app.longest();

    // Again, with the text machinery warmed up (fonts loaded), as it is after the first page.
    chat->showSession(QStringLiteral("desktop:00001"));
    waitUntil([&] { return chat->transcriptText().contains(QLatin1String("answer 1 ")); });
    watchdog.start();
    clock.restart();
    chat->showSession(QStringLiteral("big"));
    waitUntil([&] { return chat->transcriptText().contains(last); });
    const double switchedAgain = double(clock.nsecsElapsed()) / 1e6;
    const double switchAgainStall = watchdog.worstMs();

    std::printf("%d sessions on disk: window built in %.0f ms, usable (form filled, %d sessions "
                "listed) after %.0f ms; longest UI stall after it was built: %.1f ms\n",
                sessions, built, int(chat->sessionKeys().size()), usable, startStall);
    std::printf("  (longest event meanwhile: %s)\n", qPrintable(startLongest));
    std::printf("switch to a %d-message session: last message on screen after %.1f ms; longest "
                "UI stall meanwhile: %.1f ms (%d watchdog ticks)\n",
                bigMessages, switched, switchStall, switchTicks);
    std::printf("  (longest event meanwhile: %s)\n", qPrintable(switchLongest));
    std::printf("  (showSession itself returned after %.1f ms)\n", showCall);
    std::printf("switch to it again: %.1f ms; longest UI stall meanwhile: %.1f ms\n", switchedAgain,
                switchAgainStall);
    return 0;
}
