#pragma once

#include "http/apiresponse.h"
#include "http/router.h"

struct ApiServices;

// /api/cron (spec/api.md §13): GET lists the jobs (or one with ?id=), POST runs an action
// (`create` by default; `?id=` overrides the body's id) on the cron service.
namespace CronApi {

void cron(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace CronApi
