#pragma once

#include "http/apiresponse.h"

class WebSocket;
struct ApiServices;

// /api/events/live: "ready", then every event published on the bus.
namespace EventsApi {

void live(ApiServices &services, WebSocket *socket, const ApiRequest &request);

} // namespace EventsApi
