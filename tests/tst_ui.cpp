// The window over a real in-process gateway (on its own thread), offscreen: chat streaming from
// the fake provider into the view and the session file, the config page's field errors and
// saves, the log page, the setup wizard, single-instance forwarding, the zh_CN translation, and
// a screenshot of each page under <build>/screenshots.

#include "aboutdialog.h"
#include "appicons.h"
#include "autostart.h"
#include "channels/weixinchannel.h"
#include "chatpage.h"
#include "colorscheme.h"
#include "configpage.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "cron/cronjob.h"
#include "cronpage.h"
#include "cronwords.h"
#include "fakes/fakeilinkserver.h"
#include "fakes/fakeoauthserver.h"
#include "fakes/fakeopenaiserver.h"
#include "gatewayhost.h"
#include "logspage.h"
#include "mainwindow.h"
#include "oauthaccountspanel.h"
#include "providers/providerconfig.h"
#include "providerspage.h"
#include "setupwizard.h"
#include "singleinstance.h"
#include "statuspage.h"
#include "testsupport.h"
#include "transcriptview.h"
#include "translations.h"
#include "uitestsupport.h"
#include "weixinpage.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextEdit>
#include <QTextTable>
#include <QTranslator>
#include <QTreeWidget>
#include <QWebSocket>
#include <QWheelEvent>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

namespace {
const QByteArray kToken = "cg_test_token_0123456789";
}

class TestUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void chatStreamsIntoTheViewAndTheSession();
    void ctrlEnterSends();
    void attachUploadsAndTheAgentReadsIt();
    void stoppedReplySurvivesSwitchingSessions();
    void failedTurnOffersRetryAndClearsWhenItWorks();
    void sessionsHaveTitlesSearchAndDelete();
    void codeBlocksAreSetOffAndEmptySessionsGuide();
    void repliesCanBeCopiedAndTheLastRegenerated();
    void invalidConfigShowsTheFieldErrorAndWritesNothing();
    void validConfigSaveReachesApiClients();
    void formRefusesWhatTheApiRefuses_data();
    void formRefusesWhatTheApiRefuses();
    void jsonTabListsItsErrorsAndCarriesEditsToTheForm();
    void wheelOverAnUnfocusedSpinBoxScrolls();
    void portFieldSaysWhenTheCommandLineOverridesIt();
    void clearingTheTokenAsksFirst();
    void logsPageShowsGatewayLines();
    void logsPageKeepsItsFirstColumnsInView();
    void logsSearchSaysHowManyLinesMatch();
    void pausedLogsCountNewLines();
    void setupWizardTestsAndSaves();
    void setupWizardReopensOnTheCurrentProviderAndGrows();
    void setupWizardSetsUpAnthropic();
    void singleInstanceForwardsActivation();
    void weixinLoginFromThePage();
    void weixinPageFollowsAFailingAccount();
    void chineseTranslationLoads();
    void quittingWritesPendingSaves();
    void transcriptNeverLoadsLocalFiles();
    void transcriptKeepsTheReadersPlaceAndFont();
    void statusPageSwitchesKeychainStorage();
    void statusPageCountsClientsAndChats();
    void statusPageGeneratesAMissingToken();
    void everyControlHasAnAccessibleName();
    void chatKeyboardOrder();
    void everyPageIsReachableByTab_data();
    void everyPageIsReachableByTab();
    void startAtLoginWritesTheAutostartEntry();
    void autostartEntryQuotesPaths();
    void pagesHaveShortcutsAndCopyingSaysSo();
    void iconsAndAboutDialog();
    void providersPageShowsACooldownAndClearsIt();
    void providersPageSignsInAndImports();
    void chatPicksAModelPerSession();
    void cronWords_data();
    void cronWords();
    void cronPageEditsPreviewsAndRuns();
    void scheduledMessageReachesTheOpenChat();
    void screenshots();

private:
    QByteArray configFile() const;
    QTemporaryDir m_dir;
    std::unique_ptr<FakeOpenAiServer> m_fake;
    std::unique_ptr<FakeILinkServer> m_ilink;
    std::unique_ptr<GatewayHost> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void TestUi::initTestCase()
{
    // "Start at login" writes under $XDG_CONFIG_HOME/autostart: a folder of the test's own.
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("xdg"))));
    LogHub::install();
    m_fake = std::make_unique<FakeOpenAiServer>();
    m_ilink = std::make_unique<FakeILinkServer>();
    QJsonObject config = baseConfig(m_dir.path(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.base_url"), m_ilink->baseUrl());
    JsonUtil::setValueAt(
        config, QStringLiteral("models.providers"),
        QJsonObject{
            {"fake", QJsonObject{{"api_base", m_fake->apiBase()},
                                 {"models", QJsonArray{"fake-model"}},
                                 {"timeout_sec", 10},
                                 {"responses", QJsonObject{{"api", "chat_completions"}}}}}});
    JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                         QStringLiteral("fake/fake-model"));
    QFile file(m_dir.filePath(QStringLiteral("config.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(config));
    file.close();
    GatewayOptions options;
    options.configPath = file.fileName();
    options.host = QStringLiteral("127.0.0.1");
    options.port = 0;
    options.configDebounceMs = 50;
    m_host = std::make_unique<GatewayHost>(options);
    QSignalSpy started(m_host.get(), &GatewayHost::started);
    m_host->start();
    QVERIFY(started.wait(10000));
    QCOMPARE(started.first().at(0).toBool(), true);
    m_window = std::make_unique<MainWindow>(m_host.get());
    m_window->show();
}

// Each test starts with the chat idle: a reply whose text is on screen may still be finishing
// (its "finished" comes after its last piece), and a message sent meanwhile would be ignored.
void TestUi::init()
{
    QVERIFY(waitFor([&] { return !m_window->chatPage()->isBusy(); }, 15000));
}

void TestUi::cleanupTestCase()
{
    m_window.reset();
    m_host.reset();
    m_ilink.reset();
}

static QByteArray configFileOf(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

QByteArray TestUi::configFile() const
{
    QFile file(m_dir.filePath(QStringLiteral("config.json")));
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

void TestUi::chatStreamsIntoTheViewAndTheSession()
{
    FakeLlmReply reply = FakeLlmReply::chatStream({"Hello ", "from ", "the **agent**"});
    reply.intervalMs = 150;
    m_fake->enqueue(reply);
    ChatPage *chat = m_window->chatPage();
    m_window->showPage(MainWindow::ChatPageIndex);
    chat->send(QStringLiteral("hi there"));
    // Part of the reply is on screen while the rest is still coming.
    QVERIFY(waitFor([&] { return chat->transcriptText().contains(QLatin1String("Hello")); }, 5000));
    QVERIFY(chat->isBusy());
    QVERIFY(waitFor([&] { return !chat->isBusy(); }, 5000));
    QVERIFY(chat->transcriptText().contains(
        QLatin1String("Hello from the agent"))); // Markdown rendered
    QVERIFY(!chat->transcriptText().contains(QLatin1String("**")));
    QFile session(m_dir.filePath(QStringLiteral("agents/main/sessions/main.active.jsonl")));
    QVERIFY(session.open(QIODevice::ReadOnly));
    const QByteArray lines = session.readAll();
    QVERIFY(lines.contains("hi there"));
    QVERIFY(lines.contains("Hello from the **agent**"));
}

void TestUi::ctrlEnterSends()
{
    ChatPage *chat = m_window->chatPage();
    m_window->showPage(MainWindow::ChatPageIndex);
    chat->newSession();
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("pong")));
    auto *input = chat->findChild<QPlainTextEdit *>();
    QVERIFY(input);
    input->setFocus();
    QTest::keyClicks(input, QStringLiteral("ping"));
    QTest::keyClick(input, Qt::Key_Return); // a plain Enter is a new line
    QVERIFY(!chat->isBusy());
    QCOMPARE(input->toPlainText(), QStringLiteral("ping\n"));
    QTest::keyClick(input, Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(input->toPlainText().isEmpty());
    QVERIFY(waitFor([&] { return chat->transcriptText().contains(QLatin1String("pong")); }));
    QCOMPARE(
        m_fake->requests().last().body.value("messages").toArray().last()["content"].toString(),
        QStringLiteral("ping"));
}

// Attach stores the file as /api/upload does; the agent (the fake model asks for read_file)
// reads it; the tool call shows collapsed, and opens to its arguments and result.
void TestUi::attachUploadsAndTheAgentReadsIt()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    QTemporaryDir outside;
    const QString source = outside.filePath(QStringLiteral("recipe notes.md"));
    QFile file(source);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("the secret ingredient is basil");
    file.close();
    chat->attachFile(source);
    QVERIFY(waitFor([&] { return !chat->attachedPath().isEmpty(); }));
    const QString stored = chat->attachedPath();
    QVERIFY(stored.startsWith(m_dir.filePath(QStringLiteral("uploads/"))));
    QVERIFY(stored.endsWith(QLatin1String("_recipe_notes.md")));
    QCOMPARE(fileMode(stored), 0600);
    m_fake->enqueue(FakeLlmReply::chatToolCall(
        QStringLiteral("call-read"), QStringLiteral("read_file"), QJsonObject{{"path", stored}}));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("It says basil.")));
    const int before = int(m_fake->requests().size());
    chat->send(QStringLiteral("what does it say?"));
    QVERIFY(
        waitFor([&] { return chat->transcriptText().contains(QLatin1String("It says basil.")); }));
    QCOMPARE(int(m_fake->requests().size()), before + 2);
    const QJsonArray first = m_fake->requests().at(before).body.value("messages").toArray();
    QCOMPARE(first.last()["content"].toString(),
             QStringLiteral("what does it say?\n[file: %1]").arg(stored));
    const QJsonArray second = m_fake->requests().at(before + 1).body.value("messages").toArray();
    QVERIFY2(second.last()["content"].toString().contains(QLatin1String("basil")),
             qPrintable(second.last()["content"].toString()));
    QVERIFY(waitFor(
        [&] { return chat->transcriptText().contains(QLatin1String("Tool read_file (done)")); }));
    QVERIFY(!chat->transcriptText().contains(QLatin1String("the secret ingredient"))); // collapsed
    chat->toggleToolCall(QStringLiteral("call-read"));
    QVERIFY(chat->transcriptText().contains(QLatin1String("the secret ingredient is basil")));
    QVERIFY(chat->transcriptText().contains(stored));
    chat->toggleToolCall(QStringLiteral("call-read"));
    QVERIFY(!chat->transcriptText().contains(QLatin1String("the secret ingredient")));
    // A FIFO (or anything not a regular file) is refused without hanging.
    const QString fifo = outside.filePath(QStringLiteral("pipe"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    chat->attachFile(fifo);
    QVERIFY(waitFor([&] { return !chat->isUploading(); }));
    QVERIFY(chat->attachedPath().isEmpty());
}

void TestUi::stoppedReplySurvivesSwitchingSessions()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    const QString session = chat->currentSession();
    FakeLlmReply reply = FakeLlmReply::chatStream({"The first part ", "and more ", "and more"});
    reply.intervalMs = 400;
    m_fake->enqueue(reply);
    chat->send(QStringLiteral("tell me a long story"));
    QVERIFY(
        waitFor([&] { return chat->transcriptText().contains(QLatin1String("The first part")); }));
    auto *stop = [&]() -> QPushButton * {
        for (QPushButton *button : chat->findChildren<QPushButton *>())
            if (button->text() == QLatin1String("Stop"))
                return button;
        return nullptr;
    }();
    QVERIFY(stop && stop->isEnabled());
    stop->click();
    QVERIFY(!chat->isBusy());
    QVERIFY(chat->transcriptText().contains(QLatin1String("(stopped)")));
    chat->showSession(QStringLiteral("main"));
    QVERIFY(
        waitFor([&] { return !chat->transcriptText().contains(QLatin1String("The first part")); }));
    chat->showSession(session);
    QVERIFY2(waitFor([&] {
                 return chat->transcriptText().contains(
                            QLatin1String("The first part (stopped)")) ||
                        chat->transcriptText().contains(QLatin1String("The first part\n(stopped)"));
             }),
             qPrintable(chat->transcriptText()));
    QVERIFY(chat->transcriptText().contains(QLatin1String("tell me a long story")));
}

void TestUi::failedTurnOffersRetryAndClearsWhenItWorks()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    m_fake->enqueue(FakeLlmReply::error(503, R"({"error":{"message":"overloaded"}})"));
    chat->send(QStringLiteral("are you there?"));
    QVERIFY(waitFor([&] { return !chat->errorText().isEmpty(); }));
    QVERIFY(!chat->isBusy());
    auto *retry = [&]() -> QPushButton * {
        for (QPushButton *button : chat->findChildren<QPushButton *>())
            if (button->text() == QLatin1String("Retry"))
                return button;
        return nullptr;
    }();
    QVERIFY(retry && retry->isVisibleTo(chat));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Back again.")));
    retry->click();
    QVERIFY(chat->errorText().isEmpty());
    QVERIFY(waitFor([&] { return chat->transcriptText().contains(QLatin1String("Back again.")); }));
    QVERIFY(chat->errorText().isEmpty());
    QVERIFY(!retry->isVisibleTo(chat));
}

void TestUi::sessionsHaveTitlesSearchAndDelete()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    const QString key = chat->currentSession();
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Lanterns and lemonade.")));
    chat->send(QStringLiteral("Plan a garden party\nfor twelve people"));
    QVERIFY(waitFor([&] { return !chat->isBusy(); }));
    // The first question names the session in the list.
    QVERIFY2(waitFor([&] {
                 return chat->visibleSessionTitles().contains(
                     QStringLiteral("Plan a garden party"));
             }),
             qPrintable(chat->visibleSessionTitles().join(QLatin1Char('|'))));
    chat->setSessionFilter(QStringLiteral("GARDEN"));
    QCOMPARE(chat->visibleSessionTitles(), QStringList{QStringLiteral("Plan a garden party")});
    chat->setSessionFilter(QStringLiteral("no such session anywhere"));
    QVERIFY(chat->visibleSessionTitles().isEmpty());
    chat->setSessionFilter(QString());
    QVERIFY(chat->visibleSessionTitles().size() > 1);
    // Delete: asked first, then the files are marked deleted as clawgo marks them.
    const QString folder = m_dir.filePath(QStringLiteral("agents/main/sessions"));
    const QString stem = QString(key).replace(QLatin1String(":"), QLatin1String("%3A"));
    QVERIFY(QFile::exists(folder + QLatin1Char('/') + stem + QStringLiteral(".active.jsonl")));
    chat->confirmDelete(key);
    QMessageBox *ask = nullptr;
    QVERIFY(waitFor([&] {
        for (QMessageBox *box : chat->findChildren<QMessageBox *>())
            if (box->isVisible())
                ask = box;
        return ask != nullptr;
    }));
    for (QAbstractButton *button : ask->buttons())
        if (ask->buttonRole(button) == QMessageBox::DestructiveRole)
            button->click();
    QVERIFY(waitFor([&] { return !chat->sessionKeys().contains(key); }));
    QVERIFY(!QFile::exists(folder + QLatin1Char('/') + stem + QStringLiteral(".active.jsonl")));
    const QStringList deleted =
        QDir(folder).entryList({stem + QStringLiteral(".active.jsonl.deleted.*")}, QDir::Files);
    QCOMPARE(deleted.size(), 1);
    QVERIFY(chat->currentSession() != key);
}

void TestUi::codeBlocksAreSetOffAndEmptySessionsGuide()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    QVERIFY(chat->transcriptText().startsWith(QLatin1String("Ask the agent anything.")));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Run this:\n\n```sh\nls -la\n```\n")));
    chat->send(QStringLiteral("how do I list files?"));
    QVERIFY(waitFor([&] { return chat->transcriptText().contains(QLatin1String("ls -la")); }));
    auto *view = chat->findChild<TranscriptView *>();
    QVERIFY(view);
    bool setOff = false;
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next())
        if (block.text().contains(QLatin1String("ls -la")))
            setOff = block.blockFormat().background().style() != Qt::NoBrush;
    QVERIFY(setOff);
    QVERIFY(!chat->transcriptText().contains(QLatin1String("Ask the agent anything.")));
    // Each code block has its own Copy-code link.
    QVERIFY(chat->transcriptText().contains(QLatin1String("Copy code")));
    chat->copyCode(1, 0);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("ls -la"));
    // Tables get borders; quotes stand apart.
    view->showMarkdown(QStringLiteral("| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted words\n"));
    QTextTable *table = nullptr;
    bool quoteSetOff = false;
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next()) {
        if (QTextTable *found = QTextCursor(block).currentTable())
            table = found;
        if (block.text().contains(QLatin1String("quoted words")))
            quoteSetOff = block.blockFormat().background().style() != Qt::NoBrush;
    }
    QVERIFY(table);
    QCOMPARE(table->format().border(), 1.0);
    QVERIFY(quoteSetOff);
}

void TestUi::repliesCanBeCopiedAndTheLastRegenerated()
{
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("First **answer**.")));
    chat->send(QStringLiteral("a question"));
    QVERIFY(
        waitFor([&] { return chat->transcriptText().contains(QLatin1String("First answer.")); }));
    QVERIFY(waitFor([&] { return chat->transcriptText().contains(QLatin1String("Regenerate")); }));
    QSignalSpy notices(chat, &ChatPage::notice);
    chat->copyMessage(1); // [0] the question, [1] the reply
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("First **answer**."));
    QCOMPARE(notices.size(), 1);
    QCOMPARE(m_window->statusBar()->currentMessage(), QStringLiteral("Copied the reply"));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Second answer.")));
    chat->regenerate();
    QVERIFY(
        waitFor([&] { return chat->transcriptText().contains(QLatin1String("Second answer.")); }));
    QCOMPARE(
        m_fake->requests().last().body.value("messages").toArray().last()["content"].toString(),
        QStringLiteral("a question"));
    QCOMPARE(chat->transcriptText().count(QLatin1String("Regenerate")), 1); // the last reply only
    // Hovering a message's header shows when it was said; the header does not look like a link.
    auto *view = chat->findChild<TranscriptView *>();
    QVERIFY(view);
    QTextFragment header;
    const QString tip = headerToolTip(view, {QStringLiteral("You")}, &header);
    QCOMPARE(header.charFormat().foreground().color(), view->palette().color(QPalette::Text));
    QVERIFY2(tip.contains(QString::number(QDate::currentDate().year())), qPrintable(tip));
}

void TestUi::invalidConfigShowsTheFieldErrorAndWritesNothing()
{
    ConfigPage *page = m_window->configPage();
    m_window->showPage(MainWindow::ConfigPageIndex);
    QVERIFY(waitFor([&] { return !page->statusText().contains(QLatin1String("…")); }));
    const QByteArray before = configFile();
    QVERIFY(page->setFieldText(QStringLiteral("agents.defaults.max_tool_iterations"),
                               QStringLiteral("0")));
    page->save();
    QVERIFY(waitFor([&] {
        return !page->fieldError(QStringLiteral("agents.defaults.max_tool_iterations")).isEmpty();
    }));
    QCOMPARE(page->fieldError(QStringLiteral("agents.defaults.max_tool_iterations")),
             QStringLiteral("agents.defaults.max_tool_iterations must be > 0"));
    QVERIFY(page->fieldError(QStringLiteral("logging.max_size_mb")).isEmpty());
    QCOMPARE(configFile(), before);
    page->reload();
    QVERIFY(waitFor([&] {
        return page->fieldError(QStringLiteral("agents.defaults.max_tool_iterations")).isEmpty();
    }));
}

void TestUi::validConfigSaveReachesApiClients()
{
    QList<QJsonObject> events;
    QWebSocket client;
    connect(&client, &QWebSocket::textMessageReceived, this, [&](const QString &text) {
        events << QJsonDocument::fromJson(text.toUtf8()).object();
    });
    client.open(QUrl(m_host->apiUrl().replace(QLatin1String("http://"), QLatin1String("ws://")) +
                     QStringLiteral("/api/events/live?token=") + QString::fromLatin1(kToken)));
    QVERIFY(waitFor([&] { return !events.isEmpty(); }));
    ConfigPage *page = m_window->configPage();
    QVERIFY(
        page->setFieldText(QStringLiteral("agents.defaults.max_tokens"), QStringLiteral("3000")));
    QSignalSpy saved(page, &ConfigPage::saved);
    page->save();
    QVERIFY(saved.wait(5000));
    QVERIFY(waitFor([&] { return events.size() >= 2; }));
    QCOMPARE(events.at(1), (QJsonObject{{"type", "config_changed"}, {"source", "gui"}}));
    QCOMPARE(JsonUtil::valueAt(QJsonDocument::fromJson(configFile()).object(),
                               QStringLiteral("agents.defaults.max_tokens"))
                 .toInt(),
             3000);
    QCOMPARE(fileMode(m_dir.filePath(QStringLiteral("config.json"))), 0600);
    // An outside edit is noticed; with no unsaved changes the page simply reloads.
    QJsonObject edited = QJsonDocument::fromJson(configFile()).object();
    JsonUtil::setValueAt(edited, QStringLiteral("cron.max_workers"), 5);
    QVERIFY(page->setFieldText(QStringLiteral("logging.retention_days"),
                               QStringLiteral("9"))); // unsaved
    QFile file(m_dir.filePath(QStringLiteral("config.json")));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(JsonUtil::pretty(edited));
    file.close();
    QVERIFY(waitFor([&] { return page->outsideChangePending(); }, 5000));
    QObject::disconnect(&client, nullptr, this, nullptr);
}

void TestUi::formRefusesWhatTheApiRefuses_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("error");
    QTest::newRow("host with a space")
        << "gateway.host"
        << "my laptop"
        << "gateway.host must be an IP address or a host name, such as 127.0.0.1 or localhost";
    QTest::newRow("port out of range") << "gateway.port"
                                       << "99999"
                                       << "gateway.port must be in 1..65535";
    QTest::newRow("model without provider")
        << "agents.defaults.model.primary"
        << "nonsense"
        << "agents.defaults.model.primary must be written provider/model, such as "
           "openai/gpt-5.4";
    QTest::newRow("base URL")
        << "models.providers.{provider}.api_base"
        << "not a url"
        << "models.providers.fake.api_base must be an http or https URL, such as "
           "https://api.openai.com/v1";
    QTest::newRow("no tool iterations") << "agents.defaults.max_tool_iterations"
                                        << "0"
                                        << "agents.defaults.max_tool_iterations must be > 0";
}

// The form saves through the API's validator: a refused value stays as typed, its error sits
// beside it, the page stays unsaved and the file is untouched.
void TestUi::formRefusesWhatTheApiRefuses()
{
    QFETCH(QString, field);
    QFETCH(QString, typed);
    QFETCH(QString, error);
    ConfigPage *page = m_window->configPage();
    m_window->showPage(MainWindow::ConfigPageIndex);
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty() && page->statusText().isEmpty(); }));
    const QByteArray before = configFile();
    QVERIFY(page->setFieldText(field, typed));
    QCOMPARE(page->fieldText(field), typed);
    QVERIFY(page->isDirty());
    page->save();
    QVERIFY2(waitFor([&] { return !page->fieldError(field).isEmpty(); }),
             qPrintable(page->statusText()));
    QCOMPARE(page->fieldError(field), error);
    QCOMPARE(page->fieldText(field), typed);
    QCOMPARE(page->statusText(),
             QStringLiteral("Not saved: 1 problem(s), shown next to the fields."));
    QVERIFY(page->isDirty());
    QCOMPARE(configFile(), before);
}

void TestUi::jsonTabListsItsErrorsAndCarriesEditsToTheForm()
{
    ConfigPage *page = m_window->configPage();
    m_window->showPage(MainWindow::ConfigPageIndex);
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty() && page->statusText().isEmpty(); }));
    // Form → JSON carries the edit over.
    QVERIFY(
        page->setFieldText(QStringLiteral("agents.defaults.max_tokens"), QStringLiteral("1234")));
    page->showJsonTab(true);
    QJsonObject shown = QJsonDocument::fromJson(page->rawText().toUtf8()).object();
    QCOMPARE(JsonUtil::valueAt(shown, QStringLiteral("agents.defaults.max_tokens")).toInt(), 1234);
    // An error on the JSON tab is listed there, not "next to the fields".
    JsonUtil::setValueAt(shown, QStringLiteral("gateway.port"), 70000);
    auto *raw = page->findChild<QPlainTextEdit *>();
    QVERIFY(raw);
    raw->setPlainText(QString::fromUtf8(JsonUtil::pretty(shown)));
    page->save();
    QVERIFY(waitFor([&] { return page->statusText().startsWith(QLatin1String("Not saved")); }));
    QCOMPARE(page->statusText(),
             QStringLiteral("Not saved: 1 problem(s):\ngateway.port must be in 1..65535"));
    // JSON → Form: the form shows what the JSON says, so the error and the value agree.
    page->showJsonTab(false);
    QCOMPARE(page->fieldText(QStringLiteral("gateway.port")), QStringLiteral("70000"));
    QCOMPARE(page->fieldText(QStringLiteral("agents.defaults.max_tokens")), QStringLiteral("1234"));
    page->save();
    QVERIFY(waitFor([&] { return !page->fieldError(QStringLiteral("gateway.port")).isEmpty(); }));
    // Broken JSON keeps the JSON tab until it is fixed or discarded.
    page->showJsonTab(true);
    raw->setPlainText(QStringLiteral("{ broken"));
    page->showJsonTab(false);
    QVERIFY(page->statusText().startsWith(QLatin1String("The JSON is not valid")));
    QCOMPARE(raw->isVisibleTo(page), true);
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty(); }));
    page->showJsonTab(false);
}

// Five wheel notches over a spin box the user did not click change nothing (the form scrolls);
// once it has the focus the wheel changes it, and the page says it is unsaved.
void TestUi::wheelOverAnUnfocusedSpinBoxScrolls()
{
    ConfigPage *page = m_window->configPage();
    m_window->showPage(MainWindow::ConfigPageIndex);
    m_window->raise();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty() && page->statusText().isEmpty(); }));
    auto *spin =
        qobject_cast<QSpinBox *>(page->fieldEditor(QStringLiteral("agents.defaults.max_tokens")));
    QVERIFY(spin);
    const int before = spin->value();
    const auto wheel = [&](int notches) {
        for (int i = 0; i < notches; ++i) {
            const QPointF at(spin->width() / 2.0, spin->height() / 2.0);
            QWheelEvent event(at, spin->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                              Qt::NoModifier, Qt::NoScrollPhase, false);
            QApplication::sendEvent(spin, &event);
        }
    };
    spin->clearFocus();
    wheel(5);
    QCOMPARE(spin->value(), before);
    QVERIFY(!page->isDirty());
    spin->setFocus(Qt::OtherFocusReason);
    QVERIFY(spin->hasFocus());
    wheel(5);
    QCOMPARE(spin->value(), before - 5);
    QVERIFY(page->isDirty());
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty(); }));
}

void TestUi::clearingTheTokenAsksFirst()
{
    ConfigPage *page = m_window->configPage();
    m_window->showPage(MainWindow::ConfigPageIndex);
    page->reload();
    QVERIFY(waitFor([&] { return !page->isDirty() && page->statusText().isEmpty(); }));
    const QByteArray before = configFile();
    const auto question = [&]() -> QMessageBox * {
        for (QMessageBox *box : page->findChildren<QMessageBox *>())
            if (box->isVisible())
                return box;
        return nullptr;
    };
    const auto click = [&](QMessageBox *box, QMessageBox::ButtonRole role) {
        for (QAbstractButton *button : box->buttons())
            if (box->buttonRole(button) == role) {
                button->click();
                return true;
            }
        return false;
    };
    QVERIFY(page->setFieldText(QStringLiteral("gateway.token"), QString()));
    page->save();
    QVERIFY(waitFor([&] { return question() != nullptr; }));
    QVERIFY(click(question(), QMessageBox::RejectRole));
    QCOMPARE(page->statusText(), QStringLiteral("Not saved."));
    QCOMPARE(configFile(), before);
    page->save();
    QVERIFY(waitFor([&] { return question() != nullptr; }));
    QVERIFY(click(question(), QMessageBox::DestructiveRole));
    QVERIFY(waitFor([&] { return page->statusText().startsWith(QLatin1String("Saved")); }));
    QCOMPARE(JsonUtil::valueAt(QJsonDocument::fromJson(configFile()).object(),
                               QStringLiteral("gateway.token"))
                 .toString(),
             QString());
    // Back as it was, for the tests after this one.
    QVERIFY(page->setFieldText(QStringLiteral("gateway.token"), QString::fromLatin1(kToken)));
    page->save();
    QVERIFY(waitFor([&] {
        return JsonUtil::valueAt(QJsonDocument::fromJson(configFile()).object(),
                                 QStringLiteral("gateway.token"))
                   .toString() == QString::fromLatin1(kToken);
    }));
    // The file is written before the gateway applies it: wait for the gateway too.
    QVERIFY(waitFor([&] { return m_host->token() == QString::fromLatin1(kToken); }));
}

void TestUi::portFieldSaysWhenTheCommandLineOverridesIt()
{
    ConfigPage *page = m_window->configPage();
    const int port = QUrl(m_host->apiUrl()).port();
    QVERIFY(waitFor([&] { return !page->fieldHint(QStringLiteral("gateway.port")).isEmpty(); }));
    QVERIFY(page->fieldHint(QStringLiteral("gateway.port")).contains(QString::number(port)));
    QCOMPARE(page->fieldText(QStringLiteral("gateway.port")), QStringLiteral("18790"));
    QVERIFY(page->fieldHint(QStringLiteral("gateway.host")).contains(QLatin1String("127.0.0.1")));
}

void TestUi::logsPageShowsGatewayLines()
{
    const quint16 port = quint16(QUrl(m_host->apiUrl()).port());
    const int status = http(port, "GET", "/api/version?probe=from-ui-test").status;
    QVERIFY2(status == 401,
             qPrintable(QStringLiteral("status %1, host token '%2', file token '%3'")
                            .arg(status)
                            .arg(m_host->token())
                            .arg(JsonUtil::valueAt(QJsonDocument::fromJson(configFile()).object(),
                                                   QStringLiteral("gateway.token"))
                                     .toString())));
    LogsPage *logs = m_window->logsPage();
    m_window->showPage(MainWindow::LogsPageIndex);
    QVERIFY2(waitFor(
                 [&] {
                     return logs->visibleText().contains(
                         QLatin1String("unauthorized GET /api/version"));
                 },
                 5000),
             qPrintable(logs->visibleText().right(700)));
}

// A long line never scrolls the view sideways: time, level and component stay on screen.
void TestUi::logsPageKeepsItsFirstColumnsInView()
{
    LogsPage *logs = m_window->logsPage();
    m_window->showPage(MainWindow::LogsPageIndex);
    qCInfo(lcApp).noquote() << QStringLiteral("long line ") + QString(3000, QLatin1Char('x'));
    qCInfo(lcApp) << "a short line after it";
    QVERIFY(waitFor(
        [&] { return logs->visibleText().contains(QLatin1String("a short line after it")); }));
    QTest::qWait(20);
    QVERIFY(logs->view()->horizontalScrollBar()->maximum() > 0);
    QCOMPARE(logs->view()->horizontalScrollBar()->value(), 0);
}

void TestUi::logsSearchSaysHowManyLinesMatch()
{
    LogsPage *logs = m_window->logsPage();
    qCInfo(lcApp) << "needle-one";
    qCWarning(lcApp) << "needle-two";
    QVERIFY(waitFor([&] { return logs->visibleText().contains(QLatin1String("needle-two")); }));
    logs->setSearch(QStringLiteral("needle-"));
    QCOMPARE(logs->searchSummary(), QStringLiteral("2 match(es)"));
    QCOMPARE(logs->visibleText().count(QLatin1String("needle-")), 2);
    qCInfo(lcApp) << "needle-three";
    QVERIFY(waitFor([&] { return logs->searchSummary() == QLatin1String("3 match(es)"); }));
    logs->setSearch(QStringLiteral("no-such-text-anywhere"));
    QCOMPARE(logs->searchSummary(), QStringLiteral("No line matches \"no-such-text-anywhere\""));
    QVERIFY(logs->visibleText().isEmpty());
    logs->setSearch(QString());
    QVERIFY(logs->searchSummary().isEmpty());
}

void TestUi::pausedLogsCountNewLines()
{
    LogsPage *logs = m_window->logsPage();
    logs->setFollowing(false);
    QVERIFY(logs->newLinesText().isEmpty());
    qCInfo(lcApp) << "while paused 1";
    qCInfo(lcApp) << "while paused 2";
    // The gateway may log meanwhile too: at least these two are counted.
    QVERIFY(
        waitFor([&] { return logs->newLinesText().section(QLatin1Char(' '), 0, 0).toInt() >= 2; }));
    QVERIFY(logs->newLinesText().endsWith(QLatin1String(" new line(s)")));
    logs->setFollowing(true);
    QVERIFY(logs->newLinesText().isEmpty());
    QCOMPARE(logs->view()->verticalScrollBar()->value(),
             logs->view()->verticalScrollBar()->maximum());
}

void TestUi::setupWizardTestsAndSaves()
{
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("OK")));
    SetupWizard wizard(m_host.get());
    wizard.setValues(m_fake->apiBase(), QString(), QStringLiteral("wizard-model"));
    QSignalSpy tested(&wizard, &SetupWizard::tested);
    wizard.testConnection();
    QVERIFY(tested.wait(5000));
    QCOMPARE(tested.first().at(0).toBool(), true);
    QCOMPARE(wizard.resultText(), QStringLiteral("It works: the model answered \"OK\"."));
    QCOMPARE(m_fake->requests().last().body.value("model").toString(),
             QStringLiteral("wizard-model"));
    QSignalSpy saved(&wizard, &SetupWizard::saved);
    wizard.saveProvider();
    QVERIFY(saved.wait(5000));
    const QJsonObject config = QJsonDocument::fromJson(configFile()).object();
    QCOMPARE(JsonUtil::valueAt(config, QStringLiteral("agents.defaults.model.primary")).toString(),
             QStringLiteral("custom/wizard-model"));
    QCOMPARE(
        JsonUtil::valueAt(config, QStringLiteral("models.providers.custom.api_base")).toString(),
        m_fake->apiBase());
}

void TestUi::setupWizardSetsUpAnthropic()
{
    FakeAnthropicServer claude;
    claude.enqueue(FakeLlmReply::anthropicText(QStringLiteral("OK")));
    {
        SetupWizard wizard(m_host.get());
        QVERIFY(waitFor([&] { return !wizard.baseUrl().isEmpty(); })); // the current provider
        wizard.setKind(QStringLiteral("claude"));
        QCOMPARE(wizard.providerName(), QStringLiteral("claude"));
        QVERIFY(!wizard.hasStoredKey()); // custom's key stays custom's
        wizard.setValues(claude.apiBase(), QStringLiteral("sk-ant-wizard-123456"),
                         QStringLiteral("claude-x"));
        QSignalSpy tested(&wizard, &SetupWizard::tested);
        wizard.testConnection();
        QVERIFY(tested.wait(5000));
        QVERIFY2(tested.first().at(0).toBool(), qPrintable(wizard.resultText()));
        QCOMPARE(claude.requests().last().path, QStringLiteral("/v1/messages"));
        QCOMPARE(claude.requests().last().header("x-api-key"), QByteArray("sk-ant-wizard-123456"));
        QSignalSpy saved(&wizard, &SetupWizard::saved);
        wizard.saveProvider();
        QVERIFY(saved.wait(5000));
    }
    const QJsonObject config = QJsonDocument::fromJson(configFile()).object();
    QCOMPARE(JsonUtil::valueAt(config, QStringLiteral("agents.defaults.model.primary")).toString(),
             QStringLiteral("claude/claude-x"));
    QCOMPARE(
        JsonUtil::valueAt(config, QStringLiteral("models.providers.claude.api_base")).toString(),
        claude.apiBase());
    QVERIFY(!JsonUtil::valueAt(config, QStringLiteral("models.providers.claude.responses.api"))
                 .toString()
                 .contains(QLatin1String("chat_completions")));
    // Opened again, it is on the Anthropic provider.
    {
        SetupWizard wizard(m_host.get());
        QVERIFY(waitFor([&] { return wizard.providerName() == QLatin1String("claude"); }));
        QCOMPARE(wizard.kind(), QStringLiteral("claude"));
        QVERIFY(wizard.hasStoredKey());
    }
    // The later tests talk to the OpenAI-compatible fake again.
    ConfigStore::SaveResult result;
    bool done = false;
    m_host->post([&](Gateway &gateway) {
        gateway.configStore()->update(
            QStringLiteral("test"),
            [](QJsonObject file) {
                JsonUtil::setValueAt(file, QStringLiteral("agents.defaults.model.primary"),
                                     QStringLiteral("custom/wizard-model"));
                return file;
            },
            &gateway,
            [&](const ConfigStore::SaveResult &r) {
                QMetaObject::invokeMethod(qApp, [&, r] {
                    result = r;
                    done = true;
                });
            });
    });
    QVERIFY(waitFor([&] { return done; }));
    QCOMPARE(result.status, ConfigStore::SaveResult::Ok);
}

void TestUi::setupWizardReopensOnTheCurrentProviderAndGrows()
{
    // After setupWizardTestsAndSaves: custom/wizard-model at the fake.
    SetupWizard wizard(m_host.get());
    wizard.show();
    QVERIFY(waitFor([&] { return !wizard.baseUrl().isEmpty(); }));
    QCOMPARE(wizard.baseUrl(), m_fake->apiBase());
    QCOMPARE(wizard.model(), QStringLiteral("wizard-model"));
    QCOMPARE(wizard.providerName(), QStringLiteral("custom"));
    QTest::qWait(20);
    const int height = wizard.height();
    // Three problems at once: the dialog grows to show them all.
    wizard.setValues(QStringLiteral("not a url"), QString(), QStringLiteral("m"));
    wizard.saveProvider();
    QVERIFY(waitFor([&] { return wizard.resultText().startsWith(QLatin1String("Not saved")); }));
    QVERIFY(wizard.resultText().contains(QLatin1String("must be an http or https URL")));
    QApplication::processEvents();
    QVERIFY2(wizard.height() >= height, qPrintable(QString::number(wizard.height())));
    QVERIFY(wizard.minimumSizeHint().height() <= wizard.height());
}

void TestUi::singleInstanceForwardsActivation()
{
    QTemporaryDir dir;
    const QString config = dir.filePath(QStringLiteral("config.json"));
    SingleInstance first(config);
    QVERIFY(first.acquire());
    QSignalSpy activated(&first, &SingleInstance::activationRequested);
    SingleInstance second(config);
    qint64 pid = 0;
    QVERIFY(!second.acquire(&pid));
    QCOMPARE(pid, QCoreApplication::applicationPid());
    std::optional<bool> answered;
    second.activateRunning(3000, [&](bool ok) { answered = ok; });
    QVERIFY(waitFor([&] { return answered.has_value(); }));
    QCOMPARE(*answered, true);
    QCOMPARE(activated.count(), 1);
    // Another config file is another instance.
    SingleInstance other(dir.filePath(QStringLiteral("other/config.json")));
    QVERIFY(other.acquire());
}

void TestUi::weixinLoginFromThePage()
{
    WeixinPage *page = m_window->weixinPage();
    m_window->showPage(MainWindow::WeixinPageIndex);
    // channels.weixin.enabled is false and nothing started a login: the page says so.
    page->refresh();
    QVERIFY(waitFor([&] { return page->statusText().contains(QLatin1String("channel is off")); }));
    page->startLogin();
    QVERIFY(waitFor([&] { return page->qrShown(); }, 5000));
    QVERIFY2(page->statusText().contains(QLatin1String("Scan this code")),
             qPrintable(page->statusText()));
    const QString folder =
        QDir(QStringLiteral(CLAWGO_BUILD_DIR)).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(folder);
    QVERIFY(m_window->grab().save(folder + QStringLiteral("/weixin.png")));
    // The fake walks wait → scaned → confirmed as the page keeps asking.
    QVERIFY(waitFor(
        [&] {
            return page->statusText().contains(QLatin1String("confirm the login on your phone"));
        },
        8000));
    QVERIFY(
        waitFor([&] { return page->accountIds().contains(QStringLiteral("bot-a@im.bot")); }, 8000));
    QVERIFY(
        waitFor([&] { return page->statusText().startsWith(QLatin1String("Logged in")); }, 5000));
    QVERIFY(!page->qrShown());
    // No keychain in the test (no session bus): the token is kept in the config file.
    QCOMPARE(page->accountRow(QStringLiteral("bot-a@im.bot")).value(3),
             QStringLiteral("config file"));
    // The same channel serves the API.
    const quint16 port = quint16(QUrl(m_host->apiUrl()).port());
    const QJsonObject status =
        http(port, "GET", "/api/weixin/status", {}, {{"Authorization", "Bearer " + kToken}}).json();
    QCOMPARE(status.value("accounts").toArray().first().toObject().value("bot_id").toString(),
             QStringLiteral("bot-a@im.bot"));
}

// After weixinLoginFromThePage: the account's polls fail, and the page says so instead of
// "Logged in. Messages to the bot go to the agent."; account buttons need a selected account.
void TestUi::weixinPageFollowsAFailingAccount()
{
    WeixinPage *page = m_window->weixinPage();
    m_window->showPage(MainWindow::WeixinPageIndex);
    const auto button = [&](const QString &text) -> QPushButton * {
        for (QPushButton *candidate : page->findChildren<QPushButton *>())
            if (candidate->text() == text)
                return candidate;
        return nullptr;
    };
    QVERIFY(button(QStringLiteral("Make default")) && button(QStringLiteral("Remove")));
    auto *accounts = page->findChild<QTreeWidget *>();
    QVERIFY(accounts);
    accounts->setCurrentItem(nullptr);
    page->refresh();
    QVERIFY(waitFor([&] { return !button(QStringLiteral("Remove"))->isEnabled(); }));
    QVERIFY(!button(QStringLiteral("Make default"))->isEnabled());
    for (int i = 0; i < 20; ++i)
        m_ilink->failNextUpdates(502, "bad gateway");
    QVERIFY2(waitFor(
                 [&] {
                     page->refresh();
                     QTest::qWait(50);
                     return page->statusText().startsWith(
                         QLatin1String("Logged in, but not connected"));
                 },
                 15000),
             qPrintable(page->statusText()));
    const QStringList row = page->accountRow(QStringLiteral("bot-a@im.bot"));
    QCOMPARE(row.value(2), QStringLiteral("not connected"));
    QVERIFY(!row.value(4).contains(QLatin1Char('_'))); // no raw event codes
}

void TestUi::chineseTranslationLoads()
{
    QTranslator *translator = Translations::install(QLocale(QLocale::Chinese, QLocale::China));
    QVERIFY(translator);
    QCOMPARE(QCoreApplication::translate("MainWindow", "Chat"), QStringLiteral("聊天"));
    QCOMPARE(QCoreApplication::translate(
                 "ConfigPage", "Not saved: %n problem(s), shown next to the fields.", nullptr, 2),
             QStringLiteral("未保存：2 个问题，已显示在对应字段旁。"));
    MainWindow translated(m_host.get());
    QCOMPARE(translated.windowTitle(), QStringLiteral("ClawGo 桌面版"));
    // Qt's own strings too (Debian's qt6-translations-l10n, installed by make deps).
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("取消"));
    // Every string of ours is translated: nothing unfinished in the catalogue.
    QFile catalogue(QStringLiteral(CLAWGO_TS_FILE));
    QVERIFY(catalogue.open(QIODevice::ReadOnly));
    const QByteArray ts = catalogue.readAll();
    QCOMPARE(ts.count("type=\"unfinished\""), 0);
    QVERIFY(ts.count("<message") > 150);
    QCoreApplication::removeTranslator(translator);
    delete translator;
    QVERIFY(!Translations::install(QLocale(QLocale::Swahili)));
}

// Quitting the window deletes the gateway on its thread and waits for it, whatever that thread
// was busy with: a Weixin login still waiting for its save is on disk afterwards.
void TestUi::quittingWritesPendingSaves()
{
    QTemporaryDir dir;
    QJsonObject config = baseConfig(dir.path(), QString::fromLatin1(kToken));
    JsonUtil::setValueAt(config, QStringLiteral("channels.weixin.base_url"), m_ilink->baseUrl());
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(config));
    file.close();
    GatewayOptions options;
    options.configPath = path;
    options.host = QStringLiteral("127.0.0.1");
    options.port = 0;
    options.useKeychain = false;
    auto host = std::make_unique<GatewayHost>(options);
    QSignalSpy started(host.get(), &GatewayHost::started);
    host->start();
    QVERIFY(started.wait(10000));
    host->post([](Gateway &gateway) { gateway.weixin()->setPersistDelayMs(600'000); });
    QObject context;
    bool loggedIn = false;
    host->callLater<QString>(
        &context,
        [](Gateway &gateway, std::function<void(QString)> deliver) {
            gateway.weixin()->startLogin(gateway.weixin(), deliver);
        },
        [](const QString &) {});
    // The fake confirms after a few status polls.
    QVERIFY(waitFor(
        [&] {
            host->callLater<int>(
                &context,
                [](Gateway &gateway, std::function<void(int)> deliver) {
                    WeixinChannel *channel = gateway.weixin();
                    channel->refreshLogins(channel, [channel, deliver](const QString &) {
                        deliver(int(channel->accounts().size()));
                    });
                },
                [&](int accounts) { loggedIn = accounts > 0; });
            QTest::qWait(50);
            return loggedIn;
        },
        10000));
    QVERIFY(!configFileOf(path).contains("bot-a@im.bot")); // the save is still waiting
    host.reset();                                          // what quitting does
    QVERIFY2(configFileOf(path).contains("bot-a@im.bot"), configFileOf(path).constData());
}

// Markdown from the model never makes the transcript load a file: an image pointing at a FIFO
// used to hang the window until someone wrote to it.
void TestUi::transcriptNeverLoadsLocalFiles()
{
    QTemporaryDir dir;
    const QString fifo = dir.filePath(QStringLiteral("fifo"));
    QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
    // Should the view open it anyway, a writer comes along after 3 s so the test fails instead
    // of hanging.
    std::thread rescue([fifo] {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        const int fd = ::open(QFile::encodeName(fifo).constData(), O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            ::close(fd);
    });
    TranscriptView view;
    QElapsedTimer timer;
    timer.start();
    view.setMarkdown(QStringLiteral("Here: ![x](%1) and ![y](file://%1)").arg(fifo));
    view.show();
    view.grab();
    // The chat's own path: a transcript built in a document of its own, then shown.
    view.showMarkdown(QStringLiteral("Again: ![x](%1)").arg(fifo));
    view.grab();
    const qint64 elapsed = timer.elapsed();
    rescue.join();
    QVERIFY2(elapsed < 1500, qPrintable(QStringLiteral("took %1 ms").arg(elapsed)));
}

// Each render swaps in a freshly built document: the reader's scroll position and the view's
// font carry over to it, and the replaced document is freed.
void TestUi::transcriptKeepsTheReadersPlaceAndFont()
{
    TranscriptView view;
    QFont font = view.font();
    font.setPointSize(17);
    view.setFont(font);
    view.resize(400, 200);
    view.show();
    QString markdown;
    for (int i = 0; i < 200; ++i)
        markdown += QStringLiteral("line %1\n\n").arg(i);
    view.showMarkdown(markdown);
    QCOMPARE(view.document()->defaultFont().pointSize(), 17);
    QVERIFY(view.verticalScrollBar()->maximum() > 100);
    view.verticalScrollBar()->setValue(60);
    QPointer<QTextDocument> first = view.document();
    view.showMarkdown(markdown + QStringLiteral("one more line\n"));
    QCOMPARE(view.verticalScrollBar()->value(), 60);
    QCOMPARE(view.document()->defaultFont().pointSize(), 17);
    QVERIFY(view.toPlainText().endsWith(QLatin1String("one more line")));
    view.showMarkdown(QStringLiteral("short"));
    QVERIFY(first.isNull()); // documents do not pile up, one per render
    QCOMPARE(view.findChildren<QTextDocument *>().size(), 1);
}

// The Status page says where credentials are kept and switches it; here no keychain answers
// (no session bus), so switching on says so and keeps them in the files.
void TestUi::statusPageSwitchesKeychainStorage()
{
    StatusPage *page = m_window->statusPage();
    const auto desktopSays = [&] {
        return JsonUtil::valueAt(
            QJsonDocument::fromJson(configFileOf(m_dir.filePath(QStringLiteral("desktop.json"))))
                .object(),
            QStringLiteral("secrets.keychain"));
    };
    page->refreshKeychain();
    QVERIFY(waitFor([&] { return page->keychainText().contains(QLatin1String("config files")); }));
    QCOMPARE(desktopSays().toBool(true), false); // an existing home starts with it off
    QVERIFY(waitFor([&] { return page->keychainButton()->isEnabled(); }));
    QCOMPARE(page->keychainButton()->text(), QStringLiteral("Move to the keychain"));
    page->keychainButton()->click();
    QVERIFY(waitFor([&] { return desktopSays().toBool(false); }));
    QVERIFY(waitFor([&] { return page->keychainText().contains(QLatin1String("not available")); }));
    QCOMPARE(page->keychainButton()->text(), QStringLiteral("Move to the config files"));
    QVERIFY(waitFor([&] { return page->keychainButton()->isEnabled(); }));
    page->keychainButton()->click();
    QVERIFY(waitFor([&] { return !desktopSays().toBool(true); }));
    QVERIFY(waitFor(
        [&] { return page->keychainButton()->text() == QStringLiteral("Move to the keychain"); }));
}

// Screen readers and UI automation find controls by name: every control of every page has
// one, as the accessibility layer reports it.
void TestUi::everyControlHasAnAccessibleName()
{
    QStringList unnamed;
    const QList<QWidget *> widgets = m_window->findChildren<QWidget *>();
    for (QWidget *widget : widgets) {
        const bool control =
            qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget) ||
            qobject_cast<QPlainTextEdit *>(widget) || qobject_cast<QTextEdit *>(widget) ||
            qobject_cast<QAbstractSpinBox *>(widget) || qobject_cast<QComboBox *>(widget) ||
            qobject_cast<QAbstractItemView *>(widget);
        if (!control || widget->inherits("QComboBoxListView") ||
            qobject_cast<QLineEdit *>(widget->parentWidget()) ||
            qobject_cast<QAbstractSpinBox *>(widget->parentWidget()) ||
            qobject_cast<QComboBox *>(widget->parentWidget()) ||
            // Parts of other controls, named through them.
            qobject_cast<QHeaderView *>(widget) ||
            widget->objectName().startsWith(QLatin1String("qt_")))
            continue;
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(widget);
        const QString name = accessible ? accessible->text(QAccessible::Name) : QString();
        if (name.trimmed().isEmpty())
            unnamed << QStringLiteral("%1 %2 in %3")
                           .arg(QString::fromLatin1(widget->metaObject()->className()),
                                widget->objectName(),
                                QString::fromLatin1(
                                    widget->parentWidget()->metaObject()->className()));
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral("\n"))));
}

// Every page at the smallest and a large size, in the light and a dark palette, saved under
// <build>/screenshots/<platform>/ to look at (the README links them).
// Tab walks the chat page in reading order, and leaves the message box.
void TestUi::chatKeyboardOrder()
{
    m_window->showPage(MainWindow::ChatPageIndex);
    m_window->raise();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    ChatPage *chat = m_window->chatPage();
    auto *input = chat->findChild<QPlainTextEdit *>();
    QVERIFY(input);
    input->setFocus();
    QVERIFY(input->hasFocus());
    const QStringList expected{"Send", "Attach file…"};
    for (const QString &name : expected) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        auto *button = qobject_cast<QPushButton *>(QApplication::focusWidget());
        QVERIFY2(button, QApplication::focusWidget()
                             ? QApplication::focusWidget()->metaObject()->className()
                             : "nothing");
        QCOMPARE(button->text(), name);
    }
    QVERIFY(input->toPlainText().isEmpty()); // no tab typed into the message
    input->setFocus();
    QTest::keyClick(input, Qt::Key_Tab, Qt::ShiftModifier);
    QVERIFY(qobject_cast<QTextBrowser *>(QApplication::focusWidget()));
}

void TestUi::everyPageIsReachableByTab_data()
{
    QTest::addColumn<int>("page");
    QTest::newRow("chat") << int(MainWindow::ChatPageIndex);
    QTest::newRow("weixin") << int(MainWindow::WeixinPageIndex);
    QTest::newRow("providers") << int(MainWindow::ProvidersPageIndex);
    QTest::newRow("cron") << int(MainWindow::CronPageIndex);
    QTest::newRow("config") << int(MainWindow::ConfigPageIndex);
    QTest::newRow("logs") << int(MainWindow::LogsPageIndex);
    QTest::newRow("status") << int(MainWindow::StatusPageIndex);
}

void TestUi::everyPageIsReachableByTab()
{
    QFETCH(int, page);
    m_window->showPage(MainWindow::Page(page));
    m_window->raise();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QWidget *current = m_window->findChild<QStackedWidget *>()->currentWidget();
    // Every control a keyboard user can use on this page.
    QSet<QWidget *> wanted;
    for (QWidget *widget : current->findChildren<QWidget *>()) {
        if (widget->isVisibleTo(m_window.get()) && widget->isEnabled() &&
            (widget->focusPolicy() & Qt::TabFocus) && !widget->focusProxy() &&
            !qobject_cast<QScrollBar *>(widget))
            wanted.insert(widget);
    }
    QVERIFY(!wanted.isEmpty());
    // Tab from the sidebar goes round the whole window once, reaching each of them.
    m_window->findChild<QListWidget *>()->setFocus();
    QSet<QWidget *> reached;
    QWidget *start = QApplication::focusWidget();
    for (int press = 0; press < 400; ++press) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *focused = QApplication::focusWidget();
        if (!focused || focused == start)
            break;
        reached.insert(focused);
    }
    QStringList missed;
    for (QWidget *widget : std::as_const(wanted))
        if (!reached.contains(widget))
            missed << QStringLiteral("%1 \"%2\"")
                          .arg(QLatin1String(widget->metaObject()->className()),
                               widget->accessibleName());
    QVERIFY2(missed.isEmpty(), qPrintable(missed.join(QStringLiteral(", "))));
}

void TestUi::startAtLoginWritesTheAutostartEntry()
{
    const QString entry = m_dir.filePath(QStringLiteral("xdg/autostart/clawgo-desktop.desktop"));
    QCOMPARE(Autostart::entryPath(), entry);
    ConfigPage *page = m_window->configPage();
    // The Weixin account of the earlier tests saves its cursor now and then: a save that meets
    // such a change is refused (ETag), and is made again on the reloaded page.
    const auto saveStartAtLogin = [&](bool on) {
        for (int attempt = 0; attempt < 5; ++attempt) {
            page->reload();
            if (!waitFor([&] { return !page->isDirty() && page->statusText().isEmpty(); }))
                return false;
            page->setFieldText(QStringLiteral("window.start_at_login"),
                               on ? QStringLiteral("true") : QStringLiteral("false"));
            page->save();
            if (!waitFor([&] {
                    return page->statusText().startsWith(QLatin1String("Saved")) ||
                           page->statusText().startsWith(QLatin1String("Not saved"));
                }))
                return false;
            if (page->statusText().startsWith(QLatin1String("Saved")))
                return true;
        }
        return false;
    };
    QVERIFY(!QFile::exists(entry));
    QVERIFY2(saveStartAtLogin(true), qPrintable(page->statusText()));
    QVERIFY(waitFor([&] { return QFile::exists(entry); }));
    QFile file(entry);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY2(text.contains(QStringLiteral("Exec=%1 --minimized --config %2")
                               .arg(QCoreApplication::applicationFilePath(),
                                    m_dir.filePath(QStringLiteral("config.json")))),
             qPrintable(text));
    QVERIFY(text.startsWith(QLatin1String("[Desktop Entry]\nType=Application\n")));
    QVERIFY2(saveStartAtLogin(false), qPrintable(page->statusText()));
    QVERIFY(waitFor([&] { return !QFile::exists(entry); }));
}

void TestUi::autostartEntryQuotesPaths()
{
    const QString text = Autostart::entryText(QStringLiteral("/opt/Claw Go/clawgo-desktop"),
                                              QStringLiteral("/home/u/my \"cfg\"/config.json"),
                                              QStringLiteral("/home/u/.clawgo/config.json"));
    QVERIFY2(
        text.contains(QStringLiteral("Exec=\"/opt/Claw Go/clawgo-desktop\" --minimized --config "
                                     "\"/home/u/my \\\\\"cfg\\\\\"/config.json\"\n")),
        qPrintable(text));
    // The default config file needs no --config.
    QVERIFY(Autostart::entryText(QStringLiteral("/usr/bin/clawgo-desktop"),
                                 QStringLiteral("/home/u/.clawgo/config.json"),
                                 QStringLiteral("/home/u/.clawgo/config.json"))
                .contains(QStringLiteral("Exec=/usr/bin/clawgo-desktop --minimized\n")));
}

void TestUi::iconsAndAboutDialog()
{
    // Our SVG, rendered: a green tile with a white bubble.
    const QImage icon = AppIcons::application().pixmap(64, 64).toImage();
    QVERIFY(!icon.isNull());
    QVERIFY(QColor(icon.pixel(32, 6)).green() > 120);
    QVERIFY(!m_window->windowIcon().isNull());
    // The tray's failed state differs from the running one (a red mark in the corner).
    const QImage running = AppIcons::tray(true).pixmap(32, 32).toImage();
    const QImage failed = AppIcons::tray(false).pixmap(32, 32).toImage();
    QVERIFY(running != failed);
    QVERIFY(QColor(failed.pixel(26, 26)).red() > 150);
    for (const char *page : {"chat", "weixin", "config", "logs", "status"})
        QVERIFY2(!AppIcons::page(QString::fromLatin1(page)).pixmap(20, 20).isNull(), page);
    AboutDialog about(m_host.get());
    QVERIFY(about.text().contains(QStringLiteral(CLAWGO_VERSION)));
    QVERIFY(about.text().contains(m_dir.path()));
    QVERIFY(waitFor([&] { return about.text().contains(m_dir.filePath(QStringLiteral("logs"))); }));
    // The license it names is the one the sources carry.
    QVERIFY(about.text().contains(QStringLiteral("MIT License")));
    QFile license(QStringLiteral(CLAWGO_SOURCE_DIR "/LICENSE"));
    QVERIFY(license.open(QIODevice::ReadOnly));
    QVERIFY(license.readAll().startsWith("MIT License"));
}

void TestUi::pagesHaveShortcutsAndCopyingSaysSo()
{
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    for (int page = 0; page < 6; ++page) {
        QTest::keyClick(m_window.get(), Qt::Key(Qt::Key_1 + page), Qt::ControlModifier);
        QCOMPARE(m_window->currentPage(), page);
    }
    m_window->copyApiUrl();
    QCOMPARE(QApplication::clipboard()->text(), m_host->apiUrl());
    QCOMPARE(m_window->statusBar()->currentMessage(), QStringLiteral("Copied ") + m_host->apiUrl());
}

void TestUi::statusPageCountsClientsAndChats()
{
    StatusPage *page = m_window->statusPage();
    QSignalSpy summaries(page, &StatusPage::summaryChanged);
    QWebSocket client;
    client.open(QUrl(m_host->apiUrl().replace(QLatin1String("http://"), QLatin1String("ws://")) +
                     QStringLiteral("/api/events/live?token=") + QString::fromLatin1(kToken)));
    QVERIFY(waitFor([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    QVERIFY2(waitFor([&] {
                 page->refresh();
                 QTest::qWait(20);
                 return page->activityText().contains(QLatin1String("1 WebSocket clients"));
             }),
             qPrintable(page->activityText()));
    QVERIFY(page->activityText().contains(QLatin1String("0 chats answering now")));
    // A turn under way counts as a chat answering.
    FakeLlmReply slow = FakeLlmReply::chatStream({"a", "b"});
    slow.intervalMs = 500;
    m_fake->enqueue(slow);
    ChatPage *chat = m_window->chatPage();
    chat->newSession();
    chat->send(QStringLiteral("count me"));
    QVERIFY(waitFor([&] {
        page->refresh();
        QTest::qWait(20);
        return page->activityText().contains(QLatin1String("1 chats answering now"));
    }));
    QVERIFY(waitFor([&] {
        return !summaries.isEmpty() &&
               summaries.last().first().toString().contains(QLatin1String("1 chat(s) answering"));
    }));
    QVERIFY(summaries.last().first().toString().contains(m_host->apiUrl()));
    QVERIFY(waitFor([&] { return !chat->isBusy(); }));
    client.close();
}

// With an empty gateway.token (allowed on loopback), the Status page offers a new one.
void TestUi::statusPageGeneratesAMissingToken()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("config.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(JsonUtil::pretty(baseConfig(dir.path(), QString())));
    file.close();
    GatewayOptions options;
    options.configPath = path;
    options.port = 0;
    options.useKeychain = false;
    GatewayHost host(options);
    QSignalSpy started(&host, &GatewayHost::started);
    host.start();
    QVERIFY(started.wait(10000));
    StatusPage page(&host);
    page.show();
    page.refresh();
    QVERIFY(page.generateTokenButton()->isVisibleTo(&page));
    page.generateTokenButton()->click();
    QVERIFY(waitFor([&] {
        return !JsonUtil::valueAt(QJsonDocument::fromJson(configFileOf(path)).object(),
                                  QStringLiteral("gateway.token"))
                    .toString()
                    .isEmpty();
    }));
    QVERIFY(waitFor([&] { return !page.generateTokenButton()->isVisibleTo(&page); }));
    QCOMPARE(http(quint16(QUrl(host.apiUrl()).port()), "GET", "/api/version").status, 401);
}

void TestUi::providersPageShowsACooldownAndClearsIt()
{
    m_window->showPage(MainWindow::ProvidersPageIndex);
    ProvidersPage *page = m_window->providersPage();
    QTreeWidget *list = page->providerList();
    QVERIFY(waitFor([&] { return page->selectProvider(QStringLiteral("fake")); }));
    QTreeWidgetItem *fake = list->currentItem();
    QCOMPARE(fake->text(1), QStringLiteral("OpenAI Chat Completions"));
    QVERIFY(!page->clearCooldownButton()->isEnabled());

    // A real test call that the provider answers with 429: the key cools down, counting down.
    m_fake->enqueue(
        FakeLlmReply::error(429, R"({"error":{"message":"slow down"}})", {{"Retry-After", "300"}}));
    page->testButton()->click();
    QVERIFY(waitFor([&] { return page->resultLabel()->text().contains("rate limiting"); }));
    QVERIFY(waitFor([&] { return !list->currentItem()->text(5).isEmpty(); }));
    QVERIFY2(list->currentItem()->text(5).contains("min"),
             qPrintable(list->currentItem()->text(5)));
    QCOMPARE(list->currentItem()->text(6), QStringLiteral("rate_limit"));
    QCOMPARE(page->candidateList()->topLevelItem(0)->text(1), QStringLiteral("cooling down"));
    const auto hasEvent = [page](const QString &reason) {
        for (int i = 0; i < page->eventList()->topLevelItemCount(); ++i)
            if (page->eventList()->topLevelItem(i)->text(3) == reason)
                return true;
        return false;
    };
    QVERIFY(hasEvent(QStringLiteral("api_key_cooldown_rate_limit")));
    QVERIFY(page->clearCooldownButton()->isEnabled());

    // Cleared from the page: no countdown, a manual-clear event.
    page->clearCooldownButton()->click();
    QVERIFY(waitFor([&] {
        return list->currentItem()->text(5).isEmpty() &&
               hasEvent(QStringLiteral("manual_clear_api_cooldown"));
    }));
    QCOMPARE(page->candidateList()->topLevelItem(0)->text(1), QStringLiteral("ready"));

    // A test that works says how long it took.
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("OK")));
    page->testButton()->click();
    QVERIFY(waitFor([&] { return page->resultLabel()->text().contains(" ms: OK"); }));

    // Models edited on the page reach config.json.
    page->modelsEditor()->setFocus();
    page->modelsEditor()->setPlainText(QStringLiteral("fake-model\n second-model \nfake-model"));
    page->saveModelsButton()->click();
    QVERIFY(waitFor([&] {
        return QJsonDocument::fromJson(configFile())["models"]["providers"]["fake"]["models"]
                   .toArray() == QJsonArray({"fake-model", "second-model"});
    }));
    QVERIFY(waitFor([&] { return list->currentItem()->text(3) == "fake-model, second-model"; }));
}

// Sign-in from the Providers page: a device code shown large with the verification page
// "opened", the account listed when the provider approves; an auth.json imported and removed.
void TestUi::providersPageSignsInAndImports()
{
    FakeOAuthServer oauth;
    oauth.email.clear(); // Qwen names no one: the label does
    oauth.deviceErrors = {"authorization_pending"};
    const QString root = oauth.rootUrl();
    m_host->post([root](Gateway &gateway) {
        gateway.configStore()->update(QStringLiteral("test"), [root](const QJsonObject &file) {
            QJsonObject updated = file;
            JsonUtil::setValueAt(
                updated, QStringLiteral("models.providers.qwen"),
                QJsonObject{{"api_base", root + "/v1"},
                            {"auth", "oauth"},
                            {"oauth", QJsonObject{{"provider", "qwen"},
                                                  {"auth_url", root + "/device"},
                                                  {"token_url", root + "/oauth/token"}}},
                            {"models", QJsonArray{"qwen-x"}},
                            {"timeout_sec", 10}});
            return updated;
        });
    });
    m_window->showPage(MainWindow::ProvidersPageIndex);
    ProvidersPage *page = m_window->providersPage();
    QVERIFY(waitFor([&] { return page->selectProvider(QStringLiteral("qwen")); }));
    OAuthAccountsPanel *panel = page->oauthPanel();
    QVERIFY(waitFor([&] { return panel->isVisible(); }));
    QStringList opened;
    panel->openUrl = [&opened](const QUrl &url) {
        opened << url.toString();
        return true;
    };
    panel->labelEdit()->setText(QStringLiteral("qwen-work"));
    panel->signInButton()->click();
    QVERIFY(waitFor([&] { return panel->userCodeLabel()->text() == QLatin1String("ABCD"); }));
    QVERIFY(panel->userCodeLabel()->isVisible());
    QCOMPARE(opened, QStringList{root + "/verify?code=ABCD"});
    QVERIFY(m_window->grab().save(
        QDir(QStringLiteral(CLAWGO_BUILD_DIR)).filePath(QStringLiteral("screenshots/")) +
        QStringLiteral("providers-device-code.png")));
    QVERIFY(waitFor(
        [&] { return panel->statusLabel()->text().contains("Signed in to qwen as qwen-work"); },
        10000));
    QVERIFY(!panel->userCodeLabel()->isVisible());
    QVERIFY(waitFor([&] { return panel->accountList()->topLevelItemCount() == 1; }));
    QCOMPARE(panel->accountList()->topLevelItem(0)->text(0), QStringLiteral("qwen-work"));
    QVERIFY(m_window->grab().save(
        QDir(QStringLiteral(CLAWGO_BUILD_DIR)).filePath(QStringLiteral("screenshots/")) +
        QStringLiteral("providers-signed-in.png")));

    // An auth.json (the Codex CLI's shape) dropped or picked: a second account.
    const QString file = m_dir.filePath(QStringLiteral("imported-auth.json"));
    QFile credential(file);
    QVERIFY(credential.open(QIODevice::WriteOnly));
    credential.write(R"({"tokens":{"access_token":"at-imported-1234","refresh_token":"rt-i"},)"
                     R"("email":"imported@example.com"})");
    credential.close();
    panel->labelEdit()->clear();
    // Dropped on the panel, as from a file manager.
    QMimeData dropped;
    dropped.setUrls({QUrl::fromLocalFile(file)});
    QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &dropped, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &dropped, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(panel, &drop);
    QVERIFY(waitFor([&] { return panel->accountList()->topLevelItemCount() == 2; }));
    QVERIFY(panel->statusLabel()->text().contains("imported@example.com"));
    QString importedFile;
    for (int i = 0; i < 2; ++i)
        if (panel->accountList()->topLevelItem(i)->text(0) == QLatin1String("imported@example.com"))
            importedFile = panel->accountList()->topLevelItem(i)->toolTip(0);
    QVERIFY(QFileInfo::exists(importedFile));
    panel->removeAccount(importedFile);
    QVERIFY(waitFor([&] { return panel->accountList()->topLevelItemCount() == 1; }));
    QVERIFY(!QFileInfo::exists(importedFile));

    // A provider that uses an API key so far offers accounts too; one imported makes it
    // "hybrid" (the key first, then the account).
    m_host->post([root](Gateway &gateway) {
        gateway.configStore()->update(QStringLiteral("test"), [root](const QJsonObject &file) {
            QJsonObject updated = file;
            JsonUtil::setValueAt(updated, QStringLiteral("models.providers.claude"),
                                 QJsonObject{{"api_base", root},
                                             {"api_key", "sk-ant-ui-0123456789"},
                                             {"models", QJsonArray{"claude-x"}},
                                             {"timeout_sec", 10}});
            return updated;
        });
    });
    QVERIFY(waitFor([&] { return page->selectProvider(QStringLiteral("claude")); }));
    QVERIFY(waitFor(
        [&] { return panel->isVisible() && panel->accountList()->topLevelItemCount() == 0; }));
    panel->importFile(file);
    QVERIFY(waitFor([&] {
        const QJsonObject claude =
            QJsonDocument::fromJson(configFile())["models"]["providers"]["claude"].toObject();
        return claude.value("auth") == QLatin1String("hybrid") &&
               !claude.value("oauth").toObject().value("credential_file").toString().isEmpty();
    }));
    QVERIFY(waitFor([&] { return panel->accountList()->topLevelItemCount() == 1; }));
    QVERIFY(page->selectProvider(QStringLiteral("qwen")));

    // A sign-in that the user cancels ends in the gateway too. Where no browser opens, the
    // page says so without ever growing wider than a small screen (long addresses wrap).
    panel->openUrl = [](const QUrl &) { return false; };
    panel->signInButton()->click();
    QVERIFY(waitFor([&] { return !panel->flowId().isEmpty(); }));
    QVERIFY(panel->statusLabel()->text().contains("Copy address"));
    QVERIFY2(m_window->minimumSizeHint().width() <= 800,
             qPrintable(QString::number(m_window->minimumSizeHint().width())));
    panel->cancelSignIn();
    QVERIFY(panel->signInButton()->isEnabled());
    QVERIFY(panel->statusLabel()->text().contains("cancelled"));
}

void TestUi::chatPicksAModelPerSession()
{
    // Two models to choose from.
    m_host->post([](Gateway &gateway) {
        gateway.configStore()->update(QStringLiteral("test"), [](const QJsonObject &file) {
            return ProviderConfig::withModels(
                file, QStringLiteral("fake"),
                {QStringLiteral("fake-model"), QStringLiteral("second-model")});
        });
    });
    m_window->showPage(MainWindow::ChatPageIndex);
    ChatPage *chat = m_window->findChild<ChatPage *>();
    QComboBox *picker = chat->modelPicker();
    QVERIFY(waitFor([&] { return picker->findData(QStringLiteral("fake/second-model")) > 0; }));
    QVERIFY(picker->itemText(0).startsWith(QStringLiteral("Default (")));
    QVERIFY(picker->itemData(0).toString().isEmpty());

    chat->newSession();
    const QString picked = chat->currentSession();
    int second = -1;
    QVERIFY(waitFor([&] {
        second = picker->findData(QStringLiteral("fake/second-model"));
        return second > 0;
    }));
    picker->setCurrentIndex(second);
    Q_EMIT picker->activated(second);
    const qsizetype before = m_fake->requests().size();
    m_fake->enqueue(FakeLlmReply::chatStream({"from the second model"}));
    chat->send(QStringLiteral("which model?"));
    QVERIFY(waitFor([&] { return chat->transcriptText().contains("from the second model"); }));
    QCOMPARE(m_fake->requests().size(), before + 1);
    QCOMPARE(m_fake->requests().last().body.value("model").toString(),
             QStringLiteral("second-model"));

    // Another session keeps the default; coming back shows the pick, which is on disk.
    chat->newSession();
    QVERIFY(waitFor([&] { return picker->count() > 2 && picker->currentIndex() == 0; }));
    chat->showSession(picked);
    QVERIFY(waitFor([&] { return picker->currentIndex() == second; }));
    const QString file = m_dir.filePath(QStringLiteral("agents/main/session-models.json"));
    QVERIFY(waitFor([&] {
        QFile saved(file);
        return saved.open(QIODevice::ReadOnly) &&
               QJsonDocument::fromJson(saved.readAll()).object().value(picked).toString() ==
                   QLatin1String("fake/second-model");
    }));
}

void TestUi::cronWords_data()
{
    QTest::addColumn<QString>("expression");
    QTest::addColumn<QString>("tz");
    QTest::addColumn<QString>("words");
    QTest::newRow("daily") << "0 9 * * *"
                           << ""
                           << "every day at 09:00";
    QTest::newRow("daily in a zone") << "0 9 * * *"
                                     << "Asia/Shanghai"
                                     << "every day at 09:00, Asia/Shanghai";
    QTest::newRow("CRON_TZ prefix") << "CRON_TZ=Europe/Berlin 30 7 * * *"
                                    << ""
                                    << "every day at 07:30, Europe/Berlin";
    QTest::newRow("weekdays") << "30 7 * * 1-5"
                              << ""
                              << "on weekdays at 07:30";
    QTest::newRow("weekdays by name") << "30 7 ? * MON-FRI"
                                      << ""
                                      << "on weekdays at 07:30";
    QTest::newRow("weekends") << "0 10 * * 0,6"
                              << ""
                              << "at weekends at 10:00";
    QTest::newRow("one day") << "0 18 * * FRI"
                             << ""
                             << "every Friday at 18:00";
    QTest::newRow("some days") << "0 8 * * 1,3"
                               << ""
                               << "on Monday, Wednesday at 08:00";
    QTest::newRow("a run of days") << "0 8 * * 2-4"
                                   << ""
                                   << "on Tuesday to Thursday at 08:00";
    QTest::newRow("day of month") << "15 6 1 * *"
                                  << ""
                                  << "on day 1 of every month at 06:15";
    QTest::newRow("every minute") << "* * * * *"
                                  << ""
                                  << "every minute";
    QTest::newRow("every 15 minutes") << "*/15 * * * *"
                                      << ""
                                      << "every 15 minutes";
    QTest::newRow("hourly at") << "5 * * * *"
                               << ""
                               << "every hour at minute 5";
    QTest::newRow("every 2 hours") << "0 */2 * * *"
                                   << ""
                                   << "every 2 hours";
    QTest::newRow("@daily") << "@daily"
                            << ""
                            << "every day at 00:00";
    QTest::newRow("@weekly") << "@weekly"
                             << ""
                             << "every Sunday at 00:00";
    QTest::newRow("@every") << "@every 1h30m"
                            << ""
                            << "every 1h30m";
    QTest::newRow("beyond words") << "0 9 1-7 * 1"
                                  << ""
                                  << "cron: 0 9 1-7 * 1";
    QTest::newRow("steps of days") << "0 9 * * */2"
                                   << ""
                                   << "cron: 0 9 * * */2";
}

// A job's schedule in words on the Cron page.
void TestUi::cronWords()
{
    QFETCH(QString, expression);
    QFETCH(QString, tz);
    QFETCH(QString, words);
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    CronJob job;
    job.schedule.kind = QStringLiteral("cron");
    job.schedule.expr = expression;
    job.schedule.tz = tz;
    const QString described = CronWords::describe(job);
    QLocale::setDefault(before);
    QCOMPARE(described, words);
}

// The Cron page: a new job's expression checked as it is typed, with the next five runs; saved
// through the gateway and listed in words; disabled, run now (its reply in its session, opened
// in the Chat page), following a job made through the API, and deleted after a question.
void TestUi::cronPageEditsPreviewsAndRuns()
{
    m_window->showPage(MainWindow::CronPageIndex);
    CronPage *page = m_window->cronPage();
    const qsizetype before = page->jobs().size();
    page->newJob();
    CronJobDialog *dialog = page->dialog();
    QVERIFY(dialog);
    dialog->nameEdit()->setText(QStringLiteral("Inbox"));
    dialog->messageEdit()->setPlainText(QStringLiteral("Summarise my inbox"));
    dialog->expressionEdit()->setText(QStringLiteral("61 * * * *"));
    QCOMPARE(dialog->validationText(),
             QStringLiteral("invalid cron expression: end of range (61) above maximum (59): 61"));
    QVERIFY(!dialog->saveButton()->isEnabled());
    QCOMPARE(dialog->previewList()->count(), 0);
    dialog->expressionEdit()->setText(QStringLiteral("CRON_TZ=Asia/Shanghai 30 9 * * 1-5"));
    QVERIFY(dialog->saveButton()->isEnabled());
    QCOMPARE(dialog->previewList()->count(), 5);
    QDateTime previous = QDateTime::currentDateTime();
    const QTimeZone shanghai("Asia/Shanghai");
    for (int row = 0; row < 5; ++row) {
        const QString text = dialog->previewList()->item(row)->text();
        QVERIFY2(text.endsWith(QLatin1String("09:30 (Asia/Shanghai)")), qPrintable(text));
        // Each one a weekday, later than the one before.
        const QDateTime run = QDateTime(
            QDate::fromString(text.section(QLatin1Char(' '), 1, 1), QStringLiteral("yyyy-MM-dd")),
            QTime(9, 30), shanghai);
        QVERIFY2(run > previous && run.date().dayOfWeek() <= 5, qPrintable(text));
        previous = run;
    }
    // A chat to deliver to must be named.
    dialog->channelBox()->setCurrentIndex(dialog->channelBox()->findData("desktop"));
    QVERIFY(!dialog->saveButton()->isEnabled());
    dialog->chatEdit()->setText(QStringLiteral("inbox-notes"));
    QVERIFY(dialog->saveButton()->isEnabled());
    dialog->deliverBox()->setChecked(true); // the agent's reply goes there
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QVERIFY(waitFor([&] { return page->jobs().size() == before + 1 && !page->dialog(); }));
    const QString id = page->selectedId();
    QVERIFY(!id.isEmpty());
    QTreeWidgetItem *item = page->jobList()->currentItem();
    QCOMPARE(item->text(0), QStringLiteral("Inbox"));
    QCOMPARE(item->text(1), QStringLiteral("on weekdays at 09:30, Asia/Shanghai"));
    QVERIFY(!item->text(2).isEmpty()); // next run

    page->toggleSelected();
    QVERIFY(waitFor([&] {
        return page->jobList()->currentItem() &&
               page->jobList()->currentItem()->text(4) == QLatin1String("disabled");
    }));
    m_fake->enqueue(FakeLlmReply::chatText(QStringLiteral("Inbox: 3 new mails.")));
    page->runSelected();
    QVERIFY(waitFor(
        [&] {
            for (const CronJob &job : page->jobs())
                if (job.id == id)
                    return job.state.lastStatus == QLatin1String("ok");
            return false;
        },
        10000));
    QVERIFY(!page->jobList()->currentItem()->text(3).isEmpty()); // last run
    page->openHistory();
    QCOMPARE(m_window->currentPage(), int(MainWindow::ChatPageIndex));
    QCOMPARE(m_window->chatPage()->currentSession(), QStringLiteral("cron:") + id);
    QVERIFY(waitFor(
        [&] { return m_window->chatPage()->transcriptText().contains("Inbox: 3 new mails."); }));

    // A job made elsewhere shows up.
    m_window->showPage(MainWindow::CronPageIndex);
    const quint16 port = quint16(QUrl(m_host->apiUrl()).port());
    QCOMPARE(http(port, "POST", "/api/cron",
                  R"({"name":"From the API","message":"m","expr":"@every 2h"})",
                  {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}})
                 .status,
             200);
    QVERIFY(waitFor([&] { return page->jobs().size() == before + 2; }));

    page->select(id);
    page->deleteSelected();
    QMessageBox *ask = nullptr;
    QVERIFY(waitFor([&] { return (ask = page->findChild<QMessageBox *>()) != nullptr; }));
    for (QAbstractButton *button : ask->buttons())
        if (ask->buttonRole(button) == QMessageBox::DestructiveRole)
            button->click();
    QVERIFY(waitFor([&] { return page->jobs().size() == before + 1; }));
    for (const CronJob &job : page->jobs())
        QVERIFY(job.id != id);
}

// A scheduled message for the session open in the Chat page shows up in it, and the tray is
// told which session to open.
void TestUi::scheduledMessageReachesTheOpenChat()
{
    m_window->showPage(MainWindow::ChatPageIndex);
    m_window->chatPage()->showSession(QStringLiteral("reminders-here"));
    const quint16 port = quint16(QUrl(m_host->apiUrl()).port());
    const QByteArray body =
        QJsonDocument(QJsonObject{{"name", "Water the plants"},
                                  {"message", "Water the plants"},
                                  {"kind", "at"},
                                  {"atMs", double(QDateTime::currentMSecsSinceEpoch() + 300)},
                                  {"channel", "desktop"},
                                  {"to", "reminders-here"}})
            .toJson();
    QCOMPARE(http(port, "POST", "/api/cron", body,
                  {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}})
                 .status,
             200);
    QVERIFY(waitFor(
        [&] { return m_window->chatPage()->transcriptText().contains("Water the plants"); }, 8000));
    QCOMPARE(m_window->lastNotifiedSession(), QStringLiteral("reminders-here"));
    // On the Cron page, the one-time job is done.
    m_window->showPage(MainWindow::CronPageIndex);
    QVERIFY(waitFor([&] {
        const QList<QTreeWidgetItem *> rows =
            m_window->cronPage()->jobList()->findItems("Water the plants", Qt::MatchExactly, 0);
        return rows.isEmpty() ? false : rows.first()->text(4) == QLatin1String("done");
    }));
}

void TestUi::screenshots()
{
    const QString folder =
        QDir(QStringLiteral(CLAWGO_BUILD_DIR))
            .filePath(QStringLiteral("screenshots/") + QGuiApplication::platformName());
    QDir().mkpath(folder);
    const QList<QPair<MainWindow::Page, QString>> pages{
        {MainWindow::ChatPageIndex, "chat"},
        {MainWindow::WeixinPageIndex, "weixin-accounts"},
        {MainWindow::ProvidersPageIndex, "providers"},
        {MainWindow::CronPageIndex, "cron"},
        {MainWindow::ConfigPageIndex, "config"},
        {MainWindow::LogsPageIndex, "logs"},
        {MainWindow::StatusPageIndex, "status"}};
    const QPalette light = QApplication::palette();
    const QSize before = m_window->size();
    for (const bool dark : {false, true}) {
        QApplication::setPalette(dark ? ColorScheme::darkPalette() : light);
        for (const QSize size : {QSize(800, 600), QSize(1600, 1000), QSize(2560, 1440)}) {
            m_window->resize(size);
            for (const auto &page : pages) {
                m_window->showPage(page.first);
                QTest::qWait(30);
                // Nothing is cut off at the smallest size: the page fits its own minimum.
                QVERIFY2(m_window->minimumSizeHint().width() <= 800,
                         qPrintable(QString::number(m_window->minimumSizeHint().width())));
                const QString path = folder + QStringLiteral("/%1-%2x%3-%4.png")
                                                  .arg(page.second)
                                                  .arg(size.width())
                                                  .arg(size.height())
                                                  .arg(dark ? "dark" : "light");
                QVERIFY(m_window->grab().save(path));
                QVERIFY(QFileInfo(path).size() > 1000);
            }
        }
    }
    QApplication::setPalette(light);
    m_window->resize(before);
}

QTEST_MAIN(TestUi)
#include "tst_ui.moc"
