#pragma once

#include <QJsonObject>
#include <QObject>

// Gateway-side events (config_changed, config_rejected, …) for /api/events/live and the window.
class EventBus : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    void publish(const QJsonObject &event);

Q_SIGNALS:
    void published(const QJsonObject &event);
};
