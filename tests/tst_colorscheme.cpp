// The window follows the desktop's light/dark preference: a fake XDG desktop portal on a private
// session bus answers org.freedesktop.portal.Settings.Read and emits SettingChanged, as GNOME's
// and KDE's portals do.

#include "colorscheme.h"
#include "testsupport.h"

#include <QApplication>
#include <QDBusAbstractAdaptor>
#include <QDBusConnection>
#include <QDBusVariant>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {

// The portal's Settings interface, with a color-scheme the test sets.
class FakePortalSettings : public QDBusAbstractAdaptor
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.portal.Settings")

public:
    explicit FakePortalSettings(QObject *parent) : QDBusAbstractAdaptor(parent) {}
    uint scheme = 0;
    int reads = 0;

public Q_SLOTS:
    QDBusVariant Read(const QString &group, const QString &key)
    {
        ++reads;
        if (group == QLatin1String("org.freedesktop.appearance") &&
            key == QLatin1String("color-scheme"))
            // As the portal does: the value wrapped in one more variant.
            return QDBusVariant(QVariant::fromValue(QDBusVariant(QVariant::fromValue(scheme))));
        return QDBusVariant(QVariant());
    }

Q_SIGNALS:
    void SettingChanged(const QString &group, const QString &key, const QDBusVariant &value);
};

bool windowIsDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

} // namespace

class TestColorScheme : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void followsThePortal_data();
    void followsThePortal();
    void withoutAPortalNothingChanges();

private:
    QTemporaryDir m_dir;
    PrivateSessionBus m_bus;
    QObject m_portalObject;
    FakePortalSettings *m_portal = nullptr;
    QPalette m_light;
};

void TestColorScheme::initTestCase()
{
    QString error;
    QVERIFY2(m_bus.start(m_dir.path(), &error), qPrintable(error));
    m_light = QApplication::palette();
    QVERIFY(!windowIsDark());
    m_portal = new FakePortalSettings(&m_portalObject);
    QDBusConnection portalBus =
        QDBusConnection::connectToBus(QString::fromUtf8(m_bus.address()), QStringLiteral("portal"));
    QVERIFY(portalBus.registerObject(QStringLiteral("/org/freedesktop/portal/desktop"),
                                     &m_portalObject));
    QVERIFY(portalBus.registerService(QStringLiteral("org.freedesktop.portal.Desktop")));
}

void TestColorScheme::followsThePortal_data()
{
    QTest::addColumn<uint>("atStart");
    QTest::addColumn<QList<uint>>("changes");
    QTest::addColumn<QList<bool>>("darkAfter");
    QTest::newRow("dark at start, then light, then dark")
        << 1u << QList<uint>{2, 1} << QList<bool>{true, false, true};
    QTest::newRow("no preference, then dark, then none")
        << 0u << QList<uint>{1, 0} << QList<bool>{false, true, false};
    QTest::newRow("light stays light") << 2u << QList<uint>{2} << QList<bool>{false, false};
}

void TestColorScheme::followsThePortal()
{
    QFETCH(uint, atStart);
    QFETCH(QList<uint>, changes);
    QFETCH(QList<bool>, darkAfter);
    QApplication::setPalette(m_light);
    m_portal->scheme = atStart;
    const int readsBefore = m_portal->reads;
    ColorScheme scheme;
    QPushButton button(QStringLiteral("a control"));
    button.show();
    QVERIFY(waitFor([&] { return m_portal->reads > readsBefore; }));
    QVERIFY(waitFor([&] { return windowIsDark() == darkAfter.first(); }));
    QCOMPARE(scheme.darkApplied(), darkAfter.first());
    // The bus installs the signal match on its own schedule: repeat the current value until it
    // arrives, so the changes below are not emitted into the void.
    QSignalSpy heard(&scheme, &ColorScheme::changed);
    QVERIFY(waitFor(
        [&] {
            Q_EMIT m_portal->SettingChanged(QStringLiteral("org.freedesktop.appearance"),
                                            QStringLiteral("color-scheme"),
                                            QDBusVariant(QVariant::fromValue(atStart)));
            return heard.wait(50);
        },
        3000));
    QCOMPARE(windowIsDark(), darkAfter.first());
    for (qsizetype i = 0; i < changes.size(); ++i) {
        m_portal->scheme = changes.at(i);
        Q_EMIT m_portal->SettingChanged(QStringLiteral("org.freedesktop.appearance"),
                                        QStringLiteral("color-scheme"),
                                        QDBusVariant(QVariant::fromValue(changes.at(i))));
        QVERIFY2(waitFor([&] { return windowIsDark() == darkAfter.at(i + 1); }),
                 qPrintable(QStringLiteral("after change %1: preference %2, dark applied %3")
                                .arg(i)
                                .arg(int(scheme.preference()))
                                .arg(scheme.darkApplied())));
        // Controls pick the palette up, not only the application object.
        QCOMPARE(button.palette().color(QPalette::Button).lightness() < 128, darkAfter.at(i + 1));
    }
    // Other settings of the portal change nothing.
    const bool before = windowIsDark();
    Q_EMIT m_portal->SettingChanged(QStringLiteral("org.gnome.desktop.interface"),
                                    QStringLiteral("color-scheme"),
                                    QDBusVariant(QVariant::fromValue(uint(before ? 2 : 1))));
    QTest::qWait(100);
    QCOMPARE(windowIsDark(), before);
}

void TestColorScheme::withoutAPortalNothingChanges()
{
    QApplication::setPalette(m_light);
    QDBusConnection portalBus(QStringLiteral("portal"));
    QVERIFY(portalBus.unregisterService(QStringLiteral("org.freedesktop.portal.Desktop")));
    ColorScheme scheme;
    QTest::qWait(300);
    QVERIFY(!windowIsDark());
    QCOMPARE(scheme.preference(), ColorScheme::Preference::None);
}

QTEST_MAIN(TestColorScheme)
#include "tst_colorscheme.moc"
