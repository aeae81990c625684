#pragma once

#include "http/apiresponse.h"

class WebSocket;
struct ApiServices;

// /api/logs/recent and the /api/logs/live tail of the gateway log file.
namespace LogsApi {

void recent(ApiServices &services, const ApiRequest &request, Reply reply);
void live(ApiServices &services, WebSocket *socket, const ApiRequest &request);

} // namespace LogsApi
