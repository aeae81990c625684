#pragma once

class AgentRuntime;
class Router;

// /api/sessions: the session keys on disk, decoded (the reference's escaped keys are a bug).
class SessionsController
{
public:
    SessionsController(Router *router, AgentRuntime *runtime);
};
