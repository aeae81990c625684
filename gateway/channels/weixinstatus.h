#pragma once

#include "weixinlogin.h"

#include <QList>
#include <QString>

// The state of the Weixin channel as the API and the window show it: one typed snapshot, turned
// into JSON by the API layer (WeixinApi) and read as it is by the window. Bot tokens are never
// part of it.
struct WeixinStatus
{
    bool active = false;        // on in the config, or activated by a login in this run
    bool configEnabled = false; // channels.weixin.enabled
    bool running = false;       // polling its accounts
    QString baseUrl;
    QString error;            // a hard error of the last refresh, or why the channel is off
    qint64 nowMs = 0;         // when the snapshot was taken (countdowns)
    qint64 pausedUntilMs = 0; // after a session-expired answer
    QList<WeixinPendingLogin> logins;

    struct Account
    {
        QString botId;
        bool connected = false;
        bool isDefault = false;
        QString ilinkUserId;
        bool hasContextToken = false;
        QString getUpdatesBuf;
        bool tokenInKeychain = false;
        WeixinAccountState state;
    };
    QList<Account> accounts;

    bool ok() const { return error.isEmpty(); }
};
