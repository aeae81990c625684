#include "autostart.h"

#include "core/atomicfile.h"
#include "core/background.h"
#include "core/logcategories.h"
#include "core/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace {

// Desktop Entry Exec quoting: an argument with a space or a reserved character is put in double
// quotes, with ", `, $ and \ escaped inside.
QString quoted(const QString &argument)
{
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    bool plain = !argument.isEmpty();
    for (const QChar c : argument)
        plain = plain && !reserved.contains(c);
    if (plain)
        return argument;
    QString escaped;
    for (const QChar c : argument) {
        if (c == QLatin1Char('"') || c == QLatin1Char('`') || c == QLatin1Char('$') ||
            c == QLatin1Char('\\'))
            escaped += QStringLiteral("\\\\");
        escaped += c;
    }
    return QLatin1Char('"') + escaped + QLatin1Char('"');
}

} // namespace

namespace Autostart {

QString entryPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
           QStringLiteral("/autostart/clawgo-desktop.desktop");
}

QString entryText(const QString &binary, const QString &configPath, const QString &defaultConfig)
{
    QString exec = quoted(binary) + QStringLiteral(" --minimized");
    if (QDir::cleanPath(configPath) != QDir::cleanPath(defaultConfig))
        exec += QStringLiteral(" --config ") + quoted(configPath);
    return QStringLiteral("[Desktop Entry]\n"
                          "Type=Application\n"
                          "Name=ClawGo Desktop\n"
                          "Comment=Personal AI agent gateway, started in the tray at login\n"
                          "Exec=%1\n"
                          "Icon=clawgo-desktop\n"
                          "Terminal=false\n"
                          "X-GNOME-Autostart-enabled=true\n")
        .arg(exec);
}

void apply(bool enabled, const QString &configPath)
{
    const QString path = entryPath();
    const QString text = enabled ? entryText(QCoreApplication::applicationFilePath(), configPath,
                                             Paths::resolveConfigPath(QString()))
                                 : QString();
    // In the order asked: a quick on-then-off must end with no entry.
    static Background::SerialQueue queue;
    queue.post([path, enabled, text] {
        if (!enabled) {
            if (QFile::exists(path) && QFile::remove(path))
                qCInfo(lcApp).noquote() << "start at login: removed the autostart entry";
            return;
        }
        QString error;
        QDir().mkpath(QFileInfo(path).absolutePath());
        if (!AtomicFile::write(path, text.toUtf8(), &error))
            qCWarning(lcApp).noquote()
                << "start at login: cannot write the autostart entry:" << error;
        else
            qCInfo(lcApp).noquote() << "start at login: autostart entry written";
    });
}

} // namespace Autostart
