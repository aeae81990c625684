#pragma once

#include <QString>
#include <QStringList>

// What the defaults need besides the key table (configkeys.h holds every default value).
namespace ConfigDefaults {

// `cg_` + 32 lowercase hex characters from the system CSPRNG.
QString generateToken();
// The top-level sections, in the reference's serialization order.
const QStringList &sections();

} // namespace ConfigDefaults
