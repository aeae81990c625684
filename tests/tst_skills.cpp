// Skills, the tools catalog and MCP installs (spec/agent.md §7, §8.3, §8.6, api.md §15) against
// a real gateway:
// /api/skills for every action and its errors, names and paths that try to leave
// workspace/skills (each refused), ClawHub through a fake `clawhub` on PATH, the Skills Catalog
// in the system prompt (disabled skills left out, the same bytes turn after turn), skill_exec,
// /api/tools with its MCP server checks, and /api/mcp/install with fake uv and bun.

#include "agent/agentruntime.h"
#include "api/toolscontroller.h"
#include "core/jsonutil.h"
#include "fakes/fakeopenaiserver.h"
#include "gateway.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <archive.h>
#include <archive_entry.h>

namespace {

const QByteArray kToken = "cg_test_token_0123456789";

QList<QPair<QByteArray, QByteArray>> auth()
{
    return {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/json"}};
}

void writeFile(const QString &path, const QByteArray &content, bool executable = false)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
    file.close();
    if (executable)
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
}

// One entry of an archive a test builds with libarchive.
struct Entry
{
    QString path;
    QByteArray content;
    char type = 'f'; // f: file, d: folder, l: symbolic link (content: its target)
    int mode = 0644;
};

// An archive of `entries` ("zip", "tar" or "tgz"), built with libarchive.
QByteArray makeArchive(const QString &format, const QList<Entry> &entries)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a"));
    archive *writer = archive_write_new();
    if (format == QLatin1String("zip")) {
        archive_write_set_format_zip(writer);
    } else {
        archive_write_set_format_pax_restricted(writer);
        if (format == QLatin1String("tgz"))
            archive_write_add_filter_gzip(writer);
    }
    archive_write_open_filename(writer, QFile::encodeName(path).constData());
    for (const Entry &item : entries) {
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, item.path.toUtf8().constData());
        if (item.type == 'd') {
            archive_entry_set_filetype(entry, AE_IFDIR);
            archive_entry_set_perm(entry, 0755);
        } else if (item.type == 'l') {
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_symlink(entry, item.content.constData());
            archive_entry_set_perm(entry, 0777);
        } else {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_perm(entry, item.mode);
            archive_entry_set_size(entry, item.content.size());
        }
        archive_write_header(writer, entry);
        if (item.type == 'f' && !item.content.isEmpty())
            archive_write_data(writer, item.content.constData(), size_t(item.content.size()));
        archive_entry_free(entry);
    }
    archive_write_close(writer);
    archive_write_free(writer);
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

} // namespace

class TestSkills : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void actionsAndTheirAnswers();
    void namesThatLeaveTheFolderAreRefused_data();
    void namesThatLeaveTheFolderAreRefused();
    void filePathsStayInsideTheSkill();
    void deletingALinkedSkillRemovesOnlyTheLink();
    void linkedFoldersAreNotFollowed();
    void clawhubInstall_data();
    void clawhubInstall();
    void catalogInThePromptIsStable();
    void skillExecRunsScripts_data();
    void skillExecRunsScripts();
    void clawhubUpdateCheck();
    void archiveImport_data();
    void archiveImport();
    void archiveImportIsAllOrNothing();
    void mcpInstall_data();
    void mcpInstall();
    void installSpecs_data();
    void installSpecs();
    void toolsCatalogAndServerChecks();

private:
    HttpResult post(const QJsonObject &body)
    {
        return http(m_gateway->port(), "POST", "/api/skills",
                    QJsonDocument(body).toJson(QJsonDocument::Compact), auth());
    }
    HttpResult get(const QByteArray &query)
    {
        return http(m_gateway->port(), "GET", "/api/skills" + query, {}, auth());
    }
    QString skills() const { return m_gateway->dir() + QStringLiteral("/workspace/skills"); }

    std::unique_ptr<FakeOpenAiServer> m_llm;
    std::unique_ptr<TestGateway> m_gateway;
    QByteArray m_path;
};

void TestSkills::init()
{
    m_path = qgetenv("PATH");
    m_llm = std::make_unique<FakeOpenAiServer>();
    m_gateway = std::make_unique<TestGateway>();
    QJsonObject config = baseConfig(m_gateway->dir(), QString::fromLatin1(kToken));
    useFakeProvider(&config, m_llm->apiBase());
    QDir().mkpath(m_gateway->dir() + QStringLiteral("/workspace"));
    QVERIFY(m_gateway->start(config));
}

void TestSkills::cleanup()
{
    qputenv("PATH", m_path);
    m_gateway.reset();
    m_llm.reset();
}

void TestSkills::actionsAndTheirAnswers()
{
    QCOMPARE(post({{"action", "create"},
                   {"name", "weather"},
                   {"description", "Look up the weather"},
                   {"tools", "exec, web_fetch, exec"},
                   {"system_prompt", "Be brief."}})
                 .json(),
             (QJsonObject{{"ok", true}}));
    QFile skillMd(skills() + QStringLiteral("/weather/SKILL.md"));
    QVERIFY(skillMd.open(QIODevice::ReadOnly));
    QCOMPARE(skillMd.readAll(), QByteArray("---\nname: weather\ndescription: Look up the weather\n"
                                           "---\n\n# weather\n\nLook up the weather\n\n## Tools\n"
                                           "- exec\n- web_fetch\n\n## System Prompt\nBe brief.\n"));
    QVERIFY(QFileInfo(skills() + QStringLiteral("/weather/scripts")).isDir());
    QCOMPARE(post({{"action", "create"}, {"name", "weather"}}).body,
             QByteArray("skill already exists\n"));

    const QJsonObject list = get("").json();
    QCOMPARE(list.value("clawhub_installed").toBool(), false);
    QCOMPARE(list.value("source").toString(), QStringLiteral("clawhub"));
    const QJsonObject item = list.value("skills").toArray().first().toObject();
    QCOMPARE(item.value("id").toString(), QStringLiteral("weather"));
    QCOMPARE(item.value("description").toString(), QStringLiteral("Look up the weather"));
    QCOMPARE(item.value("tools").toArray(), (QJsonArray{"exec", "web_fetch"}));
    QCOMPARE(item.value("system_prompt").toString(), QStringLiteral("Be brief."));
    QCOMPARE(item.value("enabled").toBool(), true);

    QCOMPARE(post({{"action", "write_file"},
                   {"name", "weather"},
                   {"file", "scripts/./run.sh"},
                   {"content", "echo sunny\n"}})
                 .json(),
             (QJsonObject{{"ok", true}, {"name", "weather"}, {"file", "scripts/run.sh"}}));
    QCOMPARE(get("?id=weather&files=1").json().value("files").toArray(),
             (QJsonArray{"SKILL.md", "scripts/run.sh"}));
    QCOMPARE(get("?id=weather&file=scripts/run.sh").json().value("content").toString(),
             QStringLiteral("echo sunny\n"));
    QCOMPARE(get("?id=weather&file=nope.txt").status, 404);
    QCOMPARE(get("?id=ghost&files=1").body, QByteArray("skill not found: ghost\n"));

    // Disable and enable rename the folder; a disabled skill is updated where it is.
    QCOMPARE(post({{"action", "disable"}, {"id", "weather"}}).json(), (QJsonObject{{"ok", true}}));
    QVERIFY(QFileInfo(skills() + QStringLiteral("/weather.disabled")).isDir());
    QCOMPARE(get("").json().value("skills").toArray().first().toObject().value("enabled"),
             QJsonValue(false));
    QCOMPARE(post({{"action", "update"}, {"name", "weather"}, {"description", "Forecasts"}}).status,
             200);
    QVERIFY(!QFileInfo::exists(skills() + QStringLiteral("/weather")));
    QCOMPARE(post({{"action", "enable"}, {"name", "weather"}}).status, 200);
    QCOMPARE(get("").json().value("skills").toArray().first().toObject().value("description"),
             QJsonValue("Forecasts"));

    // Errors, in clawgo's words.
    QCOMPARE(post({{"action", "enable"}}).body, QByteArray("name required\n"));
    QCOMPARE(post({{"action", "explode"}, {"name", "weather"}}).body,
             QByteArray("unsupported action\n"));
    QCOMPARE(http(m_gateway->port(), "POST", "/api/skills", "{nope", auth()).body,
             QByteArray("invalid json\n"));
    QCOMPARE(post({{"action", "install"}, {"name", "weather"}}).status, 412);
    QCOMPARE(http(m_gateway->port(), "POST", "/api/skills",
                  "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
                  {{"Authorization", "Bearer " + kToken},
                   {"Content-Type", "multipart/form-data; boundary=b"}})
                 .body,
             QByteArray("file required\n"));
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills", {}, auth()).body,
             QByteArray("id required\n"));

    // deleted: true only when something was removed.
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills?id=weather", {}, auth()).json(),
             (QJsonObject{{"ok", true}, {"deleted", true}, {"id", "weather"}}));
    QVERIFY(!QFileInfo::exists(skills() + QStringLiteral("/weather")));
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills?id=weather", {}, auth())
                 .json()
                 .value("deleted"),
             QJsonValue(false));
}

void TestSkills::namesThatLeaveTheFolderAreRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("parent") << "..";
    QTest::newRow("parent of parent") << "../..";
    QTest::newRow("escaping") << "../outside";
    QTest::newRow("slash") << "a/b";
    QTest::newRow("backslash") << "a\\b";
    QTest::newRow("absolute") << "/tmp";
    QTest::newRow("hidden") << ".git";
    QTest::newRow("dot dot inside") << "a..b";
    QTest::newRow("NUL") << QStringLiteral("a") + QChar(0) + QStringLiteral("b");
    QTest::newRow("300 characters") << QString(300, QLatin1Char('a'));
    QTest::newRow("space") << "a b";
}

// Every action with a name that is not one character set, never a path: 400 `invalid skill
// name`, and nothing outside workspace/skills changes (the reference's DELETE ?id=.. removed the
// whole workspace).
void TestSkills::namesThatLeaveTheFolderAreRefused()
{
    QFETCH(QString, name);
    const QString sentinel = m_gateway->dir() + QStringLiteral("/workspace/keep.txt");
    writeFile(sentinel, "precious");
    writeFile(m_gateway->dir() + QStringLiteral("/outside/SKILL.md"), "---\n---\n");
    for (const char *action : {"create", "update", "enable", "disable", "write_file", "install"}) {
        const HttpResult result = post({{"action", QLatin1String(action)},
                                        {"name", name},
                                        {"file", "x.txt"},
                                        {"content", "x"}});
        QCOMPARE(result.status, 400);
        QCOMPARE(result.body, QByteArray("invalid skill name\n"));
    }
    const QByteArray id = QUrl::toPercentEncoding(name);
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills?id=" + id, {}, auth()).body,
             QByteArray("invalid skill name\n"));
    QCOMPARE(get("?files=1&id=" + id).body, QByteArray("invalid skill name\n"));
    QCOMPARE(get("?file=SKILL.md&id=" + id).body, QByteArray("invalid skill name\n"));
    QVERIFY(QFile::exists(sentinel));
    QVERIFY(QFile::exists(m_gateway->dir() + QStringLiteral("/outside/SKILL.md")));
    QVERIFY(!QFile::exists(m_gateway->dir() + QStringLiteral("/workspace/x.txt")));
}

// write_file and file= are confined to the skill's folder, symlinks included.
void TestSkills::filePathsStayInsideTheSkill()
{
    QCOMPARE(post({{"action", "create"}, {"name", "tool"}}).status, 200);
    for (const char *file : {"../../escape.txt", "/etc/passwd", "..", "", "scripts/../../x"}) {
        const HttpResult result = post({{"action", "write_file"},
                                        {"name", "tool"},
                                        {"file", QLatin1String(file)},
                                        {"content", "x"}});
        QCOMPARE(result.status, 400);
        QCOMPARE(result.body, QByteArray("invalid path\n"));
    }
    QVERIFY(QFile::link(m_gateway->dir(), skills() + QStringLiteral("/tool/out")));
    QCOMPARE(post({{"action", "write_file"},
                   {"name", "tool"},
                   {"file", "out/escape.txt"},
                   {"content", "x"}})
                 .status,
             400);
    QCOMPARE(get("?id=tool&file=out/config.json").status, 400);
    QVERIFY(!QFile::exists(m_gateway->dir() + QStringLiteral("/escape.txt")));
}

void TestSkills::deletingALinkedSkillRemovesOnlyTheLink()
{
    const QString elsewhere = m_gateway->dir() + QStringLiteral("/elsewhere");
    writeFile(elsewhere + QStringLiteral("/SKILL.md"), "---\ndescription: x\n---\n");
    QDir().mkpath(skills());
    QVERIFY(QFile::link(elsewhere, skills() + QStringLiteral("/linked")));
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills?id=linked", {}, auth())
                 .json()
                 .value("deleted"),
             QJsonValue(true));
    QVERIFY(!QFileInfo(skills() + QStringLiteral("/linked")).isSymLink());
    QVERIFY(QFile::exists(elsewhere + QStringLiteral("/SKILL.md")));
}

// A skills folder that is a link, and a skill folder that is a link, are never written through
// or run from: what the API and skill_exec do stays inside the workspace.
void TestSkills::linkedFoldersAreNotFollowed()
{
    const QString outside = m_gateway->dir() + QStringLiteral("/outside");
    writeFile(outside + QStringLiteral("/victim/SKILL.md"), "---\n---\n");
    writeFile(outside + QStringLiteral("/victim/scripts/run.sh"), "echo ran\n");
    QDir().mkpath(skills());
    QVERIFY(QFile::link(outside + QStringLiteral("/victim"), skills() + QStringLiteral("/linked")));
    QCOMPARE(post({{"action", "update"}, {"name", "linked"}, {"description", "x"}}).status, 400);
    QCOMPARE(QFile(outside + QStringLiteral("/victim/SKILL.md")).size(), qint64(8));
    const ToolOutcome run =
        runTool(m_gateway->gateway()->agent()->toolContext("main"), QStringLiteral("skill_exec"),
                {{"skill", "linked"}, {"script", "scripts/run.sh"}});
    QCOMPARE(run.content, QStringLiteral("skill not found: linked"));
    // A script that is a link out of its skill.
    writeFile(skills() + QStringLiteral("/real/SKILL.md"), "---\n---\n");
    QDir().mkpath(skills() + QStringLiteral("/real/scripts"));
    QVERIFY(QFile::link(outside + QStringLiteral("/victim/scripts/run.sh"),
                        skills() + QStringLiteral("/real/scripts/out.sh")));
    QCOMPARE(runTool(m_gateway->gateway()->agent()->toolContext("main"),
                     QStringLiteral("skill_exec"),
                     {{"skill", "real"}, {"script", "scripts/out.sh"}})
                 .content,
             QStringLiteral("script must be relative path inside skill directory"));
    // The skills folder itself a link: refused whole.
    QVERIFY(QDir(skills()).removeRecursively());
    QVERIFY(QFile::link(outside, skills()));
    QCOMPARE(http(m_gateway->port(), "DELETE", "/api/skills?id=victim", {}, auth()).status, 500);
    QCOMPARE(get("").status, 500);
    QVERIFY(QFile::exists(outside + QStringLiteral("/victim/SKILL.md")));
}

void TestSkills::clawhubInstall_data()
{
    QTest::addColumn<QByteArray>("script"); // the fake clawhub's body
    QTest::addColumn<bool>("force");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("contains");
    QTest::newRow("installed") << QByteArray("echo \"installing $2 in $PWD\"; mkdir -p skills/$2")
                               << false << 200 << "installing weather in";
    QTest::newRow("force") << QByteArray("echo \"args: $*\"") << true << 200
                           << "args: install weather --force";
    QTest::newRow("rate limited") << QByteArray("echo 'Error: Rate limit exceeded' >&2; exit 1")
                                  << false << 429
                                  << "clawhub rate limit exceeded. please retry later or "
                                     "configure auth token.\nError: Rate limit exceeded";
    QTest::newRow("failed") << QByteArray("echo 'no such skill'; exit 3") << false << 500
                            << "install failed: exit status 3\nno such skill";
}

// ClawHub is the real CLI's interface: a `clawhub` on PATH, run in the workspace.
void TestSkills::clawhubInstall()
{
    QFETCH(QByteArray, script);
    QFETCH(bool, force);
    QFETCH(int, status);
    QFETCH(QString, contains);
    const QString bin = m_gateway->dir() + QStringLiteral("/bin");
    writeFile(bin + QStringLiteral("/clawhub"), "#!/bin/sh\n" + script + "\n", true);
    qputenv("PATH", bin.toUtf8() + ':' + m_path);
    QCOMPARE(get("").json().value("clawhub_path").toString(), bin + QStringLiteral("/clawhub"));
    const HttpResult result =
        post({{"action", "install"}, {"name", "weather"}, {"ignore_suspicious", force}});
    QCOMPARE(result.status, status);
    const QString text =
        status == 200 ? result.json().value("output").toString() : QString::fromUtf8(result.body);
    QVERIFY2(text.contains(contains), qPrintable(text));
    if (QTest::currentDataTag() == QLatin1String("installed")) {
        QCOMPARE(result.json().value("installed").toString(), QStringLiteral("weather"));
        QVERIFY(QFileInfo(skills() + QStringLiteral("/weather")).isDir()); // ran in the workspace
    }
}

// The catalog of enabled skills (the workspace's over the config folder's) is in the system
// prompt, and it does not change between two turns.
void TestSkills::catalogInThePromptIsStable()
{
    writeFile(skills() + QStringLiteral("/github/SKILL.md"),
              "---\nname: github\ndescription: \"Use the <gh> CLI & friends\"\n---\n# GitHub\n\n"
              "---\ndescription: not the front matter\n---\n");
    writeFile(skills() + QStringLiteral("/old.disabled/SKILL.md"), "---\ndescription: gone\n---\n");
    writeFile(skills() + QStringLiteral("/no-skill-md/README.md"), "x");
    writeFile(m_gateway->dir() + QStringLiteral("/skills/github/SKILL.md"),
              "---\ndescription: shadowed\n---\n");
    writeFile(m_gateway->dir() + QStringLiteral("/skills/tmux/SKILL.md"),
              "---\n{\"name\": \"tmux\", \"description\": \"Drive tmux\"}\n---\n");
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("one")));
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("two")));
    for (const char *message : {"first", "second"})
        QCOMPARE(http(m_gateway->port(), "POST", "/api/chat",
                      QJsonDocument(QJsonObject{{"message", QLatin1String(message)}}).toJson(),
                      auth())
                     .status,
                 200);
    QCOMPARE(m_llm->requests().size(), 2);
    const auto systemOf = [this](int i) {
        return m_llm->requests()
            .at(i)
            .body.value("messages")
            .toArray()
            .first()
            .toObject()
            .value("content")
            .toString();
    };
    const QString prompt = systemOf(0);
    const QString expected =
        QStringLiteral("## Skills Catalog\n\n<skills>\n  <skill>\n    <name>github</name>\n"
                       "    <description>Use the &lt;gh&gt; CLI &amp; friends</description>\n"
                       "    <location>%1/github/SKILL.md</location>\n"
                       "    <source>workspace</source>\n  </skill>\n  <skill>\n"
                       "    <name>tmux</name>\n    <description>Drive tmux</description>\n"
                       "    <location>%2/skills/tmux/SKILL.md</location>\n"
                       "    <source>global</source>\n  </skill>\n</skills>")
            .arg(QDir(skills()).canonicalPath(), QDir(m_gateway->dir()).canonicalPath());
    QVERIFY2(prompt.contains(expected), qPrintable(prompt));
    QVERIFY(!prompt.contains(QLatin1String("gone")));
    QVERIFY(!prompt.contains(QLatin1String("shadowed")));
    // Byte for byte, up to the memory part (the first turn's daily note joins that).
    const auto beforeMemory = [](const QString &text) {
        return text.left(text.indexOf(QLatin1String("# Memory")));
    };
    QVERIFY(beforeMemory(prompt).contains(expected));
    QCOMPARE(beforeMemory(systemOf(1)), beforeMemory(prompt));

    // A skill added later is in the next turn's catalog (the cache watches the roots).
    writeFile(skills() + QStringLiteral("/zeta/SKILL.md"), "---\ndescription: Newly added\n---\n");
    m_llm->enqueue(FakeLlmReply::chatText(QStringLiteral("three")));
    QVERIFY(waitFor([&] {
        return http(m_gateway->port(), "POST", "/api/chat",
                    QJsonDocument(QJsonObject{{"message", "third"}}).toJson(), auth())
                       .status == 200 &&
               systemOf(int(m_llm->requests().size()) - 1).contains("Newly added");
    }));
}

void TestSkills::skillExecRunsScripts_data()
{
    QTest::addColumn<QJsonObject>("arguments");
    QTest::addColumn<bool>("error");
    QTest::addColumn<QString>("answer");
    QTest::newRow("shell script") << QJsonObject{{"skill", "tools"},
                                                 {"script", "scripts/hello.sh"},
                                                 {"args", QJsonArray{"there"}},
                                                 {"reason", "greeting"}}
                                  << false << "hello there from tools\nSTDERR:\nnote";
    QTest::newRow("python") << QJsonObject{{"skill", "tools"}, {"script", "scripts/sum.py"}}
                            << false << "3";
    QTest::newRow("silent") << QJsonObject{{"skill", "tools"}, {"script", "scripts/quiet.sh"}}
                            << false << "(no output)";
    QTest::newRow("fails") << QJsonObject{{"skill", "tools"}, {"script", "scripts/fail.sh"}} << true
                           << "skill execution failed: exit status 2\nbroken";
    QTest::newRow("missing fields")
        << QJsonObject{{"skill", "tools"}} << true << "skill and script are required";
    QTest::newRow("no such skill") << QJsonObject{{"skill", "nope"}, {"script", "scripts/a.sh"}}
                                   << true << "skill not found: nope";
    QTest::newRow("outside scripts/") << QJsonObject{{"skill", "tools"}, {"script", "SKILL.md"}}
                                      << true << "script must be under scripts/ directory";
    QTest::newRow("escaping") << QJsonObject{{"skill", "tools"}, {"script", "scripts/../../x.sh"}}
                              << true << "script must be relative path inside skill directory";
    QTest::newRow("escaping skill") << QJsonObject{{"skill", ".."}, {"script", "scripts/a.sh"}}
                                    << true << "skill not found: ..";
    QTest::newRow("other extension") << QJsonObject{{"skill", "tools"}, {"script", "scripts/x.rb"}}
                                     << true << "unsupported script extension: .rb";
}

// skill_exec: a skill's script with bash or python3 in the skill's folder, stdout then
// STDERR, failures as errors, and clawgo's checks in clawgo's words.
void TestSkills::skillExecRunsScripts()
{
    QFETCH(QJsonObject, arguments);
    QFETCH(bool, error);
    QFETCH(QString, answer);
    const QString tools = skills() + QStringLiteral("/tools");
    writeFile(tools + QStringLiteral("/SKILL.md"), "---\ndescription: helpers\n---\n");
    writeFile(tools + QStringLiteral("/scripts/hello.sh"),
              "echo \"hello $1 from $(basename \"$PWD\")\"; echo note >&2\n");
    writeFile(tools + QStringLiteral("/scripts/sum.py"), "print(1 + 2)\n");
    writeFile(tools + QStringLiteral("/scripts/quiet.sh"), "true\n");
    writeFile(tools + QStringLiteral("/scripts/fail.sh"), "echo broken; exit 2\n");
    writeFile(tools + QStringLiteral("/scripts/x.rb"), "puts 1\n");
    const ToolOutcome outcome =
        runTool(m_gateway->gateway()->agent()->toolContext(QStringLiteral("main")),
                QStringLiteral("skill_exec"), arguments);
    QCOMPARE(outcome.error, error);
    QCOMPARE(outcome.content, answer);
    if (QTest::currentDataTag() == QLatin1String("shell script")) {
        QFile audit(m_gateway->dir() + QStringLiteral("/workspace/memory/skill-audit.jsonl"));
        QVERIFY(audit.open(QIODevice::ReadOnly));
        const QJsonObject line = QJsonDocument::fromJson(audit.readLine()).object();
        QCOMPARE(line.value("skill").toString(), QStringLiteral("tools"));
        QCOMPARE(line.value("reason").toString(), QStringLiteral("greeting"));
    }
}

// check_updates=1 asks ClawHub about every skill (`clawhub search <name> --json`) and says
// what it found, or why it could not tell.
void TestSkills::clawhubUpdateCheck()
{
    for (const char *name : {"alpha", "bad", "gone"})
        QCOMPARE(post({{"action", "create"}, {"name", QLatin1String(name)}}).status, 200);
    const QString bin = m_gateway->dir() + QStringLiteral("/bin");
    writeFile(bin + QStringLiteral("/clawhub"),
              "#!/bin/sh\n"
              "[ \"$1\" = search ] && [ \"$3\" = --json ] || exit 9\n"
              "case \"$2\" in\n"
              "  bad) echo 'not json' ;;\n"
              "  gone) echo 'nothing' >&2; exit 2 ;;\n"
              "  *) echo \"{\\\"results\\\":[{\\\"name\\\":\\\"other\\\"},"
              "{\\\"name\\\":\\\"$2-tools\\\",\\\"latest_version\\\":\\\"1.4.0\\\"}]}\" ;;\n"
              "esac\n",
              true);
    QCOMPARE(get("?check_updates=1")
                 .json()
                 .value("skills")
                 .toArray()
                 .first()
                 .toObject()
                 .value("update_checked"),
             QJsonValue(false)); // no clawhub on PATH yet
    qputenv("PATH", bin.toUtf8() + ':' + m_path);
    const QJsonArray skills = get("?check_updates=1").json().value("skills").toArray();
    QHash<QString, QJsonObject> byName;
    for (const QJsonValue &skill : skills)
        byName.insert(skill.toObject().value("name").toString(), skill.toObject());
    QCOMPARE(byName["alpha"].value("update_checked").toBool(), true);
    QCOMPARE(byName["alpha"].value("remote_found").toBool(), true);
    QCOMPARE(byName["alpha"].value("remote_version").toString(), QStringLiteral("1.4.0"));
    QCOMPARE(byName["bad"].value("check_error").toString(),
             QStringLiteral("clawhub answered no JSON"));
    QCOMPARE(byName["gone"].value("check_error").toString(),
             QStringLiteral("clawhub exit status 2"));
}

void TestSkills::archiveImport_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("archive");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("answer"); // the error, or the imported names joined by ","
    const QByteArray skillMd = "---\ndescription: imported\n---\n";
    QTest::newRow("zip with two skills")
        << "pack.zip"
        << makeArchive("zip", {{"pack/", {}, 'd'},
                               {"pack/alpha/SKILL.md", skillMd},
                               {"pack/alpha/scripts/run.sh", "echo hi\n", 'f', 0755},
                               {"pack/beta/SKILL.md", skillMd}})
        << 200 << "alpha,beta";
    QTest::newRow("tar.gz, SKILL.md at the root")
        << "My Tool.tgz" << makeArchive("tgz", {{"SKILL.md", skillMd}, {"notes.txt", "x"}}) << 200
        << "my-tool";
    QTest::newRow("tar") << "one.tar" << makeArchive("tar", {{"gamma/SKILL.md", skillMd}}) << 200
                         << "gamma";
    QTest::newRow("links are ignored")
        << "links.tgz"
        << makeArchive("tgz", {{"delta/SKILL.md", skillMd}, {"delta/passwd", "/etc/passwd", 'l'}})
        << 200 << "delta";
    QTest::newRow("escaping entry")
        << "evil.zip" << makeArchive("zip", {{"../evil/SKILL.md", skillMd}}) << 400
        << "invalid archive entry path: ../evil/SKILL.md";
    QTest::newRow("escaping inside")
        << "evil.tar" << makeArchive("tar", {{"a/../../evil/SKILL.md", skillMd}}) << 400
        << "invalid archive entry path: a/../../evil/SKILL.md";
    QTest::newRow("absolute entry")
        << "abs.tar" << makeArchive("tar", {{"/tmp/abs/SKILL.md", skillMd}}) << 400
        << "invalid archive entry path: /tmp/abs/SKILL.md";
    QTest::newRow("no SKILL.md") << "empty.zip" << makeArchive("zip", {{"readme.txt", "x"}}) << 400
                                 << "no SKILL.md found in archive";
    QTest::newRow("wrong extension") << "skills.rar" << makeArchive("zip", {{"SKILL.md", skillMd}})
                                     << 400 << "unsupported archive format: skills.rar";
    QTest::newRow("corrupt") << "broken.zip" << QByteArray(4096, 'Z') << 400
                             << "the archive cannot be read";
    QTest::newRow("a bomb") << "bomb.zip"
                            << makeArchive("zip", {{"boom/SKILL.md", skillMd},
                                                   {"boom/zeros", QByteArray(64 << 20, '\0')}})
                            << 413 << "the archive unpacks to over 100 times its size";
    // A chain of nested skills must not multiply one big file when each skill is copied.
    QList<Entry> chain;
    QString folder;
    for (int i = 0; i < 40; ++i) {
        folder += QStringLiteral("n%1/").arg(i);
        chain.append({folder + QStringLiteral("SKILL.md"), skillMd});
    }
    QByteArray big(8 << 20, Qt::Uninitialized); // compresses about 4:1: no ratio alarm
    QRandomGenerator random(7);
    for (char &c : big)
        c = char('a' + random.bounded(4));
    chain.append({folder + QStringLiteral("big"), big});
    QTest::newRow("nested skills") << "chain.tgz" << makeArchive("tgz", chain) << 413
                                   << "the skills of the archive take more than 256 MiB";
    QList<Entry> many{{"many/SKILL.md", skillMd}};
    for (int i = 0; i < 10001; ++i)
        many.append({QStringLiteral("many/f%1").arg(i), {}});
    QTest::newRow("too many entries") << "many.tgz" << makeArchive("tgz", many) << 413
                                      << "the archive has more than 10000 entries";
}

// Archives through POST multipart: zip, tar and tar.gz; whatever would leave workspace/skills,
// a bomb, too many entries, a corrupt or unknown archive: refused, and nothing is left behind.
void TestSkills::archiveImport()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, archive);
    QFETCH(int, status);
    QFETCH(QString, answer);
    const QByteArray body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName.toUtf8() +
        "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + archive + "\r\n--XyZ--\r\n";
    const HttpResult result = http(m_gateway->port(), "POST", "/api/skills", body,
                                   {{"Authorization", "Bearer " + kToken},
                                    {"Content-Type", "multipart/form-data; boundary=XyZ"}});
    QCOMPARE(result.status, status);
    const QStringList present =
        QDir(skills()).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
    if (status == 200) {
        QStringList imported;
        for (const QJsonValue &name : result.json().value("imported").toArray())
            imported << name.toString();
        QCOMPARE(imported.join(QLatin1Char(',')), answer);
        QCOMPARE(present, imported); // and no staging folder left
        for (const QString &name : imported)
            QVERIFY(
                QFile::exists(skills() + QLatin1Char('/') + name + QStringLiteral("/SKILL.md")));
    } else {
        QVERIFY2(QString::fromUtf8(result.body).startsWith(answer), result.body.constData());
        QVERIFY2(present.isEmpty(), qPrintable(present.join(QLatin1Char(' '))));
    }
    if (QTest::currentDataTag() == QLatin1String("zip with two skills"))
        QVERIFY(QFileInfo(skills() + QStringLiteral("/alpha/scripts/run.sh")).isExecutable());
    if (QTest::currentDataTag() == QLatin1String("links are ignored"))
        QVERIFY(!QFileInfo::exists(skills() + QStringLiteral("/delta/passwd")));
    QVERIFY(!QFileInfo::exists(m_gateway->dir() + QStringLiteral("/workspace/evil")));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/abs/SKILL.md")));
}

// A name that is taken refuses the whole archive: its other skills are not imported either.
void TestSkills::archiveImportIsAllOrNothing()
{
    QCOMPARE(post({{"action", "create"}, {"name", "beta"}}).status, 200);
    QCOMPARE(post({{"action", "disable"}, {"name", "beta"}}).status, 200);
    const QByteArray archive =
        makeArchive("zip", {{"alpha/SKILL.md", "---\n---\n"}, {"beta/SKILL.md", "---\n---\n"}});
    const QByteArray body =
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"two.zip\"\r\n\r\n" +
        archive + "\r\n--B--\r\n";
    const HttpResult result = http(m_gateway->port(), "POST", "/api/skills", body,
                                   {{"Authorization", "Bearer " + kToken},
                                    {"Content-Type", "multipart/form-data; boundary=B"}});
    QCOMPARE(result.status, 400);
    QCOMPARE(result.body, QByteArray("disabled skill already exists: beta\n"));
    QCOMPARE(QDir(skills()).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{"beta.disabled"});
}

void TestSkills::mcpInstall_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<bool>("onPath"); // the fake installers are on PATH
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("answer"); // the output, or the error body
    QTest::newRow("uv") << QJsonObject{{"package", "mcp-server-time"}} << true << 200
                        << "uv: tool install mcp-server-time\ninstalled mcp-server-time via uv\n"
                           "resolved binary: {bin}/mcp-server-time";
    QTest::newRow("bun, scoped") << QJsonObject{{"package", "@acme/foo-mcp"}, {"installer", "Bun"}}
                                 << true << 200
                                 << "bun: add -g @acme/foo-mcp\ninstalled @acme/foo-mcp via bun\n"
                                    "resolved binary: {bin}/foo-mcp";
    QTest::newRow("no binary") << QJsonObject{{"package", "ghost"}} << true << 500
                               << "uv: tool install ghost\ninstalled ghost but binary \"ghost\" "
                                  "not found in PATH";
    QTest::newRow("failed") << QJsonObject{{"package", "broken"}} << true << 500
                            << "uv: tool install broken\nerror: no such package\nexit status 1";
    QTest::newRow("no uv") << QJsonObject{{"package", "x"}} << false << 500
                           << "uv is not installed; install uv first to auto-install x";
    QTest::newRow("other installer") << QJsonObject{{"package", "x"}, {"installer", "pip"}} << true
                                     << 500 << "unsupported installer: pip";
    QTest::newRow("no package") << QJsonObject{{"installer", "uv"}} << true << 400
                                << "package required";
    QTest::newRow("an option") << QJsonObject{{"package", "--help"}} << true << 400
                               << "invalid package name";
    QTest::newRow("shell words") << QJsonObject{{"package", "x; rm -rf ~"}} << true << 400
                                 << "invalid package name";
}

// POST /api/mcp/install runs uv or bun (fakes here), then finds the installed binary.
void TestSkills::mcpInstall()
{
    QFETCH(QJsonObject, body);
    QFETCH(bool, onPath);
    QFETCH(int, status);
    QFETCH(QString, answer);
    const QString bin = m_gateway->dir() + QStringLiteral("/bin");
    // Each fake says what it was asked, and "installs" a binary named after the package's last
    // part unless the package is ghost or broken.
    const QByteArray fake =
        "#!/bin/sh\n"
        "echo \"$(basename \"$0\"): $*\"\n"
        "for pkg; do :; done\n"
        "[ \"$pkg\" = broken ] && { echo 'error: no such package' >&2; exit 1; }\n"
        "[ \"$pkg\" = ghost ] && exit 0\n"
        "name=${pkg##*/}; name=${name#@}\n"
        "printf '#!/bin/sh\\n' > \"$(dirname \"$0\")/$name\"\n"
        "chmod +x \"$(dirname \"$0\")/$name\"\n";
    writeFile(bin + QStringLiteral("/uv"), fake, true);
    writeFile(bin + QStringLiteral("/bun"), fake, true);
    if (onPath)
        qputenv("PATH", bin.toUtf8() + ':' + m_path);
    const HttpResult result = http(m_gateway->port(), "POST", "/api/mcp/install",
                                   QJsonDocument(body).toJson(QJsonDocument::Compact), auth());
    QCOMPARE(result.status, status);
    answer.replace(QLatin1String("{bin}"), bin);
    if (status == 200) {
        QCOMPARE(result.json().value("output").toString(), answer);
        QCOMPARE(result.json().value("package").toString(), body.value("package").toString());
        QCOMPARE(result.json().value("bin_path").toString(),
                 bin + QLatin1Char('/') + result.json().value("bin_name").toString());
    } else {
        QCOMPARE(QString::fromUtf8(result.body).trimmed(), answer);
    }
}

void TestSkills::installSpecs_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("package");
    QTest::addColumn<QString>("expectedPackage");
    QTest::addColumn<QString>("installer");
    QTest::addColumn<bool>("autoInstall");
    QTest::newRow("configured package") << "uvx" << QStringList{"x"} << "pkg"
                                        << "pkg"
                                        << "" << false;
    QTest::newRow("npx") << "npx" << QStringList{"-y", "@modelcontextprotocol/server-everything"}
                         << ""
                         << "@modelcontextprotocol/server-everything"
                         << "" << false;
    QTest::newRow("uvx") << "/usr/bin/uvx" << QStringList{"mcp-server-time"} << ""
                         << "mcp-server-time"
                         << "uv" << true;
    QTest::newRow("uvx without package") << "uvx" << QStringList{"--offline"} << ""
                                         << ""
                                         << "uv" << false;
    QTest::newRow("bunx") << "bunx" << QStringList{"some-mcp"} << ""
                          << "some-mcp"
                          << "bun" << true;
    QTest::newRow("python -m") << "python3" << QStringList{"-m", "mcp_server_fetch"} << ""
                               << "mcp_server_fetch"
                               << "pip" << false;
    QTest::newRow("anything else") << "node" << QStringList{"server.js"} << ""
                                   << ""
                                   << "" << false;
}

// How a server's command could be installed, inferred as §8.3 says.
void TestSkills::installSpecs()
{
    QFETCH(QString, command);
    QFETCH(QStringList, args);
    QFETCH(QString, package);
    QFETCH(QString, expectedPackage);
    QFETCH(QString, installer);
    QFETCH(bool, autoInstall);
    const ToolsApi::InstallSpec spec = ToolsApi::inferInstall(command, args, package);
    QCOMPARE(spec.package, expectedPackage);
    QCOMPARE(spec.installer, installer);
    QCOMPARE(spec.autoInstall, autoInstall);
}

// GET /api/tools: the seed's shape (no "ok"), the catalog a turn gets, and one check per
// configured MCP server.
void TestSkills::toolsCatalogAndServerChecks()
{
    QJsonObject config = m_gateway->gateway()->configStore()->savedConfig();
    JsonUtil::setValueAt(
        config, QStringLiteral("tools.mcp.servers"),
        QJsonObject{{"off", QJsonObject{{"enabled", false}, {"command", "x"}}},
                    {"remote", QJsonObject{{"enabled", true},
                                           {"transport", "HTTP"},
                                           {"url", "http://127.0.0.1:1/mcp"}}},
                    {"gone", QJsonObject{{"enabled", true}, {"command", "/nope/server"}}},
                    {"time", QJsonObject{{"enabled", true},
                                         {"command", "uvx-not-here"},
                                         {"args", QJsonArray{"mcp-server-time"}},
                                         {"package", ""}}},
                    {"shell", QJsonObject{{"enabled", true}, {"command", "sh"}}},
                    {"blank", QJsonObject{{"enabled", true}, {"command", " "}}}});
    QCOMPARE(
        saveAndWait(*m_gateway->gateway()->configStore(), config, QStringLiteral("test")).status,
        ConfigStore::SaveResult::Ok);
    const QJsonObject answer = http(m_gateway->port(), "GET", "/api/tools", {}, auth()).json();
    QVERIFY(!answer.contains("ok"));
    QStringList names;
    for (const QJsonValue &tool : answer.value("tools").toArray())
        names << tool.toObject().value("name").toString();
    QStringList sorted = names;
    sorted.sort();
    QCOMPARE(names, sorted);
    for (const char *expected : {"cron", "exec", "read_file", "remind", "skill_exec"})
        QVERIFY2(names.contains(QLatin1String(expected)), expected);
    const QJsonObject skillExec =
        answer.value("tools").toArray().at(names.indexOf("skill_exec")).toObject();
    QCOMPARE(skillExec.value("source").toString(), QStringLiteral("local"));
    QCOMPARE(skillExec.value("visibility").toObject(),
             (QJsonObject{{"main_agent", true}, {"subagent", "inherited"}}));
    QVERIFY(skillExec.value("parameters").toObject().contains("properties"));
    QCOMPARE(answer.value("mcp_tools").toArray(), QJsonArray());

    QHash<QString, QJsonObject> checks;
    QStringList order;
    for (const QJsonValue &check : answer.value("mcp_server_checks").toArray()) {
        checks.insert(check.toObject().value("name").toString(), check.toObject());
        order << check.toObject().value("name").toString();
    }
    QCOMPARE(order, (QStringList{"blank", "gone", "off", "remote", "shell", "time"}));
    QCOMPARE(checks["off"].value("status").toString(), QStringLiteral("disabled"));
    QCOMPARE(checks["off"].value("message").toString(), QStringLiteral("server is disabled"));
    QCOMPARE(checks["remote"].value("status").toString(), QStringLiteral("not_applicable"));
    QCOMPARE(checks["remote"].value("transport").toString(), QStringLiteral("http"));
    QCOMPARE(checks["gone"].value("message").toString(),
             QStringLiteral("command not found: /nope/server"));
    QCOMPARE(checks["gone"].value("missing_command").toBool(), true);
    QCOMPARE(checks["time"].value("message").toString(),
             QStringLiteral("command not found in PATH: uvx-not-here"));
    QCOMPARE(checks["time"].value("installable").toBool(), false); // not uvx itself
    QCOMPARE(checks["shell"].value("status").toString(), QStringLiteral("ok"));
    QVERIFY(QFileInfo(checks["shell"].value("resolved").toString()).isFile());
    QCOMPARE(checks["blank"].value("status").toString(), QStringLiteral("missing_command"));
    QCOMPARE(checks["blank"].value("message").toString(), QStringLiteral("command is empty"));
    QCOMPARE(checks["blank"].value("missing_command").toBool(), false);
}

QTEST_GUILESS_MAIN(TestSkills)
#include "tst_skills.moc"
