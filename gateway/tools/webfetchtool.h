#pragma once

#include "tool.h"

// web_fetch: GET an http(s) URL with size and time caps. Private, loopback and link-local
// addresses (after DNS, and at every redirect) are refused unless tools.web.fetch.allow_private.
class WebFetchTool : public Tool
{
public:
    ToolSpec spec() const override;
    ToolTask *start(const QJsonObject &arguments, const ToolContext &context) override;

    static bool isPrivateAddress(const class QHostAddress &address);
};
