#pragma once

#include <QObject>
#include <QPalette>

class QDBusVariant;

// Follows the desktop's light/dark preference (the XDG desktop portal's
// org.freedesktop.appearance color-scheme, which GNOME and KDE both publish): a dark palette
// while the desktop prefers dark, the platform's own palette otherwise, switching live when the
// setting changes. Asks over D-Bus without blocking; without a portal it changes nothing. A
// platform theme that is dark already (KDE's) is left alone.
class ColorScheme : public QObject
{
    Q_OBJECT

public:
    enum class Preference
    {
        None = 0,
        Dark = 1,
        Light = 2,
    };

    explicit ColorScheme(QObject *parent = nullptr);
    Preference preference() const { return m_preference; }
    bool darkApplied() const { return m_darkApplied; }

    static QPalette darkPalette();

Q_SIGNALS:
    void changed();

private Q_SLOTS:
    void onSettingChanged(const QString &group, const QString &key, const QDBusVariant &value);

private:
    void apply(Preference preference);

    QPalette m_platform; // the palette before we changed anything
    Preference m_preference = Preference::None;
    bool m_darkApplied = false;
};
