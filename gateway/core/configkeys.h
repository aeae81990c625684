#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <functional>
#include <limits>

// One typed table of every config key the program knows (the KeePassXC ConfigKey idea): its
// path, type, default, which file stores it, whether it is a secret, whether a change applies
// at once, and its range or choices. The defaults, the type checks of the validator, the
// redaction of secrets (API answers and log lines), the hot-reload metadata, the window's form,
// and the split of the document into config.json and desktop.json all read this table.
//
// Paths are dotted; `*` stands for any key of a map (`models.providers.*.api_key`), a segment
// ending in `[]` for every item of an array of objects (`channels.weixin.accounts[].bot_token`).
struct ConfigKey
{
    enum class Type
    {
        Bool,
        Integer,
        Number,
        String,
        StringList,
        Object,     // a fixed-shape object whose keys are listed in the table
        ObjectList, // an array of fixed-shape objects (`name[]` paths below it)
        Map,        // user-owned map of fixed-shape entries (`name.*` paths below it)
        StringMap,  // any keys, string values (environment variables)
        Lenient,    // anything below is accepted as it is (clawgo decodes it leniently)
    };
    // config.json holds only keys clawgo knows; our own keys live in desktop.json.
    enum class File
    {
        Clawgo,
        Desktop,
    };
    enum class Apply
    {
        Hot,     // the services re-apply it at once
        Restart, // read at start only
        Kept,    // kept for clawgo and round-tripped; this program does not use it (yet)
    };

    QString path;
    Type type = Type::String;
    QJsonValue defaultValue = QJsonValue::Undefined; // undefined: absent by default
    File file = File::Clawgo;
    bool secret = false;           // never in an answer or a log line
    bool credentialsInUrl = false; // a URL whose password part is secret
    bool keychain = false; // a credential the system keychain holds when secrets.keychain is on
    Apply apply = Apply::Hot;
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    QStringList choices; // allowed values of a string (empty string always allowed)
    // Where a secret is sent (paths of the addresses, `*` bound like the secret's own): a
    // masked secret posted back with one of them changed must be entered again.
    QStringList sentTo;
    QString itemId; // ObjectList: the field that identifies an item (matched before position)

    bool isSecretish() const { return secret || credentialsInUrl; }
    bool hasRange() const
    {
        return minimum != -std::numeric_limits<double>::infinity() ||
               maximum != std::numeric_limits<double>::infinity();
    }
};

namespace ConfigKeys {

const QList<ConfigKey> &all();
// The key whose pattern matches a concrete path ("models.providers.p.api_key"; array items by
// index, "channels.weixin.accounts.0.bot_token"), or null. Below a StringMap or Lenient key,
// that key.
const ConfigKey *find(const QString &path);
const ConfigKey *find(const QStringList &segments);

// The default document (spec/config.md §2 with our safer bind host and our own keys), with
// paths below `configDir`.
QJsonObject defaults(const QString &configDir);
// Maps owned by the user: a file that has one replaces the default map as a whole.
const QSet<QString> &userOwnedMaps();

// Type errors of a document, in document order ("gateway.port must be a whole number, not a
// string").
QStringList typeErrors(const QJsonObject &config);
// Range and choice errors of a document whose types are right ("gateway.port must be in
// 1..65535").
QStringList rangeErrors(const QJsonObject &config);
// What clawgo's strict decoder would refuse in a config.json: fields it does not define (our
// own keys included) and values of the wrong type. Empty means clawgo loads the file.
QStringList strictDecodeErrors(const QJsonObject &configJson);

// The document split by the table: clawgo keys (and keys unknown to both, unless they came from
// desktop.json) to config.json, our keys to desktop.json, each at the same path.
struct Split
{
    QJsonObject clawgo;
    QJsonObject desktop;
};
Split split(const QJsonObject &document, const QSet<QString> &unknownFromDesktop);
// Dotted paths of the keys of a document that the table does not know (each unknown subtree
// once), for remembering which file they came from.
QSet<QString> unknownPaths(const QJsonObject &document);
// Our own keys in a config.json (to move them to desktop.json): dotted paths, or segments.
QStringList desktopPathsIn(const QJsonObject &configJson);
QList<QStringList> desktopKeysIn(const QJsonObject &configJson);

// Every concrete place in `document` that `key` matches, with its value.
using Visit = std::function<void(const QStringList &segments, const QJsonValue &value)>;
void forEachMatch(const QJsonObject &document, const ConfigKey &key, const Visit &visit);

// Typed reads of a concrete path in an effective config: the value there, else the table's
// default for the path. Reading a path the table does not know is a programming error.
// A path is dotted, or given as segments when a map key may itself contain a dot
// ({"models", "providers", name, "api_key"}).
QJsonValue value(const QJsonObject &config, const QStringList &segments);
QJsonValue value(const QJsonObject &config, const QString &path);
bool flag(const QJsonObject &config, const QString &path);
int integer(const QJsonObject &config, const QString &path);
double number(const QJsonObject &config, const QString &path);
QString string(const QJsonObject &config, const QString &path);      // trimmed
QStringList strings(const QJsonObject &config, const QString &path); // trimmed, non-empty
bool flag(const QJsonObject &config, const QStringList &segments);
int integer(const QJsonObject &config, const QStringList &segments);
double number(const QJsonObject &config, const QStringList &segments);
QString string(const QJsonObject &config, const QStringList &segments);
QStringList strings(const QJsonObject &config, const QStringList &segments);

// "http://user:pass@host" → "http://user:********@host" (unchanged without a password).
QString maskUrlPassword(const QString &url);
// The password of a URL, or empty.
QString urlPassword(const QString &url);
// A URL without its password, for comparing addresses.
QString urlWithoutPassword(const QString &url);
// `url` with the password of `from` put in place of its masked one.
QString restoreUrlPassword(const QString &url, const QString &from);

// Concrete segments as a readable path: "channels.weixin.accounts[0].bot_token".
QString displayPath(const QStringList &segments);

} // namespace ConfigKeys
