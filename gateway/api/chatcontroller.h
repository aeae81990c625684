#pragma once

#include "http/apiresponse.h"

class WebSocket;
struct ApiServices;

// /api/chat (answers when the turn ends, without holding the event loop), /api/chat/history,
// and /api/chat/live (streams each provider delta as chat_chunk, coalesced every 50 ms).
namespace ChatApi {

void post(ApiServices &services, const ApiRequest &request, Reply reply);
// The prompt of a chat with an attachment: the message, then "[file: <media>]" on its own line.
QString promptWithMedia(const QString &message, const QString &media);
void history(ApiServices &services, const ApiRequest &request, Reply reply);
void live(ApiServices &services, WebSocket *socket, const ApiRequest &request);

} // namespace ChatApi
