#include "appicons.h"

#include <QHash>
#include <QPainter>

static void initIcons()
{
    // The SVGs are a resource of this static library: register it by hand.
    Q_INIT_RESOURCE(icons);
}

namespace AppIcons {

QIcon application()
{
    initIcons();
    return QIcon(QStringLiteral(":/icons/clawgo-desktop.svg"));
}

QIcon tray(bool ok)
{
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap = application().pixmap(size, size);
        if (!ok) {
            QPainter painter(&pixmap);
            painter.setRenderHint(QPainter::Antialiasing);
            const qreal mark = size * 0.5;
            const QRectF corner(size - mark, size - mark, mark, mark);
            painter.setPen(QPen(Qt::white, qMax<qreal>(1, size / 16.0)));
            painter.setBrush(QColor(0xc6, 0x28, 0x28));
            painter.drawEllipse(corner.adjusted(0.5, 0.5, -0.5, -0.5));
        }
        icon.addPixmap(pixmap);
    }
    return icon;
}

QIcon page(const QString &name)
{
    initIcons();
    static const QHash<QString, QString> themeNames{
        {QStringLiteral("chat"), QStringLiteral("mail-message")},
        {QStringLiteral("weixin"), QStringLiteral("network-wireless")},
        {QStringLiteral("config"), QStringLiteral("preferences-system")},
        {QStringLiteral("logs"), QStringLiteral("text-x-generic")},
        {QStringLiteral("status"), QStringLiteral("utilities-system-monitor")},
        {QStringLiteral("providers"), QStringLiteral("network-server")},
        {QStringLiteral("cron"), QStringLiteral("x-office-calendar")},
    };
    return QIcon::fromTheme(themeNames.value(name),
                            QIcon(QStringLiteral(":/icons/%1.svg").arg(name)));
}

} // namespace AppIcons
