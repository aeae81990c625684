#pragma once

#include "core/chatmessage.h"
#include "core/toolspec.h"

#include <QList>
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

// One provider entry of models.providers, resolved for a call.
struct ProviderSettings
{
    QString name;
    QString apiBase;
    QString apiKey;
    QString model;
    bool responsesApi =
        false;           // responses.api: "responses" (reference default) or "chat_completions"
    int timeoutSec = 90; // whole request
    int firstByteTimeoutMs = 20000;
    int idleTimeoutMs = 45000;
    int maxTokens = 8192;
    double temperature = 0.7;
    QString proxy; // http://host:port or socks5://host:port; empty: none
    bool stream = true;
};
