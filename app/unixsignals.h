#pragma once

#include <QObject>

class QSocketNotifier;

// Turns SIGINT/SIGTERM/SIGHUP into Qt signals through a self-pipe, so the handlers run on the
// event loop and not inside the signal handler.
class UnixSignals : public QObject
{
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);

Q_SIGNALS:
    void terminateRequested(int signalNumber);
    void reloadRequested();

private:
    static void handler(int signalNumber);
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};
