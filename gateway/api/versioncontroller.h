#pragma once

#include <QStringList>

class Router;

// /api/version: build version and the channel keys compiled into this binary.
class VersionController
{
public:
    VersionController(Router *router, const QStringList &compiledChannels);
};
