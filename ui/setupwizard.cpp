#include "setupwizard.h"

#include "providers/providerroute.h"

#include "core/jsonutil.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/configkeys.h"
#include "core/secretredactor.h"

SetupWizard::SetupWizard(GatewayHost *host, QWidget *parent)
    : QDialog(parent), m_host(host), m_baseUrl(new QLineEdit(this)), m_apiKey(new QLineEdit(this)),
      m_model(new QLineEdit(this)), m_kind(new QComboBox(this)), m_result(new QLabel(this)),
      m_test(new QPushButton(tr("Test connection"), this)),
      m_save(new QPushButton(tr("Save"), this))
{
    setWindowTitle(tr("Set up a provider"));
    auto *layout = new QVBoxLayout(this);
    // The dialog grows with what it says (a three-line error included).
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    auto *intro = new QLabel(tr("ClawGo talks to any OpenAI-compatible server (a cloud API or a "
                                "model running on this computer), to Anthropic and to Gemini."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout();
    m_baseUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:11434/v1"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("empty for a local server"));
    m_model->setPlaceholderText(QStringLiteral("qwen2.5:7b"));
    m_kind->addItem(tr("OpenAI-compatible server"), QString());
    m_kind->addItem(tr("Anthropic (Claude)"), QStringLiteral("claude"));
    m_kind->addItem(tr("Google Gemini"), QStringLiteral("gemini"));
    m_kind->setAccessibleName(tr("Kind of provider"));
    form->addRow(tr("Kind"), m_kind);
    form->addRow(tr("Base URL"), m_baseUrl);
    form->addRow(tr("API key"), m_apiKey);
    form->addRow(tr("Model"), m_model);
    layout->addLayout(form);
    m_result->setWordWrap(true);
    layout->addWidget(m_result);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_test, QDialogButtonBox::ActionRole);
    buttons->addButton(m_save, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    layout->addWidget(buttons);
    connect(m_kind, &QComboBox::activated, this,
            [this] { setKind(m_kind->currentData().toString()); });
    connect(m_test, &QPushButton::clicked, this, &SetupWizard::testConnection);
    connect(m_save, &QPushButton::clicked, this, &SetupWizard::saveProvider);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_baseUrl->setAccessibleName(tr("Base URL"));
    m_apiKey->setAccessibleName(tr("API key"));
    m_model->setAccessibleName(tr("Model"));
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The current provider, if there is one.
    GatewayCalls::readConfig(m_host, this, [this](const GatewayCalls::SavedConfig &current) {
        const QString primary =
            ConfigKeys::string(current.config, QStringLiteral("agents.defaults.model.primary"));
        const qsizetype slash = primary.indexOf(QLatin1Char('/'));
        if (slash <= 0)
            return;
        const QString provider = primary.left(slash);
        const QJsonObject settings =
            JsonUtil::valueAt(current.config, QStringLiteral("models.providers.") + provider)
                .toObject();
        if (settings.isEmpty() || !m_baseUrl->text().isEmpty() || !m_model->text().isEmpty())
            return;
        m_provider = provider;
        const QString kind = ProviderRoute::kindOf(provider, settings);
        m_kind->setCurrentIndex(qMax(0, m_kind->findData(kind)));
        m_loadedBaseUrl = settings.value("api_base").toString();
        m_baseUrl->setText(m_loadedBaseUrl);
        m_model->setText(primary.mid(slash + 1));
        m_storedKey = !settings.value("api_key").toString().isEmpty();
        if (m_storedKey)
            m_apiKey->setPlaceholderText(tr("stored; leave empty to keep it"));
    });
}

QString SetupWizard::kind() const
{
    return m_kind->currentData().toString();
}

void SetupWizard::setKind(const QString &kind)
{
    m_kind->setCurrentIndex(qMax(0, m_kind->findData(kind)));
    // The provider's name says its kind (as clawgo reads it), and each kind has its endpoint.
    const QString previousDefault =
        ProviderRoute::defaultApiBase(ProviderRoute::kindOf(m_provider, QJsonObject()));
    const QString before = m_provider;
    if (!kind.isEmpty())
        m_provider = kind;
    else if (!ProviderRoute::kindOf(m_provider, QJsonObject()).isEmpty())
        m_provider = QStringLiteral("custom");
    if (m_provider != before) { // another provider: the stored key was the other one's
        m_storedKey = false;
        m_loadedBaseUrl.clear();
    }
    const QString base = ProviderRoute::defaultApiBase(kind);
    if (m_baseUrl->text().trimmed().isEmpty() || m_baseUrl->text().trimmed() == previousDefault)
        m_baseUrl->setText(base);
    m_model->setPlaceholderText(
        kind == QLatin1String("claude")   ? QStringLiteral("claude-sonnet-4-5")
        : kind == QLatin1String("gemini") ? QStringLiteral("gemini-2.5-flash")
                                          : QStringLiteral("qwen2.5:7b"));
    m_apiKey->setPlaceholderText(kind.isEmpty() ? tr("empty for a local server") : QString());
}

QString SetupWizard::baseUrl() const
{
    return m_baseUrl->text();
}

QString SetupWizard::model() const
{
    return m_model->text();
}

void SetupWizard::setValues(const QString &baseUrl, const QString &apiKey, const QString &model)
{
    m_baseUrl->setText(baseUrl);
    m_apiKey->setText(apiKey);
    m_model->setText(model);
}

void SetupWizard::testConnection()
{
    ProviderSettings settings;
    settings.name = m_provider;
    settings.apiBase = m_baseUrl->text().trimmed();
    settings.apiKey = m_apiKey->text().trimmed();
    const ProviderRoute::ModelSpec model = ProviderRoute::parseModel(m_model->text());
    settings.model = model.model;
    settings.thinking = model.level;
    settings.kind = kind();
    settings.wire = settings.kind.isEmpty() ? WireKind::ChatCompletions
                                            : ProviderRoute::wireFor(settings.kind, QJsonObject());
    settings.timeoutSec = 20;
    if (settings.apiBase.isEmpty() || settings.model.isEmpty()) {
        m_result->setText(tr("Enter a base URL and a model first."));
        return;
    }
    m_result->setText(tr("Testing…"));
    m_test->setEnabled(false);
    // An empty key field with a stored key: the test uses the stored one, but only at the
    // address it was stored for.
    const bool useStoredKey =
        m_storedKey && settings.apiKey.isEmpty() && settings.apiBase == m_loadedBaseUrl;
    GatewayCalls::testProvider(
        m_host, settings, useStoredKey, this, [this](bool ok, const QString &message) {
            m_test->setEnabled(true);
            m_result->setText(ok ? tr("It works: the model answered \"%1\".").arg(message)
                                 : tr("It does not work yet: %1").arg(message));
            Q_EMIT tested(ok);
        });
}

void SetupWizard::saveProvider()
{
    const QString model = m_model->text().trimmed();
    if (m_baseUrl->text().trimmed().isEmpty() || model.isEmpty()) {
        m_result->setText(tr("Enter a base URL and a model first."));
        return;
    }
    GatewayCalls::readConfig(m_host, this, [this, model](const GatewayCalls::SavedConfig &current) {
        QJsonObject config = current.config;
        const QByteArray etag = current.etag;
        const QString path = QStringLiteral("models.providers.") + m_provider;
        QJsonObject provider = JsonUtil::valueAt(config, path).toObject();
        if (provider.isEmpty()) {
            provider = QJsonObject{{"timeout_sec", 120},
                                   {"auth", "bearer"},
                                   {"oauth", QJsonObject()},
                                   {"supports_responses_compact", false}};
            // An OpenAI-compatible server speaks Chat Completions; Anthropic and Gemini are
            // known by the provider's name.
            if (kind().isEmpty())
                provider.insert("responses", QJsonObject{{"api", "chat_completions"}});
        }
        provider.insert("api_base", m_baseUrl->text().trimmed());
        // An empty field keeps a stored key (it is masked here, and the save puts it back).
        if (!m_apiKey->text().trimmed().isEmpty() || !m_storedKey)
            provider.insert("api_key", m_apiKey->text().trimmed());
        QJsonArray models = provider.value("models").toArray();
        if (!models.contains(model))
            models.prepend(model);
        provider.insert("models", models);
        JsonUtil::setValueAt(config, path, provider);
        JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                             m_provider + QLatin1Char('/') + model);
        GatewayCalls::saveConfig(
            m_host, config, etag, this, [this](const ConfigStore::SaveResult &result) {
                if (result.status == ConfigStore::SaveResult::Ok) {
                    Q_EMIT saved();
                    accept();
                    return;
                }
                m_result->setText(tr("Not saved: %1")
                                      .arg(result.errors.isEmpty()
                                               ? result.error
                                               : result.errors.join(QLatin1Char('\n'))));
            });
    });
}

QString SetupWizard::resultText() const
{
    return m_result->text();
}
