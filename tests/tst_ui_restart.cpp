// The window started as a user starts it (DesktopApp: window first, then the gateway) on a home
// that already has a config, sessions and logs, then quit and started again on the same home:
// every page must show what is on disk both times, with nothing to click first.

#include "agent/sessionstore.h"
#include "chatpage.h"
#include "configpage.h"
#include "core/jsonutil.h"
#include "core/loghub.h"
#include "desktopapp.h"
#include "logspage.h"
#include "testsupport.h"
#include "uitestsupport.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>

class TestUiRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pagesShowTheHomeOnEveryStart();
    void longSessionShowsItsNewestMessagesFirst();
    void brokenConfigIsNeverOverwrittenFromTheWindow();

private:
    QTemporaryDir m_dir;
    QString m_configPath;
};

void TestUiRestart::initTestCase()
{
    LogHub::install();
    QJsonObject config = baseConfig(m_dir.path());
    JsonUtil::setValueAt(config, QStringLiteral("gateway.port"), 18791);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("deepseek/deepseek-chat"));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.deepseek.api_base"),
                         QStringLiteral("https://api.deepseek.example/v1"));
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.deepseek.models"),
                         QJsonArray{"deepseek-chat"});
    JsonUtil::setValueAt(config, QStringLiteral("models.providers.deepseek.timeout_sec"), 60);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.max_tokens"), 4096);
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.temperature"), 0.3);
    m_configPath = m_dir.filePath(QStringLiteral("config.json"));
    QFile file(m_configPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(config));
    file.close();

    // Two sessions written as the agent writes them.
    SessionStore sessions(m_dir.filePath(QStringLiteral("agents/main/sessions")));
    sessions.append(
        QStringLiteral("desktop:20261101-090000"),
        ChatMessage{QStringLiteral("user"), QStringLiteral("plan my trip"), {}, {}, {}});
    sessions.append(
        QStringLiteral("desktop:20261101-090000"),
        ChatMessage{QStringLiteral("assistant"), QStringLiteral("Here is a plan"), {}, {}, {}});
    sessions.append(QStringLiteral("weixin:bot@im.bot|friend"),
                    ChatMessage{QStringLiteral("user"), QStringLiteral("ni hao"), {}, {}, {}});
    settle(sessions);
}

void TestUiRestart::pagesShowTheHomeOnEveryStart()
{
    for (int start = 1; start <= 2; ++start) {
        const QByteArray onDisk = [&] {
            QFile file(m_configPath);
            file.open(QIODevice::ReadOnly);
            return file.readAll();
        }();
        GatewayOptions options;
        options.configPath = m_configPath;
        options.port = 0; // the file's port stays what the form must show
        options.useKeychain = false;
        DesktopApp app(options);
        QString startError;
        connect(app.host(), &GatewayHost::started, this,
                [&](bool, const QString &error) { startError = error; });
        app.start(false);
        ConfigPage *config = app.window()->configPage();
        ChatPage *chat = app.window()->chatPage();
        QVERIFY2(
            waitFor([&] { return !config->fieldText(QStringLiteral("gateway.host")).isEmpty(); },
                    10000),
            qPrintable(QStringLiteral("start %1: the form stayed blank").arg(start)));
        QCOMPARE(config->fieldText(QStringLiteral("gateway.host")), QStringLiteral("127.0.0.1"));
        QVERIFY2(config->fieldText(QStringLiteral("gateway.port")) == QStringLiteral("18791"),
                 qPrintable(startError));
        QCOMPARE(config->fieldText(QStringLiteral("agents.defaults.model.primary")),
                 QStringLiteral("deepseek/deepseek-chat"));
        QCOMPARE(config->fieldText(QStringLiteral("models.providers.{provider}.api_base")),
                 QStringLiteral("https://api.deepseek.example/v1"));
        QCOMPARE(config->fieldText(QStringLiteral("agents.defaults.max_tokens")),
                 QStringLiteral("4096"));
        const QJsonObject raw = QJsonDocument::fromJson(config->rawText().toUtf8()).object();
        QCOMPARE(JsonUtil::valueAt(raw, QStringLiteral("gateway.port")).toInt(), 18791);
        QCOMPARE(JsonUtil::valueAt(raw, QStringLiteral("agents.defaults.temperature")).toDouble(),
                 0.3);
        QVERIFY(!config->isDirty());

        QVERIFY2(waitFor([&] { return chat->sessionKeys().size() >= 2; }, 10000),
                 qPrintable(chat->sessionKeys().join(QLatin1Char(','))));
        QVERIFY(chat->sessionKeys().contains(QStringLiteral("desktop:20261101-090000")));
        QVERIFY(chat->sessionKeys().contains(QStringLiteral("weixin:bot@im.bot|friend")));
        // An unnamed session is titled by its first question once the sessions are read.
        QVERIFY2(waitFor([&] {
                     return chat->visibleSessionTitles().contains(QStringLiteral("ni hao"));
                 }),
                 qPrintable(chat->visibleSessionTitles().join(QLatin1Char(','))));
        // Renamed on the first start; the name is still there on the second.
        if (start == 1)
            chat->renameSession(QStringLiteral("desktop:20261101-090000"),
                                QStringLiteral("Trip to Kyoto"));
        QVERIFY(waitFor([&] {
            return chat->visibleSessionTitles().contains(QStringLiteral("Trip to Kyoto"));
        }));
        chat->showSession(QStringLiteral("desktop:20261101-090000"));
        QVERIFY(waitFor(
            [&] { return chat->transcriptText().contains(QLatin1String("Here is a plan")); }));
        QVERIFY(chat->transcriptText().contains(QLatin1String("plan my trip")));

        // Saving untouched finds nothing to complain about and leaves the file as it was.
        config->save();
        QCOMPARE(config->statusText(), QStringLiteral("No changes to save."));
        QFile file(m_configPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), onDisk);
    }
}

// A session of 100 messages opens on its newest ones; older ones come a page at a time.
void TestUiRestart::longSessionShowsItsNewestMessagesFirst()
{
    SessionStore sessions(m_dir.filePath(QStringLiteral("agents/main/sessions")));
    for (int i = 0; i < 100; ++i)
        sessions.append(QStringLiteral("long"),
                        ChatMessage{i % 2 ? QStringLiteral("assistant") : QStringLiteral("user"),
                                    QStringLiteral("message number %1.").arg(i),
                                    {},
                                    {},
                                    {}});
    settle(sessions);
    GatewayOptions options;
    options.configPath = m_configPath;
    options.port = 0;
    options.useKeychain = false;
    DesktopApp app(options);
    app.start(false);
    ChatPage *chat = app.window()->chatPage();
    chat->showSession(QStringLiteral("long"));
    QVERIFY(waitFor(
        [&] { return chat->transcriptText().contains(QLatin1String("message number 99.")); }));
    const int page = ChatPage::kPageOfMessages;
    QVERIFY(chat->transcriptText().contains(QStringLiteral("message number %1.").arg(100 - page)));
    QVERIFY(!chat->transcriptText().contains(QStringLiteral("message number %1.").arg(99 - page)));
    QVERIFY(chat->transcriptText().contains(
        QStringLiteral("Show %1 earlier message(s)").arg(qMin(page, 100 - page))));
    // Messages read from disk carry the time of their line.
    auto *view = chat->findChild<TranscriptView *>();
    QVERIFY(view);
    const QString tip = headerToolTip(view, {QStringLiteral("You"), QStringLiteral("Agent")});
    QVERIFY2(tip.contains(QString::number(QDate::currentDate().year())), qPrintable(tip));
    while (chat->transcriptText().contains(QLatin1String("earlier message")))
        chat->showEarlier();
    QVERIFY(chat->transcriptText().contains(QLatin1String("message number 0.")));
    QVERIFY(chat->transcriptText().contains(QLatin1String("message number 99.")));
}

// A config.json the store refuses: the window starts (Status says why), the Config page shows
// the defaults but cannot save them over the user's file.
void TestUiRestart::brokenConfigIsNeverOverwrittenFromTheWindow()
{
    QTemporaryDir home;
    const QString path = home.filePath(QStringLiteral("config.json"));
    const QByteArray broken =
        R"({"gateway": {"port": 99999}, "agents": {"defaults": {"max_tokens": 512}}})";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(broken);
    file.close();
    GatewayOptions options;
    options.configPath = path;
    options.port = 0;
    options.useKeychain = false;
    DesktopApp app(options);
    QSignalSpy started(app.host(), &GatewayHost::started);
    app.start(false);
    QVERIFY(started.wait(10000));
    QCOMPARE(started.first().at(0).toBool(), false);
    ConfigPage *config = app.window()->configPage();
    QVERIFY(waitFor([&] { return !config->canSave(); }));
    QVERIFY(
        config->setFieldText(QStringLiteral("agents.defaults.max_tokens"), QStringLiteral("1024")));
    config->save();
    QCOMPARE(config->statusText(),
             QStringLiteral("Saving is off: the config file could not be loaded."));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), broken);
}

QTEST_MAIN(TestUiRestart)
#include "tst_ui_restart.moc"
