#pragma once

class AgentRuntime;
class Router;

// /api/chat (answers when the turn ends, without holding the event loop), /api/chat/history,
// and /api/chat/live (streams each provider delta as chat_chunk, coalesced every 50 ms).
class ChatController
{
public:
    ChatController(Router *router, AgentRuntime *runtime, int coalesceMs = 50);
};
