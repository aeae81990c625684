#pragma once

#include "http/apiresponse.h"
#include "http/router.h"

#include <memory>

struct ApiServices;
class WebSocket;

// /api/provider/runtime and /api/provider/models (spec/api.md §10.5–10.6, providers.md §4–5):
// the provider runtime's view and actions, and a provider's model list saved through the
// ConfigStore; provider OAuth sign-in, accounts and import.
namespace ProviderApi {

ApiResponse runtimeView(ApiServices &services, const ApiRequest &request);
void runtimeAction(ApiServices &services, const ApiRequest &request, Reply reply);
void models(ApiServices &services, const ApiRequest &request, Reply reply);
// GET|POST /api/provider/oauth/start: a device or callback sign-in (see OAuthFlows).
void oauthStart(ApiServices &services, const ApiRequest &request, Reply reply);
// POST /api/provider/oauth/complete: a pasted callback URL, or waiting for a device flow.
void oauthComplete(ApiServices &services, const ApiRequest &request, Reply reply);
// GET|POST /api/provider/oauth/accounts?provider=: the live runtime's accounts (never a token),
// and `clear_cooldown` on one of them.
void oauthAccounts(ApiServices &services, const ApiRequest &request, Reply reply);
// POST /api/provider/oauth/import (multipart, 16 MiB): an auth.json becomes an account of the
// provider: written under <dir>/auth/ as clawgo names it, added to oauth.credential_file(s).
std::unique_ptr<RequestBodySink> oauthImport(ApiServices &services, const ApiRequest &request);
// GET /v1/ws: a browser helper of the AI Studio relay (spec/api.md §20).
void relay(ApiServices &services, WebSocket *socket, const ApiRequest &request);

} // namespace ProviderApi
