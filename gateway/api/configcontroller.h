#pragma once

#include <QByteArray>
#include <QHash>

class ConfigStore;
class Router;
struct ApiRequest;
struct ApiResponse;

// /api/config: read (plain, normalized, hot), write (raw, normalized) with validation,
// redaction, ETag/If-Match.
class ConfigController
{
public:
    ConfigController(ConfigStore *store, Router *router);

private:
    ApiResponse get(const ApiRequest &request);

    ConfigStore *m_store;
    // Serialized GET answers per variant, valid for one config revision: the config changes
    // rarely and is read often, and redacting and printing it is the expensive part.
    struct CachedBody
    {
        quint64 revision = 0;
        QByteArray body;
    };
    QHash<QString, CachedBody> m_getCache;
};
