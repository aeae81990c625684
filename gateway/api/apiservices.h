#pragma once

#include <QByteArray>
#include <QHash>
#include <QStringList>

class AgentRuntime;
class ConfigStore;
class EventBus;
class OAuthFlows;
class CronService;
class WeixinChannel;

// What the controllers work with: the gateway's services and the few settings of the API
// itself. Owned by the Gateway; controllers receive it instead of reaching into the
// composition root.
struct ApiServices
{
    ConfigStore *config = nullptr;
    EventBus *events = nullptr;
    AgentRuntime *agent = nullptr;
    OAuthFlows *oauth = nullptr;
    CronService *cron = nullptr;
    WeixinChannel *weixin = nullptr;
    QStringList compiledChannels;
    int chatCoalesceMs = 50;
    int logTailIntervalMs = 250;
    qint64 uploadMaxBytes = 32 * 1024 * 1024;
    // Marks the unfinished uploads of this run ("<name>.<tag>.part"): the sweep at start
    // removes only those of earlier runs (a crash), never one under way.
    QString uploadRunTag;

    // Serialized GET /api/config answers per variant, valid for one config revision: the config
    // changes rarely and is read often, and redacting and printing it is the expensive part.
    struct CachedBody
    {
        quint64 revision = 0;
        QByteArray body;
    };
    QHash<QString, CachedBody> configGetCache;
};
