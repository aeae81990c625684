#pragma once

class Router;
struct ApiServices;

// Fills `router` with every route of the gateway, in one table (api/routes.cpp).
void registerRoutes(Router &router, ApiServices &services);
