#include "aboutdialog.h"

#include "appicons.h"
#include "gatewayhost.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QUrl>
#include <QVBoxLayout>

AboutDialog::AboutDialog(GatewayHost *host, QWidget *parent)
    : QDialog(parent), m_text(new QLabel(this))
{
    setWindowTitle(tr("About ClawGo Desktop"));
    auto *layout = new QVBoxLayout(this);
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    auto *row = new QHBoxLayout();
    auto *icon = new QLabel(this);
    icon->setPixmap(AppIcons::application().pixmap(64, 64));
    icon->setAccessibleName(tr("ClawGo Desktop icon"));
    row->addWidget(icon, 0, Qt::AlignTop);
    m_text->setTextFormat(Qt::RichText);
    m_text->setOpenExternalLinks(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    row->addWidget(m_text, 1);
    layout->addLayout(row);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    const auto folderLink = [](const QString &folder) {
        return QStringLiteral("<a href=\"%1\">%2</a>")
            .arg(QUrl::fromLocalFile(folder).toString().toHtmlEscaped(), folder.toHtmlEscaped());
    };
    const QString configFolder = QFileInfo(host->configPath()).absolutePath();
    const auto show = [this, folderLink, configFolder](const QString &logFolder) {
        m_text->setText(
            tr("<h3>ClawGo Desktop %1</h3>"
               "<p>A desktop home for the clawgo agent gateway: its API, chat, Weixin, config "
               "and logs in one program.</p>"
               "<p>Config folder: %2<br>Log folder: %3</p>"
               "<p>Built with Qt %4.</p>"
               "<p>© 2026 The ClawGo Desktop developers. Released under the MIT License.</p>")
                .arg(QStringLiteral(CLAWGO_VERSION), folderLink(configFolder),
                     logFolder.isEmpty() ? tr("(logging is off)") : folderLink(logFolder),
                     QString::fromLatin1(qVersion())));
    };
    show(QString());
    host->call(
        this,
        [](Gateway &gateway) {
            const QString file = gateway.logFilePath();
            return file.isEmpty() ? QString() : QFileInfo(file).absolutePath();
        },
        show);
}

QString AboutDialog::text() const
{
    return m_text->text();
}
