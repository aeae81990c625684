#include "configpage.h"

#include "configschema.h"
#include "core/configkeys.h"
#include "core/jsonutil.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>
#include <climits>

ConfigPage::ConfigPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_tabs(new QTabWidget(this)), m_raw(new QPlainTextEdit(this)),
      m_status(new QLabel(this)),
      m_banner(new QLabel(tr("The config file was changed outside this window."), this)),
      m_reloadBanner(new QPushButton(tr("Reload"), this))
{
    auto *layout = new QVBoxLayout(this);
    auto *bannerRow = new QHBoxLayout();
    m_banner->setStyleSheet(QStringLiteral("color: #8a6d00;"));
    bannerRow->addWidget(m_banner, 1);
    bannerRow->addWidget(m_reloadBanner);
    layout->addLayout(bannerRow);
    m_banner->hide();
    m_reloadBanner->hide();

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto *formHost = new QWidget(scroll);
    auto *formLayout = new QVBoxLayout(formHost);
    QHash<QString, QFormLayout *> groups;
    int index = 0;
    for (const ConfigField &field : configFields()) {
        const QString section = QString::fromLatin1(field.section);
        if (!groups.contains(section)) {
            auto *box = new QGroupBox(tr(field.section), formHost);
            groups.insert(section, new QFormLayout(box));
            formLayout->addWidget(box);
        }
        QWidget *editor = nullptr;
        const ConfigKey &key = field.key();
        switch (field.kind()) {
        case ConfigField::Kind::Text:
            editor = new QLineEdit(formHost);
            break;
        case ConfigField::Kind::Secret: {
            auto *line = new QLineEdit(formHost);
            line->setEchoMode(QLineEdit::PasswordEchoOnEdit);
            editor = line;
            break;
        }
        case ConfigField::Kind::Integer: {
            auto *spin = new QSpinBox(formHost);
            spin->setRange(key.hasRange() ? int(qMax<double>(key.minimum, INT_MIN)) : 0,
                           key.hasRange() ? int(qMin<double>(key.maximum, INT_MAX)) : INT_MAX);
            editor = spin;
            break;
        }
        case ConfigField::Kind::Decimal: {
            auto *spin = new QDoubleSpinBox(formHost);
            spin->setRange(0, 2);
            spin->setSingleStep(0.1);
            editor = spin;
            break;
        }
        case ConfigField::Kind::Flag:
            editor = new QCheckBox(formHost);
            break;
        }
        editor->setObjectName(QString::fromLatin1(field.path));
        auto *row = new QWidget(formHost);
        auto *rowLayout = new QVBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        auto *line = new QHBoxLayout();
        line->addWidget(editor, 1);
        QString applies;
        switch (key.apply) {
        case ConfigKey::Apply::Hot:
            applies = tr("applies at once");
            break;
        case ConfigKey::Apply::Restart:
            applies = tr("needs a restart");
            break;
        case ConfigKey::Apply::Kept:
            applies = tr("kept for clawgo; not used here yet");
            break;
        }
        auto *badge = new QLabel(applies, row);
        badge->setStyleSheet(QStringLiteral("color: gray;"));
        line->addWidget(badge);
        rowLayout->addLayout(line);
        auto *error = new QLabel(row);
        error->setStyleSheet(QStringLiteral("color: #b00020;"));
        error->setWordWrap(true);
        error->hide();
        rowLayout->addWidget(error);
        groups.value(section)->addRow(tr(field.label), row);
        m_fields.insert(QString::fromLatin1(field.path), FieldWidgets{editor, error, index++});
        auto markDirty = [this] { m_dirty = true; };
        if (auto *lineEdit = qobject_cast<QLineEdit *>(editor))
            connect(lineEdit, &QLineEdit::textEdited, this, markDirty);
        else if (auto *spin = qobject_cast<QSpinBox *>(editor))
            connect(spin, &QSpinBox::valueChanged, this, markDirty);
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(editor))
            connect(dspin, &QDoubleSpinBox::valueChanged, this, markDirty);
        else if (auto *check = qobject_cast<QCheckBox *>(editor))
            connect(check, &QCheckBox::toggled, this, markDirty);
    }
    formLayout->addStretch();
    scroll->setWidget(formHost);
    m_tabs->addTab(scroll, tr("Form"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tabs->addTab(m_raw, tr("JSON"));
    connect(m_raw, &QPlainTextEdit::textChanged, this, [this] {
        if (m_raw->hasFocus())
            m_dirty = true;
    });
    layout->addWidget(m_tabs, 1);

    auto *buttons = new QHBoxLayout();
    auto *saveButton = new QPushButton(tr("Save"), this);
    auto *reloadButton = new QPushButton(tr("Discard changes"), this);
    m_status->setWordWrap(true);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(reloadButton);
    buttons->addWidget(saveButton);
    layout->addLayout(buttons);
    connect(saveButton, &QPushButton::clicked, this, &ConfigPage::save);
    connect(reloadButton, &QPushButton::clicked, this, &ConfigPage::reload);
    connect(m_reloadBanner, &QPushButton::clicked, this, &ConfigPage::reload);
    connect(host, &GatewayHost::configChanged, this,
            [this](const QStringList &, const QString &source) {
                if (source == QLatin1String("gui"))
                    return;
                if (m_dirty) {
                    m_banner->show();
                    m_reloadBanner->show();
                } else {
                    reload();
                }
            });
    connect(host, &GatewayHost::configRejected, this,
            [this](const QStringList &errors, const QString &) {
                m_status->setText(tr("An outside edit of the config was refused: %1")
                                      .arg(errors.join(QStringLiteral("; "))));
            });
    reload();
}

QString ConfigPage::resolvePath(const char *path) const
{
    QString resolved = QString::fromLatin1(path);
    if (resolved.contains(QLatin1String("{provider}"))) {
        const QString primary =
            ConfigKeys::string(m_saved, QStringLiteral("agents.defaults.model.primary"));
        QString provider = primary.section(QLatin1Char('/'), 0, 0).trimmed();
        if (provider.isEmpty() || !primary.contains(QLatin1Char('/')))
            provider = ConfigKeys::value(m_saved, QStringLiteral("models.providers"))
                           .toObject()
                           .keys()
                           .value(0, QStringLiteral("openai"));
        resolved.replace(QLatin1String("{provider}"), provider);
    }
    return resolved;
}

void ConfigPage::reload()
{
    reloadThen([] {});
}

void ConfigPage::reloadThen(std::function<void()> after)
{
    GatewayCalls::readConfig(m_host, this, [this, after](const GatewayCalls::SavedConfig &current) {
        const QJsonObject &saved = current.config;
        m_saved = saved;
        m_etag = current.etag;
        m_dirty = false;
        m_banner->hide();
        m_reloadBanner->hide();
        fillForm();
        m_raw->setPlainText(QString::fromUtf8(JsonUtil::pretty(saved)));
        showErrors({});
        after();
    });
}

void ConfigPage::fillForm()
{
    for (const ConfigField &field : configFields()) {
        const FieldWidgets widgets = m_fields.value(QString::fromLatin1(field.path));
        const QJsonValue value = ConfigKeys::value(m_saved, resolvePath(field.path));
        const QSignalBlocker block(widgets.editor);
        if (auto *line = qobject_cast<QLineEdit *>(widgets.editor))
            line->setText(value.toString());
        else if (auto *spin = qobject_cast<QSpinBox *>(widgets.editor))
            spin->setValue(value.toInt());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(widgets.editor))
            dspin->setValue(value.toDouble());
        else if (auto *check = qobject_cast<QCheckBox *>(widgets.editor))
            check->setChecked(value.toBool());
    }
}

QJsonObject ConfigPage::collect(QString *problem) const
{
    if (m_tabs->currentIndex() == 1) {
        QJsonObject raw;
        if (!JsonUtil::parseObject(m_raw->toPlainText().toUtf8(), &raw, problem))
            *problem = tr("The JSON is not valid: %1").arg(*problem);
        return raw;
    }
    QJsonObject config = m_saved;
    for (const ConfigField &field : configFields()) {
        const FieldWidgets widgets = m_fields.value(QString::fromLatin1(field.path));
        const QString path = resolvePath(field.path);
        if (auto *line = qobject_cast<QLineEdit *>(widgets.editor))
            JsonUtil::setValueAt(config, path, line->text());
        else if (auto *spin = qobject_cast<QSpinBox *>(widgets.editor))
            JsonUtil::setValueAt(config, path, spin->value());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(widgets.editor))
            JsonUtil::setValueAt(config, path, dspin->value());
        else if (auto *check = qobject_cast<QCheckBox *>(widgets.editor))
            JsonUtil::setValueAt(config, path, check->isChecked());
    }
    return config;
}

void ConfigPage::save()
{
    QString problem;
    const QJsonObject config = collect(&problem);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        return;
    }
    m_status->setText(tr("Saving…"));
    GatewayCalls::saveConfig(
        m_host, config, m_etag, this, [this](const ConfigStore::SaveResult &result) {
            switch (result.status) {
            case ConfigStore::SaveResult::Ok:
                reloadThen([this] {
                    m_status->setText(tr("Saved. The gateway uses the new settings now."));
                    Q_EMIT saved();
                });
                return;
            case ConfigStore::SaveResult::Invalid:
                showErrors(result.errors);
                m_status->setText(tr("Not saved: %n problem(s), shown next to the fields.", nullptr,
                                     int(result.errors.size())));
                return;
            case ConfigStore::SaveResult::Conflict:
                m_status->setText(tr("Not saved: the config changed meanwhile. Reload, then apply "
                                     "your change again."));
                m_banner->show();
                m_reloadBanner->show();
                return;
            case ConfigStore::SaveResult::WriteFailed:
                m_status->setText(tr(
                    "Not saved: the file could not be written; the previous file is unchanged."));
                return;
            }
        });
}

void ConfigPage::showErrors(const QStringList &errors)
{
    QStringList unplaced;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        it->error->clear();
        it->error->hide();
    }
    for (const QString &error : errors) {
        bool placed = false;
        for (const ConfigField &field : configFields()) {
            const QString path = resolvePath(field.path);
            if (error.startsWith(path + QLatin1Char(' ')) ||
                error.startsWith(path + QLatin1Char('.'))) {
                QLabel *label = m_fields.value(QString::fromLatin1(field.path)).error;
                label->setText(label->text().isEmpty() ? error
                                                       : label->text() + QLatin1Char('\n') + error);
                label->show();
                placed = true;
            }
        }
        if (!placed)
            unplaced << error;
    }
    if (!unplaced.isEmpty())
        m_status->setText(unplaced.join(QLatin1Char('\n')));
}

bool ConfigPage::setFieldText(const QString &path, const QString &value)
{
    const FieldWidgets widgets = m_fields.value(path);
    if (auto *line = qobject_cast<QLineEdit *>(widgets.editor))
        line->setText(value);
    else if (auto *spin = qobject_cast<QSpinBox *>(widgets.editor))
        spin->setValue(value.toInt());
    else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(widgets.editor))
        dspin->setValue(value.toDouble());
    else if (auto *check = qobject_cast<QCheckBox *>(widgets.editor))
        check->setChecked(value == QLatin1String("true"));
    else
        return false;
    m_dirty = true;
    return true;
}

QString ConfigPage::fieldError(const QString &path) const
{
    const FieldWidgets widgets = m_fields.value(path);
    return widgets.error && widgets.error->isVisibleTo(this) ? widgets.error->text() : QString();
}

QString ConfigPage::statusText() const
{
    return m_status->text();
}

bool ConfigPage::outsideChangePending() const
{
    return m_banner->isVisibleTo(this);
}
