#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/sessions: the session keys on disk, decoded (the reference's escaped keys are a bug).
namespace SessionsApi {

void list(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace SessionsApi
