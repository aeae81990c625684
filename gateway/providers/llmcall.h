#pragma once

#include "llmtypes.h"
#include "sseparser.h"
#include "wireprotocol.h"

#include <QObject>
#include <QPointer>

class QNetworkAccessManager;
class RelayExchange;
class QNetworkReply;
class QTimer;

// One request to a provider in its wire protocol (Chat Completions, Responses, Anthropic
// Messages, Gemini), streamed when the server streams. Emits delta() as text arrives, then
// exactly one of finished() or failed() — unless cancel() was called, after which it emits
// nothing. failure() then says why, for the provider runtime. Never blocks.
class LlmCall : public QObject
{
    Q_OBJECT

public:
    LlmCall(const ProviderSettings &settings, const QList<ChatMessage> &messages,
            const QList<ToolSpec> &tools, QObject *parent = nullptr);
    ~LlmCall() override;

    void start();
    void cancel();
    const ProviderSettings &settings() const { return m_settings; }
    const LlmFailure &failure() const { return m_failure; }

    // "<base>/chat/completions" etc., accepting a base that already ends with the endpoint.
    static QString endpointFor(const QString &apiBase, const QString &relative);

Q_SIGNALS:
    void delta(const QString &text);
    void finished(const LlmResult &result);
    void failed(const QString &error);

private:
    void onReadyRead();
    void onFinished();
    // The transport-independent steps (network or relay): the answer's head, its bytes, its end.
    void takeHead(int status, const QString &contentType, const QByteArray &retryAfter);
    void takeBytes(const QByteArray &bytes);
    void complete(int status, bool transportError, const QString &transportErrorText);
    void fail(const QString &error, LlmFailure::Reason reason, int status = 0);
    void succeed();
    void handleEvent(const QByteArray &payload);
    void failHttp(int status, const QByteArray &body);
    QString who() const;

    ProviderSettings m_settings;
    std::unique_ptr<WireProtocol> m_protocol;
    LlmFailure m_failure;
    bool m_outputStarted = false;
    QByteArray m_body;
    QPointer<QNetworkReply> m_reply;
    QPointer<RelayExchange> m_exchange;
    QByteArray m_retryAfter;
    QTimer *m_firstByteTimer;
    QTimer *m_idleTimer;
    bool m_done = false;      // a signal has been emitted (or cancelled)
    bool m_streaming = false; // the answer is text/event-stream
    bool m_headersChecked = false;
    bool m_streamEnded = false; // [DONE], finish_reason or response.completed seen
    int m_status = 0;
    QByteArray m_buffer; // non-streamed body, or an error body
    SseParser m_sse;
};
