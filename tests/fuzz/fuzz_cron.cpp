// The cron expression parser (hand-written input parsing: job files and the API), and the next
// run of whatever it accepts.

#include "cron/cronexpression.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString spec = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    const auto expression = CronExpression::parse(spec, QTimeZone::utc(), &error);
    if (expression) {
        const QDateTime start = QDateTime::fromSecsSinceEpoch(1795000000, QTimeZone::utc());
        const QDateTime next = expression->next(start);
        if (next.isValid() && next <= start)
            return 1; // never a run in the past
    }
    CronExpression::parseGoDurationNs(spec, &error);
    return 0;
}
