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
