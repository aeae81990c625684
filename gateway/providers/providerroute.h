#pragma once

#include <QJsonObject>
#include <QPair>
#include <QString>
#include <QStringList>

// How a configured provider is spoken to (spec/providers.md §2.0): its name and optional
// `type` are alias-normalised to a kind ("claude", "gemini", "qwen", …, or "" for the generic
// OpenAI-compatible client), and the kind picks the wire protocol and the default endpoint.
enum class WireKind
{
    Responses,       // OpenAI Responses (the generic default, as the reference)
    ChatCompletions, // OpenAI Chat Completions
    Anthropic,       // Anthropic Messages
    Gemini,          // Gemini API v1beta
    Relay,           // AI Studio, over the /v1/ws browser relay
    Codex,           // the ChatGPT backend of Codex plans (Responses over HTTP SSE)
    Unsupported,     // a kind this program does not speak yet (vertex, gemini-cli, antigravity)
};

namespace ProviderRoute {

// Route-name aliases: "anthropic" → "claude", "google" → "gemini", "ai-studio" → "aistudio", …
// Unknown names come back lower-cased and trimmed.
QString normalizeName(const QString &name);

// The kind that decides the implementation: `type` (ours) first, then `oauth.provider`, then the
// route name itself. "" means the generic OpenAI-compatible client.
QString kindOf(const QString &name, const QJsonObject &entry);

WireKind wireFor(const QString &kind, const QJsonObject &entry);
QString wireName(WireKind wire);

// The endpoint used when api_base is empty (or, for the dedicated kinds, points at OpenAI).
QString defaultApiBase(const QString &kind);
bool needsApiBase(const QString &kind); // only the generic client requires api_base

// Order of the automatic fallback chain (spec/agent.md §2.4): lower first, ties by name.
int fallbackPriority(const QString &kind);

// The config key of a provider referred to as `name`: the exact key, then the alias-normalised
// name, then a key whose own normalised name matches (so "anthropic/x" finds a provider keyed
// "claude" and "claude/x" one keyed "anthropic"). Empty when none.
QString findKey(const QJsonObject &providers, const QString &name);

// "provider/model" → (provider, model); no slash → ("", whole). Trimmed.
QPair<QString, QString> splitModelRef(const QString &ref);

// `model(level)`: the base model and the thinking level inside the last parentheses.
struct ModelSpec
{
    QString model;
    QString level; // lower-cased; empty when none
};
ModelSpec parseModel(const QString &model);

} // namespace ProviderRoute
