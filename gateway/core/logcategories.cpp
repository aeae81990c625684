#include "logcategories.h"

Q_LOGGING_CATEGORY(lcApp, "app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcEvents, "events", QtInfoMsg)
Q_LOGGING_CATEGORY(lcLogs, "logs", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProviders, "providers", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCron, "cron", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAgent, "agent", QtInfoMsg)
Q_LOGGING_CATEGORY(lcTools, "tools", QtInfoMsg)
Q_LOGGING_CATEGORY(lcChannels, "channels", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "secrets", QtInfoMsg)
