#pragma once

#include "core/chatmessage.h"
#include "core/toolspec.h"
#include "providerroute.h"

#include <QList>
#include <QPointer>
#include <QString>

// What a provider call gives and takes (spec/providers.md §1.1).
struct TokenUsage
{
    qint64 prompt = 0;
    qint64 completion = 0;
    qint64 total = 0;
};

struct LlmResult
{
    QString content;
    QString reasoning;
    QList<ToolCall> toolCalls;
    QString finishReason;
    TokenUsage usage;
};

class AiStudioRelay;

// One provider entry of models.providers, resolved for a call.
struct ProviderSettings
{
    QString name; // the key under models.providers
    QString kind; // ProviderRoute::kindOf: "claude", "gemini", … or "" (generic)
    WireKind wire = WireKind::ChatCompletions;
    QString apiBase; // as configured; the protocol adds its endpoint path
    QString apiKey;
    bool oauthToken = false; // apiKey is an OAuth access token: always "Authorization: Bearer"
    QString accountId;       // the OAuth account's id (Codex: Chatgpt-Account-Id)
    QString model;           // without a `(level)` suffix
    QString thinking;        // the `(level)` suffix of the configured model, lower-cased
    int timeoutSec = 90;     // whole request
    int firstByteTimeoutMs = 20000;
    int idleTimeoutMs = 45000;
    int maxTokens = 8192;
    double temperature = 0.7;
    QString proxy; // http://host:port or socks5://host:port; empty: none
    bool stream = true;
    QPointer<AiStudioRelay> relay; // the relay that carries an "aistudio" provider's requests
};

// Why a call failed, for the provider runtime: which failures cool a candidate down, which let
// the turn move on to the next candidate, and what the event history records.
struct LlmFailure
{
    enum class Reason
    {
        None,
        RateLimit,    // 429 and "rate limit" bodies
        Quota,        // quota or billing exhausted (429/402/403 with such a body, 402)
        Forbidden,    // 403
        Unauthorized, // 401
        ServerError,  // 5xx, 529 overloaded
        Network,      // connection refused, host not found, TLS, reset before an answer
        Timeout,      // no first byte, or a stream that stalled
        BadRequest,   // other 4xx: the request itself (model name, body) was refused
        BadAnswer,    // malformed stream, non-JSON answer, an error inside a 200 stream
        Unsupported,  // this program cannot speak to the provider (kind not implemented)
    };
    Reason reason = Reason::None;
    int httpStatus = 0;
    qint64 retryAfterSec = -1;  // from Retry-After, when the provider sent one
    bool outputStarted = false; // text had already reached the caller
    QString message;

    static QString reasonName(Reason reason);
};
