#include "testsupport.h"

#include <QProcess>

#include "core/configkeys.h"
#include "core/jsonutil.h"
#include "core/loghub.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QThread>
#include <optional>

namespace {

// No session bus in any test process unless a test brings its own (tst_secrets): the keychain
// probe then fails fast, as on a server, and a test run on a desktop never touches the
// developer's real keychain.
void isolateFromTheSessionBus()
{
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/clawgo-test-bus");
}
Q_CONSTRUCTOR_FUNCTION(isolateFromTheSessionBus)

} // namespace
#include <sys/stat.h>

QJsonObject HttpResult::json() const
{
    return QJsonDocument::fromJson(body).object();
}

bool waitFor(const std::function<bool()> &predicate, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!predicate()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(1);
    }
    return true;
}

static bool parseAnswer(const QByteArray &data, HttpResult *result)
{
    const qsizetype headEnd = data.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = data.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    result->status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
    result->headers.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon > 0) {
            const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
            const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
            if (result->headers.contains(name))
                result->headers[name] += ", " + value;
            else
                result->headers.insert(name, value);
        }
    }
    const qint64 length = result->headers.value("content-length", "-1").toLongLong();
    const QByteArray body = data.mid(headEnd + 4);
    if (length >= 0) {
        if (body.size() < length)
            return false;
        result->body = body.left(length);
        return true;
    }
    result->body = body;
    return result->closed;
}

HttpResult rawHttp(quint16 port, const QByteArray &request, int timeoutMs)
{
    HttpResult result;
    QTcpSocket socket;
    QByteArray received;
    bool done = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] {
        received += socket.readAll();
        done = parseAnswer(received, &result);
    });
    QObject::connect(&socket, &QTcpSocket::disconnected, [&] {
        received += socket.readAll();
        result.closed = true;
        done = true;
        parseAnswer(received, &result);
    });
    QObject::connect(&socket, &QTcpSocket::connected, [&] { socket.write(request); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    waitFor([&] { return done; }, timeoutMs);
    // The lambdas above capture locals: cut them off before the socket's destructor emits.
    QObject::disconnect(&socket, nullptr, nullptr, nullptr);
    if (qEnvironmentVariableIsSet("CLAWGO_TEST_DEBUG"))
        qDebug() << "rawHttp got status" << result.status << received.size() << received.left(300)
                 << "closed" << result.closed << socket.errorString();
    return result;
}

HttpResult http(quint16 port, const QByteArray &method, const QByteArray &target,
                const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray request = method + ' ' + target + " HTTP/1.1\r\n";
    bool hasHost = false;
    for (const auto &header : headers) {
        if (header.first.toLower() == "host")
            hasHost = true;
        request += header.first + ": " + header.second + "\r\n";
    }
    if (!hasHost)
        request += "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "Connection: close\r\n\r\n" + body;
    return rawHttp(port, request);
}

QJsonObject baseConfig(const QString &dir, const QString &token)
{
    QJsonObject config;
    JsonUtil::setValueAt(config, QStringLiteral("gateway.token"), token);
    JsonUtil::setValueAt(config, QStringLiteral("gateway.host"), QStringLiteral("127.0.0.1"));
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), 18790);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.workspace"),
                         dir + QStringLiteral("/workspace"));
    JsonUtil::setValueAt(config, QStringLiteral("logging.dir"), dir + QStringLiteral("/logs"));
    return config;
}

TestGateway::TestGateway()
{
    LogHub::install();
}

TestGateway::~TestGateway()
{
    m_gateway.reset(); // every save asked for is on disk now
    const QByteArray bytes = readConfigFile();
    if (bytes.isEmpty() || bytes == m_writtenByTest)
        return;
    QStringList refused = clawgoRefuses(configPath());
    refused.removeIf([this](const QString &problem) {
        for (const QString &path : std::as_const(m_expectedUnknown))
            if (problem.endsWith(QStringLiteral("(at %1)").arg(path)))
                return true;
        return false;
    });
    if (!refused.isEmpty()) {
        // Straight to stderr: the log hub may not print a fatal message before the abort.
        fprintf(stderr, "FATAL: the program wrote a config.json clawgo would refuse: %s\n",
                qPrintable(refused.join(QLatin1String("; "))));
        fflush(stderr);
        qFatal("config.json refused by clawgo's strict decode");
    }
}

QStringList clawgoRefuses(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {QStringLiteral("cannot read %1").arg(path)};
    QJsonObject config;
    QString error;
    if (!JsonUtil::parseObject(file.readAll(), &config, &error))
        return {QStringLiteral("not a JSON object: %1").arg(error)};
    return ConfigKeys::strictDecodeErrors(config);
}

bool TestGateway::start(const QJsonObject &config, GatewayOptions options)
{
    m_portFromFile = options.port.has_value() && *options.port < 0;
    if (m_portFromFile)
        options.port.reset();
    if (!config.isEmpty())
        writeConfigFile(JsonUtil::pretty(config));
    options.configPath = configPath();
    if (!options.host)
        options.host = QStringLiteral("127.0.0.1");
    if (!options.port && !m_portFromFile)
        options.port = 0;
    options.configDebounceMs = 50;
    options.logTailIntervalMs = 20;
    m_gateway = std::make_unique<Gateway>(options);
    return m_gateway->start(&m_error);
}

QByteArray TestGateway::readConfigFile() const
{
    QFile file(configPath());
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

void TestGateway::writeConfigFile(const QByteArray &bytes)
{
    m_writtenByTest = bytes;
    QFile file(configPath());
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(bytes);
}

int fileMode(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}

ConfigStore::SaveResult saveAndWait(ConfigStore &store, const QJsonObject &config,
                                    const QString &source, const QByteArray &ifMatch)
{
    std::optional<ConfigStore::SaveResult> result;
    QObject context;
    store.save(config, source, ifMatch, &context,
               [&result](const ConfigStore::SaveResult &r) { result = r; });
    waitFor([&] { return result.has_value(); }, 10000);
    return result.value_or(ConfigStore::SaveResult{
        ConfigStore::SaveResult::WriteFailed, {}, QStringLiteral("<no answer>")});
}

QList<ChatMessage> loadSession(SessionStore &store, const QString &key)
{
    bool loaded = false;
    store.loadAsync(key, &store, [&loaded] { loaded = true; });
    waitFor([&] { return loaded; }, 10000);
    return store.messages(key);
}

void settle(SessionStore &store)
{
    waitFor([&] { return !store.hasPendingWork(); }, 10000);
    store.waitForWrites();
}

PrivateSessionBus::~PrivateSessionBus()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(3000))
            m_process->kill();
    }
}

bool PrivateSessionBus::start(const QString &runtimeDir, QString *error)
{
    QFile config(runtimeDir + QStringLiteral("/bus.conf"));
    if (!config.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write the bus config");
        return false;
    }
    config.write(QStringLiteral("<busconfig>\n"
                                "  <type>session</type>\n"
                                "  <listen>unix:dir=%1</listen>\n"
                                "  <auth>EXTERNAL</auth>\n"
                                "  <policy context='default'>\n"
                                "    <allow send_destination='*' eavesdrop='true'/>\n"
                                "    <allow eavesdrop='true'/>\n"
                                "    <allow own='*'/>\n"
                                "  </policy>\n"
                                "</busconfig>\n")
                     .arg(runtimeDir)
                     .toUtf8());
    config.close();
    m_process = std::make_unique<QProcess>();
    m_process->start(QStringLiteral("dbus-daemon"),
                     {QStringLiteral("--config-file=") + config.fileName(),
                      QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
    if (!m_process->waitForStarted()) {
        *error = QStringLiteral("dbus-daemon does not start: run `make deps`");
        return false;
    }
    if (!waitFor([&] { return m_process->canReadLine(); }, 10000)) {
        *error = QStringLiteral("dbus-daemon printed no address");
        return false;
    }
    m_address = m_process->readLine().trimmed();
    if (!m_address.startsWith("unix:")) {
        *error = QStringLiteral("unexpected bus address ") + QString::fromUtf8(m_address);
        return false;
    }
    qputenv("DBUS_SESSION_BUS_ADDRESS", m_address);
    return true;
}

ToolOutcome runTool(const ToolContext &context, const QString &name, const QJsonObject &arguments,
                    int timeoutMs)
{
    auto registry = ToolRegistry::builtIn(context);
    Tool *tool = registry->find(name);
    if (!tool)
        return ToolOutcome::fail(QStringLiteral("<tool %1 not registered>").arg(name));
    std::optional<ToolOutcome> outcome;
    QObject receiver;
    ToolTask *task = tool->start(arguments, context);
    QObject::connect(task, &ToolTask::finished, &receiver,
                     [&](const ToolOutcome &result) { outcome = result; });
    waitFor([&] { return outcome.has_value(); }, timeoutMs);
    return outcome.value_or(ToolOutcome::fail(QStringLiteral("<no answer>")));
}

void useFakeProvider(QJsonObject *config, const QString &apiBase)
{
    JsonUtil::setValueAt(
        *config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", apiBase},
                                 {"api_key", "sk-fake-0123"},
                                 {"models", QJsonArray{"m"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(*config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/m"));
}
