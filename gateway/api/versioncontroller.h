#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /health and /api/version: build version and the channel keys compiled into this binary.
namespace VersionApi {

ApiResponse health(const ApiRequest &request);
ApiResponse version(ApiServices &services, const ApiRequest &request);

} // namespace VersionApi
