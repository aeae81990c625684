#pragma once

#include <functional>

class Router;
class QString;

// /api/logs/recent and the /api/logs/live tail of the gateway log file.
class LogsController
{
public:
    using PathSource = std::function<QString()>;
    LogsController(Router *router, PathSource logPath, int tailIntervalMs);
};
