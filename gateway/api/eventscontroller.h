#pragma once

class EventBus;
class Router;

// /api/events/live: "ready", then every event published on the bus.
class EventsController
{
public:
    EventsController(Router *router, EventBus *bus);
};
