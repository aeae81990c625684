#include "setupwizard.h"

#include "core/jsonutil.h"
#include "gatewaycalls.h"
#include "gatewayhost.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace {
const QString kProviderName = QStringLiteral("custom");
}

SetupWizard::SetupWizard(GatewayHost *host, QWidget *parent)
    : QDialog(parent), m_host(host), m_baseUrl(new QLineEdit(this)), m_apiKey(new QLineEdit(this)),
      m_model(new QLineEdit(this)), m_result(new QLabel(this)),
      m_test(new QPushButton(tr("Test connection"), this)),
      m_save(new QPushButton(tr("Save"), this))
{
    setWindowTitle(tr("Set up a provider"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("ClawGo talks to any OpenAI-compatible server: a cloud API or a "
                                "model running on this computer."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *form = new QFormLayout();
    m_baseUrl->setPlaceholderText(QStringLiteral("http://127.0.0.1:11434/v1"));
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("empty for a local server"));
    m_model->setPlaceholderText(QStringLiteral("qwen2.5:7b"));
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
    connect(m_test, &QPushButton::clicked, this, &SetupWizard::testConnection);
    connect(m_save, &QPushButton::clicked, this, &SetupWizard::saveProvider);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
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
    settings.name = kProviderName;
    settings.apiBase = m_baseUrl->text().trimmed();
    settings.apiKey = m_apiKey->text().trimmed();
    settings.model = m_model->text().trimmed();
    settings.timeoutSec = 20;
    if (settings.apiBase.isEmpty() || settings.model.isEmpty()) {
        m_result->setText(tr("Enter a base URL and a model first."));
        return;
    }
    m_result->setText(tr("Testing…"));
    m_test->setEnabled(false);
    GatewayCalls::testProvider(m_host, settings, this, [this](bool ok, const QString &message) {
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
        JsonUtil::setValueAt(config, QStringLiteral("models.providers.") + kProviderName,
                             QJsonObject{{"api_base", m_baseUrl->text().trimmed()},
                                         {"api_key", m_apiKey->text().trimmed()},
                                         {"models", QJsonArray{model}},
                                         {"timeout_sec", 120},
                                         {"auth", "bearer"},
                                         {"oauth", QJsonObject()},
                                         {"supports_responses_compact", false},
                                         {"responses", QJsonObject{{"api", "chat_completions"}}}});
        JsonUtil::setValueAt(config, QStringLiteral("agents.defaults.model.primary"),
                             kProviderName + QLatin1Char('/') + model);
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
                                               : result.errors.join(QStringLiteral("; "))));
            });
    });
}

QString SetupWizard::resultText() const
{
    return m_result->text();
}
