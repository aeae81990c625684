#pragma once

#include "agent/sessionstore.h"
#include "core/configstore.h"
#include "gateway.h"
#include "tools/tool.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <memory>

// What a test client saw: status, headers (lower-case names) and body.
struct HttpResult
{
    int status = 0;
    QHash<QByteArray, QByteArray> headers;
    QByteArray body;
    bool closed = false; // the server closed the connection

    QJsonObject json() const;
    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
};

// Sends raw bytes on a fresh connection and reads one HTTP answer, spinning the event loop
// (the gateway under test lives on this thread).
HttpResult rawHttp(quint16 port, const QByteArray &request, int timeoutMs = 5000);

// A request with the usual headers (Host, Content-Length) filled in.
HttpResult http(quint16 port, const QByteArray &method, const QByteArray &target,
                const QByteArray &body = QByteArray(),
                const QList<QPair<QByteArray, QByteArray>> &headers = {});

// What clawgo's strict decoder would refuse in the config.json at `path` (unknown fields, wrong
// types), by the key table's clawgo columns; empty when clawgo loads it. A file that is not a
// JSON object is reported too.
QStringList clawgoRefuses(const QString &path);

// A gateway with its own config folder, listening on 127.0.0.1:0. When it is destroyed, a
// config.json the program wrote (not one the test wrote and the program left alone) must pass
// clawgo's strict decode: a failure aborts the test executable, naming the fields.
class TestGateway
{
public:
    TestGateway();
    ~TestGateway();
    // Unknown keys the test itself put into config.json, which stay there by design.
    void expectUnknownKeysInConfig(const QStringList &paths) { m_expectedUnknown = paths; }
    // Writes `config` to config.json first when it is not empty. The port is 0 (any free one)
    // unless options.port says otherwise; options.port = -1 takes it from the file.
    bool start(const QJsonObject &config = QJsonObject(),
               GatewayOptions options = GatewayOptions());
    Gateway *gateway() const { return m_gateway.get(); }
    quint16 port() const { return m_gateway->port(); }
    QString configPath() const { return m_dir.filePath(QStringLiteral("config.json")); }
    QString dir() const { return m_dir.path(); }
    QByteArray token() const { return m_gateway->token().toUtf8(); }
    QByteArray bearer() const { return "Bearer " + token(); }
    QByteArray readConfigFile() const;
    void writeConfigFile(const QByteArray &bytes);
    QString error() const { return m_error; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Gateway> m_gateway;
    QString m_error;
    bool m_portFromFile = false;
    QByteArray m_writtenByTest;
    QStringList m_expectedUnknown;
};

// A D-Bus session bus of the test's own (Debian's dbus-daemon), for the tests that need one:
// the keychain (tst_secrets) and the accessibility bridge (tst_desktop_x11). `runtimeDir` holds
// its socket. The address is also put into DBUS_SESSION_BUS_ADDRESS for this process.
class PrivateSessionBus
{
public:
    ~PrivateSessionBus();
    bool start(const QString &runtimeDir, QString *error);
    QByteArray address() const { return m_address; }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_address;
};

// Waits (spinning the event loop) until `predicate` holds or `timeoutMs` passes.
bool waitFor(const std::function<bool()> &predicate, int timeoutMs = 5000);

// A config with a fixed token and test-friendly paths.
QJsonObject baseConfig(const QString &dir,
                       const QString &token = QStringLiteral("cg_test_token_0123456789"));

// Points `config` at one OpenAI-compatible provider "fake" (Chat Completions) at `apiBase`,
// with the model "m" as the primary.
void useFakeProvider(QJsonObject *config, const QString &apiBase);

// ConfigStore::save(), waiting (spinning the event loop) for the disk to answer.
ConfigStore::SaveResult saveAndWait(ConfigStore &store, const QJsonObject &config,
                                    const QString &source,
                                    const QByteArray &ifMatch = QByteArray());

// A session's messages from a store, loading it first (spinning the event loop).
QList<ChatMessage> loadSession(SessionStore &store, const QString &key);
// Waits until every append asked of `store` is on disk.
void settle(SessionStore &store);

// Permission bits of a file or folder (st_mode & 0777).
int fileMode(const QString &path);

// Runs the built-in tool `name` with `arguments` to its outcome (a failure when it does not
// answer in time).
ToolOutcome runTool(const ToolContext &context, const QString &name, const QJsonObject &arguments,
                    int timeoutMs = 10000);
