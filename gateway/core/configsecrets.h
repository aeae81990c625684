#pragma once

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

// Where the credentials of a config document are, for keeping them in the system keychain
// (configkeys.h marks them `keychain`). A credential has an address that survives reordering:
// its dotted path, with list items named by their id ("channels.weixin.accounts[b1].bot_token")
// and map entries by their key ("tools.mcp.servers.fs.env.TOKEN").
namespace ConfigSecrets {

// Every place of `document` that holds (or could hold, when empty) a keychain credential:
// address → concrete segments.
QHash<QString, QStringList> positions(const QJsonObject &document);
// The non-empty credentials of a document: address → value.
QHash<QString, QString> values(const QJsonObject &document);

// The keychain entry of an address. Weixin bot tokens keep the key earlier versions used
// ("weixin/<bot_id>"), so tokens stored by them are still found.
QString keychainKey(const QString &address);

QJsonObject withValue(const QJsonObject &document, const QStringList &segments,
                      const QString &value);
QString valueAt(const QJsonObject &document, const QStringList &segments);

// Markers written by earlier versions inside Weixin accounts ("bot_token_in_keychain": true):
// taken out of `document` and returned as addresses.
QStringList takeLegacyMarkers(QJsonObject *document);

} // namespace ConfigSecrets
