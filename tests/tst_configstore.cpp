#include "core/configdefaults.h"
#include "core/configstore.h"
#include "core/configvalidator.h"
#include "core/jsonutil.h"
#include "core/secretredactor.h"
#include "testsupport.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QTest>

class TestConfigStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstRunCreatesPrivateFileWithToken();
};

void TestConfigStore::firstRunCreatesPrivateFileWithToken()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state/config.json"));
    ConfigStore store(path);
    QString error;
    QVERIFY2(store.load(&error), qPrintable(error));
    QVERIFY(store.createdOnLoad());
    QCOMPARE(fileMode(path), 0600);
    QCOMPARE(fileMode(dir.filePath(QStringLiteral("state"))), 0700);
    const QString token = JsonUtil::valueAt(store.effective(), QStringLiteral("gateway.token")).toString();
    QVERIFY(QRegularExpression(QStringLiteral("^cg_[0-9a-f]{32}$")).match(token).hasMatch());
    // A second load reads the same token: it is generated once, never per load.
    ConfigStore again(path);
    QVERIFY(again.load(&error));
    QVERIFY(!again.createdOnLoad());
    QCOMPARE(JsonUtil::valueAt(again.effective(), QStringLiteral("gateway.token")).toString(), token);
}

QTEST_GUILESS_MAIN(TestConfigStore)
#include "tst_configstore.moc"
