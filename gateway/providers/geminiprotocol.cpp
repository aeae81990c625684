#include "geminiprotocol.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QUrl>

namespace {

QJsonObject thinkingConfig(const QString &level, const QString &model)
{
    if (level.isEmpty())
        return QJsonObject();
    const bool gemini3 = model.contains(QLatin1String("gemini-3"));
    bool isNumber = false;
    const int number = level.toInt(&isNumber);
    if (level == QLatin1String("auto") || (isNumber && number < 0))
        return QJsonObject{{"thinkingBudget", -1}, {"includeThoughts", true}};
    if (level == QLatin1String("none") || (isNumber && number == 0))
        return gemini3 ? QJsonObject{{"thinkingLevel", "low"}, {"includeThoughts", false}}
                       : QJsonObject{{"thinkingBudget", 128}, {"includeThoughts", false}};
    if (isNumber)
        return QJsonObject{{"thinkingBudget", number}, {"includeThoughts", true}};
    static const QHash<QString, int> budgets{{"minimal", 128}, {"low", 1024},    {"medium", 8192},
                                             {"high", 24576},  {"xhigh", 32768}, {"max", 32768}};
    if (!budgets.contains(level))
        return QJsonObject();
    if (gemini3) {
        QString named = level;
        if (named == QLatin1String("minimal"))
            named = QStringLiteral("low");
        else if (named == QLatin1String("xhigh") || named == QLatin1String("max"))
            named = QStringLiteral("high");
        return QJsonObject{{"thinkingLevel", named}, {"includeThoughts", true}};
    }
    return QJsonObject{{"thinkingBudget", budgets.value(level)}, {"includeThoughts", true}};
}

QString finishReason(const QString &reason)
{
    const QString lower = reason.toLower();
    if (lower == QLatin1String("stop") || lower == QLatin1String("completed"))
        return QStringLiteral("stop");
    if (lower == QLatin1String("max_tokens"))
        return QStringLiteral("length");
    return lower;
}

} // namespace

QString GeminiProtocol::endpoint(const QString &apiBase, const QString &model, bool stream)
{
    QString base = apiBase.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    // The version and "/models" are ours to add, whichever way the base was written.
    for (const QLatin1StringView suffix :
         {QLatin1StringView("/models"), QLatin1StringView("/v1beta"), QLatin1StringView("/v1")})
        if (base.endsWith(suffix))
            base.chop(suffix.size());
    const QString action = stream ? QStringLiteral(":streamGenerateContent?alt=sse")
                                  : QStringLiteral(":generateContent");
    return base + QStringLiteral("/v1beta/models/") +
           QString::fromUtf8(QUrl::toPercentEncoding(model)) + action;
}

QNetworkRequest GeminiProtocol::request(const ProviderSettings &settings, bool stream) const
{
    QNetworkRequest request =
        baseRequest(endpoint(settings.apiBase, settings.model, stream), stream);
    const QByteArray key = settings.apiKey.trimmed().toUtf8();
    if (!key.isEmpty() && settings.oauthToken)
        request.setRawHeader("Authorization", "Bearer " + key);
    else if (!key.isEmpty())
        request.setRawHeader("x-goog-api-key", key);
    return request;
}

QJsonObject GeminiProtocol::requestBody(const ProviderSettings &settings,
                                        const QList<ChatMessage> &messages,
                                        const QList<ToolSpec> &tools)
{
    QStringList system;
    QJsonArray contents;
    QHash<QString, QString> callNames; // call id → function name, for the responses
    const auto append = [&contents](const QString &role, const QJsonArray &parts) {
        if (parts.isEmpty())
            return;
        if (!contents.isEmpty()) {
            QJsonObject last = contents.last().toObject();
            if (last.value("role").toString() == role) {
                QJsonArray merged = last.value("parts").toArray();
                for (const QJsonValue &part : parts)
                    merged.append(part);
                last.insert("parts", merged);
                contents.replace(contents.size() - 1, last);
                return;
            }
        }
        contents.append(QJsonObject{{"role", role}, {"parts", parts}});
    };
    for (const ChatMessage &message : messages) {
        if (message.role == QLatin1String("system") || message.role == QLatin1String("developer")) {
            if (!message.content.isEmpty())
                system << message.content;
        } else if (message.role == QLatin1String("assistant")) {
            QJsonArray parts;
            if (!message.content.isEmpty())
                parts.append(QJsonObject{{"text", message.content}});
            for (const ToolCall &call : message.toolCalls) {
                QJsonObject functionCall{{"name", call.name}, {"args", call.argumentsObject()}};
                if (!call.id.startsWith(kLocalIdPrefix))
                    functionCall.insert("id", call.id);
                QJsonObject part{{"functionCall", functionCall}};
                // Gemini 3 checks that a call of this turn comes back with its signature.
                if (!call.signature.isEmpty())
                    part.insert("thoughtSignature", call.signature);
                parts.append(part);
                callNames.insert(call.id, call.name);
            }
            append(QStringLiteral("model"), parts);
        } else if (message.role == QLatin1String("tool")) {
            if (!callNames.contains(message.toolCallId))
                continue; // a result without its call would be refused
            QJsonObject response{{"name", callNames.take(message.toolCallId)},
                                 {"response", QJsonObject{{"result", message.content}}}};
            if (!message.toolCallId.startsWith(kLocalIdPrefix))
                response.insert("id", message.toolCallId);
            append(QStringLiteral("user"), QJsonArray{QJsonObject{{"functionResponse", response}}});
        } else {
            append(QStringLiteral("user"), QJsonArray{QJsonObject{{"text", message.content}}});
        }
    }
    QJsonObject generation{{"temperature", settings.temperature}};
    if (settings.maxTokens > 0)
        generation.insert("maxOutputTokens", settings.maxTokens);
    const QJsonObject thinking = thinkingConfig(settings.thinking, settings.model);
    if (!thinking.isEmpty())
        generation.insert("thinkingConfig", thinking);
    QJsonObject body{{"contents", contents}, {"generationConfig", generation}};
    if (!system.isEmpty())
        body.insert("systemInstruction",
                    QJsonObject{{"parts", QJsonArray{QJsonObject{
                                              {"text", system.join(QStringLiteral("\n\n"))}}}}});
    if (!tools.isEmpty()) {
        QJsonArray declarations;
        for (const ToolSpec &tool : tools)
            declarations.append(QJsonObject{{"name", tool.name},
                                            {"description", tool.description},
                                            {"parametersJsonSchema", tool.parameters}});
        body.insert("tools", QJsonArray{QJsonObject{{"functionDeclarations", declarations}}});
        body.insert("toolConfig",
                    QJsonObject{{"functionCallingConfig", QJsonObject{{"mode", "AUTO"}}}});
    }
    return body;
}

QString GeminiProtocol::merge(const QJsonObject &responseIn, LlmResult *result, int *callCount,
                              QString *error)
{
    // Some relays wrap the response: {"response": {...}}.
    const QJsonObject response =
        responseIn.contains("response") && !responseIn.contains("candidates")
            ? responseIn.value("response").toObject()
            : responseIn;
    const QString blocked =
        response.value("promptFeedback").toObject().value("blockReason").toString();
    if (!blocked.isEmpty()) {
        *error = QStringLiteral("the prompt was blocked (%1)").arg(blocked);
        return QString();
    }
    QString text;
    const QJsonObject candidate = response.value("candidates").toArray().first().toObject();
    for (const QJsonValue &value : candidate.value("content").toObject().value("parts").toArray()) {
        const QJsonObject part = value.toObject();
        if (part.contains("functionCall")) {
            const QJsonObject call = part.value("functionCall").toObject();
            ++*callCount;
            QString id = call.value("id").toString(call.value("call_id").toString());
            // Unique across calls and turns: the session keeps these ids.
            if (id.isEmpty())
                id = kLocalIdPrefix +
                     QString::number(QRandomGenerator::global()->generate64(), 36) +
                     QLatin1Char('_') + QString::number(*callCount);
            ToolCall toolCall{
                id, call.value("name").toString(),
                QString::fromUtf8(
                    QJsonDocument(call.value("args").toObject()).toJson(QJsonDocument::Compact))};
            toolCall.signature = part.value("thoughtSignature").toString();
            result->toolCalls.append(toolCall);
        } else if (part.value("thought").toBool()) {
            result->reasoning += part.value("text").toString();
        } else {
            text += part.value("text").toString();
        }
    }
    result->content += text;
    const QString reason = candidate.value("finishReason").toString();
    if (!reason.isEmpty()) {
        result->finishReason = finishReason(reason);
        if (result->finishReason == QLatin1String("safety") ||
            result->finishReason == QLatin1String("recitation") ||
            result->finishReason == QLatin1String("prohibited_content"))
            if (result->content.isEmpty() && result->toolCalls.isEmpty())
                *error = QStringLiteral("the answer was withheld (%1)").arg(reason);
    }
    const QJsonObject usage = response.value("usageMetadata").toObject();
    if (!usage.isEmpty()) {
        result->usage.prompt = usage.value("promptTokenCount").toInteger();
        result->usage.completion = usage.value("candidatesTokenCount").toInteger() +
                                   usage.value("thoughtsTokenCount").toInteger();
        result->usage.total = usage.value("totalTokenCount")
                                  .toInteger(result->usage.prompt + result->usage.completion);
    }
    if (!result->toolCalls.isEmpty() && result->finishReason == QLatin1String("stop"))
        result->finishReason = QStringLiteral("tool_calls");
    return text;
}

QString GeminiProtocol::addEvent(const QJsonObject &event, QString *error)
{
    return merge(event, &m_result, &m_callCount, error);
}

LlmResult GeminiProtocol::parseReply(const QJsonObject &reply, QString *error) const
{
    LlmResult result;
    int calls = 0;
    merge(reply, &result, &calls, error);
    if (result.finishReason.isEmpty())
        result.finishReason = QStringLiteral("stop");
    return result;
}
