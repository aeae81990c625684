#include "eventbus.h"

#include "logcategories.h"

void EventBus::publish(const QJsonObject &event)
{
    qCDebug(lcEvents).noquote() << "event" << event.value("type").toString();
    Q_EMIT published(event);
}
