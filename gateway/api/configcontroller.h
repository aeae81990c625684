#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/config: read (plain, normalized, hot), write (raw, normalized) with validation,
// redaction, ETag/If-Match.
namespace ConfigApi {

ApiResponse get(ApiServices &services, const ApiRequest &request);
void post(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace ConfigApi
