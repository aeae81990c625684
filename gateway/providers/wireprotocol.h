#pragma once

#include "llmtypes.h"

#include <QNetworkRequest>
#include <memory>

// One provider wire protocol as LlmCall drives it: the request (endpoint, auth and protocol
// headers, body), the streamed events accumulated into a result, and a whole (non-streamed)
// answer parsed into the same result. One instance per call.
class WireProtocol
{
public:
    virtual ~WireProtocol() = default;

    static std::unique_ptr<WireProtocol> create(WireKind wire);

    virtual QString endpointName() const = 0; // for messages: "Chat Completions endpoint"
    virtual QNetworkRequest request(const ProviderSettings &settings, bool stream) const = 0;
    virtual QJsonObject body(const ProviderSettings &settings, const QList<ChatMessage> &messages,
                             const QList<ToolSpec> &tools, bool stream) const = 0;

    // One streamed event; returns the visible text it adds. Sets `error` when the event itself
    // reports a failure or cannot be used.
    virtual QString addEvent(const QJsonObject &event, QString *error) = 0;
    // The provider said the answer is complete ([DONE], finish reason, message_stop, …).
    virtual bool ended() const = 0;
    // What the events added up to; `error` set when the complete stream is still unusable
    // (tool arguments that never became JSON).
    virtual LlmResult streamedResult(QString *error) const = 0;
    virtual LlmResult parseReply(const QJsonObject &reply, QString *error) const = 0;

protected:
    // POST with JSON, Accept for the stream or a plain answer, no HTTP/2, safe redirects.
    static QNetworkRequest baseRequest(const QString &url, bool stream);
};
