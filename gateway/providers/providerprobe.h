#pragma once

#include "llmtypes.h"

#include <QObject>
#include <functional>

// A real, tiny call to a provider ("Reply with OK.", a handful of tokens) to tell whether it
// answers: the window's "test" buttons and the setup wizard.
namespace ProviderProbe {

// `done(ok, message)`: the model's first words, or why it failed. Dropped when `context` is gone.
void check(const ProviderSettings &settings, QObject *context,
           std::function<void(bool ok, const QString &message)> done);
// The same, with the failure's kind for the provider runtime.
void check(const ProviderSettings &settings, QObject *context,
           std::function<void(bool ok, const QString &message, const LlmFailure &failure)> done);

} // namespace ProviderProbe
