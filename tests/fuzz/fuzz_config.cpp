// The config validator, the redaction of secrets and its reverse, and the check that masked
// secrets do not move to a new address, on whatever JSON a client or a hand edit produces.

#include "core/configdefaults.h"
#include "core/configkeys.h"
#include "core/configvalidator.h"
#include "core/jsonutil.h"
#include "core/secretredactor.h"

#include <QJsonDocument>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonObject parsed;
    QString error;
    if (!JsonUtil::parseObject(bytes, &parsed, &error))
        return 0;
    static const QJsonObject defaults = ConfigKeys::defaults(QStringLiteral("/tmp/clawgo-fuzz"));
    const QJsonObject merged = JsonUtil::deepMerge(defaults, parsed, ConfigKeys::userOwnedMaps());
    ConfigValidator::validate(merged);
    const QJsonObject redacted = SecretRedactor::redact(merged);
    SecretRedactor::restore(redacted, merged);
    SecretRedactor::secretsSentElsewhere(redacted, defaults);
    SecretRedactor::secretValues(merged);
    ConfigKeys::typeErrors(parsed);
    ConfigKeys::strictDecodeErrors(parsed);
    const ConfigKeys::Split halves = ConfigKeys::split(merged, ConfigKeys::unknownPaths(parsed));
    ConfigKeys::desktopPathsIn(halves.clawgo);
    return 0;
}
