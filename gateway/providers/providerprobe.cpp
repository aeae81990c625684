#include "providerprobe.h"

#include "llmcall.h"

namespace ProviderProbe {

void check(const ProviderSettings &settings, QObject *context,
           std::function<void(bool, const QString &)> done)
{
    check(settings, context,
          [done](bool ok, const QString &message, const LlmFailure &) { done(ok, message); });
}

void check(const ProviderSettings &settingsIn, QObject *context,
           std::function<void(bool, const QString &, const LlmFailure &)> done)
{
    ProviderSettings settings = settingsIn;
    settings.maxTokens = 16;
    settings.stream = false;
    settings.timeoutSec = qMin(settings.timeoutSec, 20);
    // The call belongs to the context: when it goes, the call is cancelled with it.
    auto *call = new LlmCall(
        settings, {{QStringLiteral("user"), QStringLiteral("Reply with OK."), {}, {}, {}}}, {},
        context);
    QObject::connect(call, &LlmCall::finished, call, [call, done](const LlmResult &result) {
        call->deleteLater();
        done(true, result.content.trimmed().left(80), LlmFailure());
    });
    QObject::connect(call, &LlmCall::failed, call, [call, done](const QString &error) {
        call->deleteLater();
        done(false, error, call->failure());
    });
    call->start();
}

} // namespace ProviderProbe
