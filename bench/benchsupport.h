#pragma once

// What the benchmarks share: a steady clock, spinning the event loop, percentiles, and one
// timed keep-alive GET.

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QList>
#include <QTcpSocket>
#include <algorithm>
#include <chrono>
#include <functional>

namespace Bench {

inline qint64 nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

inline bool spin(const std::function<bool()> &done, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

inline double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(qMin<qsizetype>(values.size() - 1, qsizetype(p * (values.size() - 1) + 0.5)));
}

// One HTTP GET on a keep-alive socket; returns milliseconds, or -1.
inline double timedGet(QTcpSocket &socket, const QByteArray &target, const QByteArray &token,
                       qsizetype *bytes = nullptr)
{
    const qint64 start = nowNs();
    socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                 token + "\r\n\r\n");
    QByteArray received;
    qint64 expected = -1;
    const bool ok = spin(
        [&] {
            received += socket.readAll();
            const qsizetype headEnd = received.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return false;
            if (expected < 0) {
                const qsizetype at = received.toLower().indexOf("content-length:");
                expected = headEnd + 4 +
                           received.mid(at + 15, received.indexOf("\r\n", at) - at - 15)
                               .trimmed()
                               .toLongLong();
            }
            return received.size() >= expected;
        },
        10000);
    if (bytes)
        *bytes = received.size();
    return ok ? (nowNs() - start) / 1e6 : -1;
}

} // namespace Bench
