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
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <climits>

namespace {

// A spin box inside a scrolling form changes its value by wheel only once the user has put the
// focus in it; otherwise the wheel scrolls the form (the event goes on to the scroll area).
template <typename SpinBox> class FocusWheel : public SpinBox
{
public:
    explicit FocusWheel(QWidget *parent) : SpinBox(parent)
    {
        this->setFocusPolicy(Qt::StrongFocus);
    }

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        if (!this->hasFocus()) {
            event->ignore();
            return;
        }
        SpinBox::wheelEvent(event);
    }
};

// What an editor shows, as the JSON value the config holds.
QJsonValue editorValue(QWidget *editor)
{
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return line->text();
    if (auto *spin = qobject_cast<QSpinBox *>(editor))
        return spin->value();
    if (auto *dspin = qobject_cast<QDoubleSpinBox *>(editor))
        return dspin->value();
    if (auto *check = qobject_cast<QCheckBox *>(editor))
        return check->isChecked();
    return QJsonValue();
}

} // namespace

ConfigPage::ConfigPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_tabs(new QTabWidget(this)), m_raw(new QPlainTextEdit(this)),
      m_status(new QLabel(this)), m_unsaved(new QLabel(tr("Unsaved changes"), this)),
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
            // Wider than the key's range on purpose: 99999 typed into Port stays 99999 and the
            // validator says what is wrong beside the field, instead of the box quietly keeping
            // 9999.
            auto *spin = new FocusWheel<QSpinBox>(formHost);
            spin->setRange(INT_MIN, INT_MAX);
            editor = spin;
            break;
        }
        case ConfigField::Kind::Decimal: {
            auto *spin = new FocusWheel<QDoubleSpinBox>(formHost);
            spin->setRange(-1e9, 1e9);
            spin->setDecimals(2);
            spin->setSingleStep(0.1);
            editor = spin;
            break;
        }
        case ConfigField::Kind::Flag:
            editor = new QCheckBox(formHost);
            break;
        }
        const QString label = tr(field.label);
        editor->setObjectName(QString::fromLatin1(field.path));
        editor->setAccessibleName(label);
        auto *row = new QWidget(formHost);
        auto *rowLayout = new QVBoxLayout(row);
        rowLayout->setContentsMargins(0, 0, 0, 0);
        auto *line = new QHBoxLayout();
        line->addWidget(editor, 1);
        QString applies;
        switch (field.key().apply) {
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
        auto *hint = new QLabel(row);
        hint->setWordWrap(true);
        hint->setStyleSheet(QStringLiteral("color: gray;"));
        hint->hide();
        rowLayout->addWidget(hint);
        auto *error = new QLabel(row);
        error->setStyleSheet(QStringLiteral("color: #b00020;"));
        error->setWordWrap(true);
        error->hide();
        rowLayout->addWidget(error);
        auto *rowLabel = new QLabel(label, formHost);
        rowLabel->setBuddy(editor);
        groups.value(section)->addRow(rowLabel, row);
        m_fields.insert(QString::fromLatin1(field.path),
                        FieldWidgets{editor, error, hint, index++});
        auto markDirty = [this] { setDirty(true); };
        if (auto *lineEdit = qobject_cast<QLineEdit *>(editor))
            connect(lineEdit, &QLineEdit::textChanged, this, markDirty);
        else if (auto *spin = qobject_cast<QSpinBox *>(editor))
            connect(spin, &QSpinBox::valueChanged, this, markDirty);
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(editor))
            connect(dspin, &QDoubleSpinBox::valueChanged, this, markDirty);
        else if (auto *check = qobject_cast<QCheckBox *>(editor))
            connect(check, &QCheckBox::toggled, this, markDirty);
    }
    formLayout->addStretch();
    // On a wide screen the fields keep a width one can read across; the form sits at the left.
    formHost->setMaximumWidth(1100);
    auto *formRow = new QWidget(scroll);
    auto *formRowLayout = new QHBoxLayout(formRow);
    formRowLayout->setContentsMargins(0, 0, 0, 0);
    formRowLayout->addWidget(formHost, 1);
    formRowLayout->addStretch(0);
    scroll->setWidget(formRow);
    m_tabs->addTab(scroll, tr("Form"));
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setAccessibleName(tr("Config as JSON"));
    m_tabs->addTab(m_raw, tr("JSON"));
    connect(m_raw, &QPlainTextEdit::textChanged, this, [this] {
        if (m_loaded && !signalsBlocked() && m_tabs->currentIndex() == 1)
            setDirty(true);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, &ConfigPage::tabChanged);
    layout->addWidget(m_tabs, 1);

    auto *buttons = new QHBoxLayout();
    auto *saveButton = m_saveButton = new QPushButton(tr("Save"), this);
    auto *reloadButton = new QPushButton(tr("Discard changes"), this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_unsaved->setStyleSheet(QStringLiteral("color: #8a6d00; font-weight: bold;"));
    m_unsaved->hide();
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_unsaved);
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
    connect(host, &GatewayHost::listenerFailed, this, [this](const QString &error) {
        if (m_justSaved)
            m_status->setText(tr("Saved, but the API could not listen at the new address: %1. "
                                 "It still answers at %2.")
                                  .arg(error, m_host->apiUrl()));
    });
    // A config file that could not be loaded is never overwritten from here: what the page
    // shows then are the defaults, not the user's file.
    connect(host, &GatewayHost::started, this, [this](bool ok, const QString &error) {
        if (ok || !m_host->configLoadFailed())
            return;
        m_saveBlocked = true;
        m_saveButton->setEnabled(false);
        m_banner->setText(tr("The config file could not be loaded, so this page shows the "
                             "defaults and saving is off (your file stays as it is): %1. Fix the "
                             "file in an editor, then start ClawGo Desktop again.")
                              .arg(error));
        m_banner->setWordWrap(true);
        m_banner->show();
        m_reloadBanner->hide();
    });
    connect(host, &GatewayHost::listenerChanged, this, &ConfigPage::updateOverrideHints);
    connect(host, &GatewayHost::started, this, &ConfigPage::updateOverrideHints);
    m_status->setText(tr("Loading the config…"));
    // Answered once the gateway has started, whether or not it has already.
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
        m_saved = current.config;
        m_etag = current.etag;
        m_banner->hide();
        m_reloadBanner->hide();
        fillForm(m_saved);
        {
            const QSignalBlocker block(m_raw);
            m_raw->setPlainText(QString::fromUtf8(JsonUtil::pretty(m_saved)));
        }
        m_loaded = true;
        setDirty(false);
        showErrors({});
        m_status->clear();
        updateOverrideHints();
        after();
    });
}

void ConfigPage::fillForm(const QJsonObject &config)
{
    for (const ConfigField &field : configFields()) {
        const FieldWidgets widgets = m_fields.value(QString::fromLatin1(field.path));
        const QJsonValue value = ConfigKeys::value(config, resolvePath(field.path));
        const QSignalBlocker block(widgets.editor);
        if (auto *line = qobject_cast<QLineEdit *>(widgets.editor))
            line->setText(value.toString());
        else if (auto *spin = qobject_cast<QSpinBox *>(widgets.editor))
            spin->setValue(value.toInt());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(widgets.editor))
            dspin->setValue(value.toDouble());
        else if (auto *check = qobject_cast<QCheckBox *>(widgets.editor))
            check->setChecked(value.toBool());
        m_filled.insert(QString::fromLatin1(field.path), editorValue(widgets.editor));
    }
}

QJsonObject ConfigPage::formConfig() const
{
    // Only the fields the user changed are written over the loaded document: an untouched
    // field never adds a key (a provider entry, a zero) the file did not have.
    QJsonObject config = m_saved;
    for (const ConfigField &field : configFields()) {
        const QString key = QString::fromLatin1(field.path);
        const QJsonValue shown = editorValue(m_fields.value(key).editor);
        if (shown != m_filled.value(key))
            JsonUtil::setValueAt(config, resolvePath(field.path), shown);
    }
    return config;
}

QJsonObject ConfigPage::collect(QString *problem) const
{
    if (m_tabs->currentIndex() == 1) {
        QJsonObject raw;
        if (!JsonUtil::parseObject(m_raw->toPlainText().toUtf8(), &raw, problem))
            *problem = tr("The JSON is not valid: %1").arg(*problem);
        return raw;
    }
    return formConfig();
}

void ConfigPage::tabChanged(int index)
{
    if (index == m_shownTab)
        return;
    if (index == 1) {
        // Form → JSON: the JSON shows the form's edits.
        if (m_dirty) {
            const QSignalBlocker block(m_raw);
            m_raw->setPlainText(QString::fromUtf8(JsonUtil::pretty(formConfig())));
        }
    } else if (m_dirty) {
        // JSON → Form: the form shows the JSON's edits, or the JSON stays until it parses.
        QJsonObject parsed;
        QString problem;
        if (!JsonUtil::parseObject(m_raw->toPlainText().toUtf8(), &parsed, &problem)) {
            const QSignalBlocker block(m_tabs);
            m_tabs->setCurrentIndex(1);
            m_status->setText(
                tr("The JSON is not valid: %1. Fix it or discard the changes to see the form.")
                    .arg(problem));
            return;
        }
        m_saved = parsed; // the document the form now edits; the ETag stays the loaded one
        fillForm(parsed);
    }
    m_shownTab = index;
    showErrors({});
}

void ConfigPage::save()
{
    if (m_saveBlocked) {
        m_status->setText(tr("Saving is off: the config file could not be loaded."));
        return;
    }
    if (!m_dirty) {
        m_status->setText(tr("No changes to save."));
        return;
    }
    QString problem;
    const QJsonObject config = collect(&problem);
    if (!problem.isEmpty()) {
        m_status->setText(problem);
        return;
    }
    // Clearing the token opens the API to anyone who reaches it: asked first.
    const QString token = QStringLiteral("gateway.token");
    if (ConfigKeys::string(config, token).isEmpty() &&
        !ConfigKeys::string(m_saved, token).isEmpty()) {
        auto *ask = new QMessageBox(
            QMessageBox::Warning, tr("Turn off API authentication?"),
            tr("With an empty token, any program that can reach the API address can use the "
               "agent, its tools and its files. Save without a token?"),
            QMessageBox::NoButton, this);
        ask->addButton(tr("Save without a token"), QMessageBox::DestructiveRole);
        ask->addButton(QMessageBox::Cancel);
        ask->setDefaultButton(QMessageBox::Cancel);
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::buttonClicked, this, [this, ask, config](QAbstractButton *b) {
            if (ask->buttonRole(b) == QMessageBox::DestructiveRole)
                saveConfig(config);
            else
                m_status->setText(tr("Not saved."));
        });
        ask->open();
        return;
    }
    saveConfig(config);
}

void ConfigPage::saveConfig(const QJsonObject &config)
{
    m_status->setText(tr("Saving…"));
    GatewayCalls::saveConfig(
        m_host, config, m_etag, this, [this](const ConfigStore::SaveResult &result) {
            switch (result.status) {
            case ConfigStore::SaveResult::Ok:
                reloadThen([this] {
                    m_justSaved = true;
                    m_status->setText(tr("Saved. The gateway uses the new settings now."));
                    Q_EMIT saved();
                });
                return;
            case ConfigStore::SaveResult::Invalid:
                showErrors(result.errors);
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
    m_justSaved = false;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        it->error->clear();
        it->error->hide();
    }
    if (errors.isEmpty())
        return;
    if (m_tabs->currentIndex() == 1) {
        // The JSON tab is on screen: the list goes where it is seen.
        m_status->setText(tr("Not saved: %n problem(s):", nullptr, int(errors.size())) +
                          QLatin1Char('\n') + errors.join(QLatin1Char('\n')));
        return;
    }
    QStringList unplaced;
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
    QString text;
    if (unplaced.size() < errors.size())
        text = tr("Not saved: %n problem(s), shown next to the fields.", nullptr,
                  int(errors.size() - unplaced.size()));
    if (!unplaced.isEmpty())
        text += (text.isEmpty() ? tr("Not saved:") : QString()) + QLatin1Char('\n') +
                unplaced.join(QLatin1Char('\n'));
    m_status->setText(text);
}

void ConfigPage::setDirty(bool dirty)
{
    if (dirty && !m_loaded)
        return; // nothing the user typed: the form is still being filled
    m_unsaved->setVisible(dirty);
    if (m_dirty == dirty)
        return;
    m_dirty = dirty;
    Q_EMIT dirtyChanged(dirty);
}

void ConfigPage::updateOverrideHints()
{
    // The field shows the file; the program may run on another address for this run only.
    const GatewayOptions &options = m_host->options();
    const QUrl url(m_host->apiUrl());
    const auto hint = [this](const char *path, const QString &text) {
        QLabel *label = m_fields.value(QString::fromLatin1(path)).hint;
        if (!label)
            return;
        label->setText(text);
        label->setVisible(!text.isEmpty());
    };
    hint("gateway.port", options.port && url.port() > 0
                             ? tr("This run listens on port %1 (--port or CLAWGO_PORT); the value "
                                  "here applies when started without it.")
                                   .arg(url.port())
                             : QString());
    hint("gateway.host", options.host
                             ? tr("This run listens on %1 (--host or CLAWGO_HOST); the value here "
                                  "applies when started without it.")
                                   .arg(*options.host)
                             : QString());
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
    setDirty(true);
    return true;
}

QString ConfigPage::fieldText(const QString &path) const
{
    const QJsonValue value = editorValue(m_fields.value(path).editor);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toDouble());
    return value.toString();
}

QWidget *ConfigPage::fieldEditor(const QString &path) const
{
    return m_fields.value(path).editor;
}

QString ConfigPage::fieldError(const QString &path) const
{
    const FieldWidgets widgets = m_fields.value(path);
    return widgets.error && widgets.error->isVisibleTo(this) ? widgets.error->text() : QString();
}

QString ConfigPage::fieldHint(const QString &path) const
{
    const FieldWidgets widgets = m_fields.value(path);
    return widgets.hint && widgets.hint->isVisibleTo(this) ? widgets.hint->text() : QString();
}

QString ConfigPage::rawText() const
{
    return m_raw->toPlainText();
}

void ConfigPage::showJsonTab(bool json)
{
    m_tabs->setCurrentIndex(json ? 1 : 0);
}

QString ConfigPage::statusText() const
{
    return m_status->text();
}

bool ConfigPage::outsideChangePending() const
{
    return m_banner->isVisibleTo(this);
}
