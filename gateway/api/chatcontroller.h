#pragma once

#include <QString>
#include <functional>

class AgentRuntime;
class Router;

// /api/chat (answers when the turn ends, without holding the event loop), /api/chat/history,
// and /api/chat/live (streams each provider delta as chat_chunk, coalesced every 50 ms).
class ChatController
{
public:
    // `uploadFolder`: chat media must be a file in it (a path /api/upload returned).
    ChatController(Router *router, AgentRuntime *runtime, std::function<QString()> uploadFolder,
                   int coalesceMs = 50);
};
