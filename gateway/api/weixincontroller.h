#pragma once

class Router;
class WeixinChannel;

// /api/weixin/*: status, QR login start/cancel, the QR as SVG, account removal and default.
class WeixinController
{
public:
    WeixinController(Router *router, WeixinChannel *channel);
};
