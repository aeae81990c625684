#include "providerroute.h"

#include <QHash>
#include <QPair>

namespace ProviderRoute {

namespace {

const QHash<QString, QString> &aliases()
{
    static const QHash<QString, QString> table = [] {
        QHash<QString, QString> map;
        const auto add = [&map](const QString &canonical, const QStringList &names) {
            for (const QString &name : names)
                map.insert(name, canonical);
        };
        add("gemini-cli", {"geminicli", "gemini_cli"});
        add("aistudio",
            {"ai-studio", "ai_studio", "google-ai-studio", "google_ai_studio", "googleaistudio"});
        add("gemini", {"google", "gemini-api-key", "gemini_api_key"});
        add("claude",
            {"anthropic", "claude-code", "claude_code", "claude-api-key", "claude_api_key"});
        add("openai-compatibility", {"openai_compatibility", "openai-compat", "openai_compat"});
        add("vertex", {"vertex-api-key", "vertex_api_key", "vertex-compat", "vertex_compat",
                       "vertex-compatibility", "vertex_compatibility"});
        add("codex", {"codex-api-key", "codex_api_key"});
        add("iflow", {"i-flow", "i_flow"});
        return map;
    }();
    return table;
}

// Kinds with a dedicated client, whichever of the name or oauth.provider names them.
const QStringList &dedicatedKinds()
{
    static const QStringList kinds{"antigravity", "aistudio", "gemini", "codex",
                                   "claude",      "qwen",     "kimi",   "iflow"};
    return kinds;
}

} // namespace

QString normalizeName(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    return aliases().value(lower, lower);
}

QString kindOf(const QString &name, const QJsonObject &entry)
{
    const QString type = normalizeName(entry.value("type").toString());
    if (!type.isEmpty())
        return type == QLatin1String("openai") ? QString() : type;
    const QString oauthKind =
        normalizeName(entry.value("oauth").toObject().value("provider").toString());
    const QString route = normalizeName(name);
    // The reference's order: each dedicated kind is checked against both names before the next.
    for (const QString &kind : {QStringLiteral("antigravity"), QStringLiteral("aistudio")})
        if (oauthKind == kind || route == kind)
            return kind;
    if (route == QLatin1String("gemini-cli"))
        return route;
    if (oauthKind == QLatin1String("gemini") || route == QLatin1String("gemini"))
        return QStringLiteral("gemini");
    if (route == QLatin1String("vertex"))
        return route;
    for (const QString &kind : dedicatedKinds())
        if (oauthKind == kind || route == kind)
            return kind;
    if (route == QLatin1String("openai-compatibility"))
        return route;
    return QString();
}

WireKind wireFor(const QString &kind, const QJsonObject &entry)
{
    if (kind == QLatin1String("claude"))
        return WireKind::Anthropic;
    if (kind == QLatin1String("gemini"))
        return WireKind::Gemini;
    if (kind == QLatin1String("qwen") || kind == QLatin1String("kimi") ||
        kind == QLatin1String("iflow"))
        return WireKind::ChatCompletions;
    if (kind == QLatin1String("aistudio"))
        return WireKind::Relay;
    if (kind == QLatin1String("codex"))
        return WireKind::Codex;
    if (kind == QLatin1String("vertex") || kind == QLatin1String("gemini-cli") ||
        kind == QLatin1String("antigravity"))
        return WireKind::Unsupported;
    const QString api = entry.value("responses").toObject().value("api").toString().trimmed();
    return api == QLatin1String("chat_completions") ? WireKind::ChatCompletions
                                                    : WireKind::Responses;
}

QString wireName(WireKind wire)
{
    switch (wire) {
    case WireKind::Responses:
        return QStringLiteral("responses");
    case WireKind::ChatCompletions:
        return QStringLiteral("chat_completions");
    case WireKind::Anthropic:
        return QStringLiteral("anthropic_messages");
    case WireKind::Gemini:
        return QStringLiteral("gemini");
    case WireKind::Relay:
        return QStringLiteral("aistudio_relay");
    case WireKind::Codex:
        return QStringLiteral("codex_responses");
    case WireKind::Unsupported:
        break;
    }
    return QStringLiteral("unsupported");
}

QString defaultApiBase(const QString &kind)
{
    static const QHash<QString, QString> bases{
        {"claude", "https://api.anthropic.com"},
        {"gemini", "https://generativelanguage.googleapis.com"},
        {"aistudio", "https://generativelanguage.googleapis.com"},
        {"qwen", "https://portal.qwen.ai/v1"},
        {"kimi", "https://api.kimi.com/coding/v1"},
        {"iflow", "https://apis.iflow.cn/v1"},
        {"codex", "https://chatgpt.com/backend-api/codex"},
    };
    return bases.value(kind);
}

bool needsApiBase(const QString &kind)
{
    return kind.isEmpty() || kind == QLatin1String("openai-compatibility");
}

int fallbackPriority(const QString &kind)
{
    static const QHash<QString, int> priorities{
        {"claude", 10},
        {"codex", 20},
        {"gemini", 30},
        {"gemini-cli", 40},
        {"aistudio", 50},
        {"vertex", 60},
        {"antigravity", 70},
        {"qwen", 80},
        {"kimi", 90},
        {"iflow", 100},
        {"openai-compatibility", 110},
    };
    return priorities.value(kind, 1000);
}

QString findKey(const QJsonObject &providers, const QString &nameIn)
{
    const QString name = nameIn.trimmed();
    if (name.isEmpty())
        return QString();
    if (providers.contains(name))
        return name;
    const QString normalized = normalizeName(name);
    if (providers.contains(normalized))
        return normalized;
    for (auto it = providers.begin(); it != providers.end(); ++it)
        if (normalizeName(it.key()) == normalized)
            return it.key();
    return QString();
}

QPair<QString, QString> splitModelRef(const QString &refIn)
{
    const QString ref = refIn.trimmed();
    const qsizetype slash = ref.indexOf(QLatin1Char('/'));
    if (slash > 0)
        return {ref.left(slash).trimmed(), ref.mid(slash + 1).trimmed()};
    return {QString(), ref};
}

ModelSpec parseModel(const QString &modelIn)
{
    const QString model = modelIn.trimmed();
    const qsizetype open = model.lastIndexOf(QLatin1Char('('));
    if (!model.endsWith(QLatin1Char(')')) || open <= 0)
        return {model, QString()};
    return {model.left(open).trimmed(),
            model.mid(open + 1, model.size() - open - 2).trimmed().toLower()};
}

} // namespace ProviderRoute
