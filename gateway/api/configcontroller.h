#pragma once

class ConfigStore;
class Router;

// /api/config: read (plain, normalized, hot), write (raw, normalized) with validation,
// redaction, ETag/If-Match.
class ConfigController
{
public:
    ConfigController(ConfigStore *store, Router *router);

private:
    ConfigStore *m_store;
};
