// LogHub and LogRedactor: JSON lines, redaction, size rotation, the ring buffer.

#include "core/clock.h"
#include "core/logcategories.h"
#include "core/loghub.h"
#include "core/logredactor.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonDocument>
#include <QTest>

class TestLogging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void redaction_data();
    void redaction();
    void writesJsonLinesWithFields();
    void rotatesBySize();
    void ringBufferIdsIncrease();
    void rotatedFilesAreBoundedByCountAndSize();
    void ringBufferIsBoundedByBytes();
    void flushPutsEveryQueuedLineOnDisk();
};

void TestLogging::initTestCase()
{
    LogHub::install();
}

void TestLogging::redaction_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("output");
    QTest::newRow("bearer") << "Authorization: Bearer cg_0123456789abcdef0123456789abcdef"
                            << "Authorization: Bearer [REDACTED]";
    QTest::newRow("bearer any") << "sent Bearer abc.def-ghi to upstream"
                                << "sent Bearer [REDACTED] to upstream";
    QTest::newRow("openai key") << "key sk-proj-AbCdEf0123456789 rejected"
                                << "key sk-[REDACTED] rejected";
    QTest::newRow("gateway token") << "token cg_0123456789abcdef0123456789abcdef"
                                   << "token cg_[REDACTED]";
    QTest::newRow("query token") << "GET /api/events/live?token=hunter2&x=1"
                                 << "GET /api/events/live?token=[REDACTED]&x=1";
    QTest::newRow("query token last") << "ws://h/api/logs/live?a=1&token=hunter2"
                                      << "ws://h/api/logs/live?a=1&token=[REDACTED]";
    QTest::newRow("known secret") << "webhook failed for my-very-secret-value"
                                  << "webhook failed for [REDACTED]";
    QTest::newRow("plain text untouched") << "gateway listening on http://127.0.0.1:18790"
                                          << "gateway listening on http://127.0.0.1:18790";
}

void TestLogging::redaction()
{
    QFETCH(QString, input);
    QFETCH(QString, output);
    LogRedactor redactor;
    redactor.setKnownSecrets({QStringLiteral("my-very-secret-value")});
    QCOMPARE(redactor.redact(input), output);
}

static QList<QJsonObject> readJsonLines(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    QList<QJsonObject> lines;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

void TestLogging::writesJsonLinesWithFields()
{
    QTemporaryDir dir;
    LogHub::FileSettings settings;
    settings.path = dir.filePath(QStringLiteral("logs/clawgo.log"));
    LogHub::instance()->configureFile(settings);
    LogHub::instance()->redactor().setKnownSecrets({QStringLiteral("provider-key-123")});
    qCInfo(lcConfig) << "hello with ?token=abc";
    LogHub::write(lcHttp(), QtWarningMsg, QStringLiteral("upstream refused"),
                  QJsonObject{{"status", 401}, {"key", "provider-key-123"}});
    LogHub::instance()->configureFile(LogHub::FileSettings{false, QString(), 1, 1});
    const QList<QJsonObject> lines = readJsonLines(settings.path);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0).value("level").toString(), QStringLiteral("INFO"));
    QCOMPARE(lines.at(0).value("component").toString(), QStringLiteral("config"));
    QCOMPARE(lines.at(0).value("msg").toString(), QStringLiteral("hello with ?token=[REDACTED]"));
    QVERIFY(
        QDateTime::fromString(lines.at(0).value("time").toString(), Qt::ISODateWithMs).isValid());
    QCOMPARE(lines.at(1).value("level").toString(), QStringLiteral("WARN"));
    QCOMPARE(lines.at(1).value("fields").toObject().value("status").toInt(), 401);
    QCOMPARE(lines.at(1).value("fields").toObject().value("key").toString(),
             QStringLiteral("[REDACTED]"));
    QCOMPARE(fileMode(settings.path), 0600);
}

void TestLogging::rotatesBySize()
{
    QTemporaryDir dir;
    LogHub::FileSettings settings;
    settings.path = dir.filePath(QStringLiteral("clawgo.log"));
    settings.maxBytes = 1000;
    LogHub::instance()->configureFile(settings);
    qint64 now = QDateTime(QDate(2026, 5, 10), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
    Clock::setNowFunction([&now] { return now; });
    for (int i = 0; i < 30; ++i) {
        now += 1000; // distinct rotation stamps
        qCInfo(lcApp) << "line" << i << QByteArray(40, 'x');
    }
    Clock::setNowFunction(nullptr);
    LogHub::instance()->configureFile(LogHub::FileSettings{false, QString(), 1, 1});
    const QStringList rotated =
        QDir(dir.path()).entryList({QStringLiteral("clawgo.log.*")}, QDir::Files);
    QVERIFY2(rotated.size() >= 2, qPrintable(rotated.join(QLatin1Char(' '))));
    QVERIFY(rotated.first().startsWith(QLatin1String("clawgo.log.20260510-12")));
    QVERIFY(QFileInfo(settings.path).size() <= 1000);
    // Nothing lost: every line is in one of the files.
    int total = readJsonLines(settings.path).size();
    for (const QString &name : rotated)
        total += readJsonLines(dir.filePath(name)).size();
    QCOMPARE(total, 30);
}

void TestLogging::ringBufferIdsIncrease()
{
    const qint64 before = LogHub::instance()->entriesAfter(0).isEmpty()
                              ? 0
                              : LogHub::instance()->entriesAfter(0).last().id;
    qCInfo(lcApp) << "first";
    qCWarning(lcApp) << "second";
    const QList<LogEntry> entries = LogHub::instance()->entriesAfter(before);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).message, QStringLiteral("first"));
    QCOMPARE(entries.at(1).level, QStringLiteral("WARN"));
    QVERIFY(entries.at(1).id == entries.at(0).id + 1);
}

// A flood of lines must not fill the disk with rotated files: count and total size bound them,
// not only their age.
void TestLogging::rotatedFilesAreBoundedByCountAndSize()
{
    QTemporaryDir dir;
    LogHub::FileSettings settings;
    settings.path = dir.filePath(QStringLiteral("clawgo.log"));
    settings.maxBytes = 2000;
    settings.maxRotatedFiles = 4;
    settings.maxRotatedBytes = 6000;
    LogHub::instance()->configureFile(settings);
    qint64 now = QDateTime(QDate(2026, 5, 10), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
    Clock::setNowFunction([&now] { return now; });
    for (int i = 0; i < 400; ++i) {
        now += 1000;
        qCInfo(lcApp) << "flood" << i << QByteArray(60, 'x');
    }
    Clock::setNowFunction(nullptr);
    LogHub::instance()->configureFile(LogHub::FileSettings{false, QString(), 1, 1});
    const QFileInfoList rotated =
        QDir(dir.path()).entryInfoList({QStringLiteral("clawgo.log.*")}, QDir::Files);
    QVERIFY(!rotated.isEmpty());
    QVERIFY2(rotated.size() <= 4, qPrintable(QString::number(rotated.size())));
    qint64 total = 0;
    for (const QFileInfo &file : rotated)
        total += file.size();
    QVERIFY(total <= 6000);
    // The newest lines are the ones kept.
    QVERIFY(readJsonLines(settings.path)
                .last()
                .value("msg")
                .toString()
                .contains(QLatin1String("flood 399")));
}

void TestLogging::ringBufferIsBoundedByBytes()
{
    LogHub::instance()->setRingCapacity(5000, 64 * 1024);
    for (int i = 0; i < 200; ++i)
        qCInfo(lcApp) << QString(2000, QLatin1Char('r'));
    qint64 bytes = 0;
    const QList<LogEntry> entries = LogHub::instance()->entriesAfter(0);
    for (const LogEntry &entry : entries)
        bytes += entry.message.size() * 2;
    QVERIFY2(bytes <= 64 * 1024, qPrintable(QString::number(bytes)));
    QVERIFY(entries.size() < 200);
    LogHub::instance()->setRingCapacity(5000);
}

// The file is written by its own thread, in batches: after flush() every line logged so far is
// in it, in order.
void TestLogging::flushPutsEveryQueuedLineOnDisk()
{
    QTemporaryDir dir;
    LogHub::FileSettings settings;
    settings.path = dir.filePath(QStringLiteral("clawgo.log"));
    LogHub::instance()->configureFile(settings);
    for (int i = 0; i < 2000; ++i)
        qCInfo(lcApp) << "line" << i;
    LogHub::instance()->flush();
    const QList<QJsonObject> lines = readJsonLines(settings.path);
    QCOMPARE(lines.size(), 2000);
    QCOMPARE(lines.last().value("msg").toString(), QStringLiteral("line 1999"));
    LogHub::instance()->configureFile(LogHub::FileSettings{false, QString(), 1, 1});
}

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"
