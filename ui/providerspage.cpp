#include "providerspage.h"

#include "agent/agentruntime.h"
#include "core/clock.h"
#include "core/configstore.h"
#include "gatewayhost.h"
#include "oauthaccountspanel.h"
#include "providers/aistudiorelay.h"
#include "providers/providerconfig.h"
#include "providers/providerprobe.h"
#include "providers/providerruntime.h"

#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

enum ListColumn
{
    NameColumn,
    KindColumn,
    EndpointColumn,
    ModelsColumn,
    HealthColumn,
    CooldownColumn,
    ErrorColumn,
};

enum CandidateColumn
{
    CandidateColumnName,
    CandidateStatus,
    CandidateHealth,
    CandidateCooldown,
    CandidateFailures,
    CandidateLastFailure,
};

constexpr int kCooldownRole = Qt::UserRole + 1;

QString protocolName(WireKind wire)
{
    switch (wire) {
    case WireKind::Responses:
        return ProvidersPage::tr("OpenAI Responses");
    case WireKind::ChatCompletions:
        return ProvidersPage::tr("OpenAI Chat Completions");
    case WireKind::Anthropic:
        return ProvidersPage::tr("Anthropic Messages");
    case WireKind::Gemini:
        return ProvidersPage::tr("Gemini API");
    case WireKind::Relay:
        return ProvidersPage::tr("AI Studio relay");
    case WireKind::Codex:
        return ProvidersPage::tr("Codex (ChatGPT plan)");
    case WireKind::Unsupported:
        break;
    }
    return ProvidersPage::tr("not supported yet");
}

// "4 min 05 s" until `until`; empty when it is over.
QString countdown(const QDateTime &until)
{
    if (!until.isValid())
        return QString();
    const qint64 seconds = Clock::nowUtc().secsTo(until);
    if (seconds <= 0)
        return QString();
    if (seconds >= 3600)
        return ProvidersPage::tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    if (seconds >= 60)
        return ProvidersPage::tr("%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return ProvidersPage::tr("%1 s").arg(seconds);
}

QDateTime parseTime(const QString &text)
{
    return QDateTime::fromString(text, Qt::ISODate);
}

QString candidateName(const QJsonObject &candidate)
{
    const QString kind = candidate.value("kind").toString();
    const QString target = candidate.value("target").toString();
    if (kind == QLatin1String("api_key"))
        return target.isEmpty() ? ProvidersPage::tr("no API key")
                                : ProvidersPage::tr("API key %1").arg(target);
    if (kind == QLatin1String("relay"))
        return ProvidersPage::tr("browser relay");
    if (kind == QLatin1String("oauth"))
        return ProvidersPage::tr("account %1").arg(target);
    return kind + QLatin1Char(' ') + target;
}

struct Snapshot
{
    QJsonObject view;
    QJsonObject providers;
};

} // namespace

ProvidersPage::ProvidersPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_list(new QTreeWidget(this)),
      m_candidates(new QTreeWidget(this)), m_events(new QTreeWidget(this)),
      m_models(new QPlainTextEdit(this)), m_saveModels(new QPushButton(tr("Save models"), this)),
      m_test(new QPushButton(tr("Test"), this)),
      m_clearCooldown(new QPushButton(tr("Clear cooldown"), this)),
      m_clearHistory(new QPushButton(tr("Clear history"), this)),
      m_rerank(new QPushButton(tr("Re-rank"), this)), m_title(new QLabel(this)),
      m_result(new QLabel(this)), m_empty(new QLabel(this)), m_tick(new QTimer(this)),
      m_refreshSoon(new QTimer(this)), m_oauth(new OAuthAccountsPanel(host, this))
{
    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<h2>Providers</h2>"), this);
    layout->addWidget(heading);
    m_empty->setText(tr("No provider is configured. Add one on the Config page, or with "
                        "ClawGo ▸ Set up a provider…"));
    m_empty->setWordWrap(true);
    m_empty->hide();
    layout->addWidget(m_empty);

    m_list->setHeaderLabels({tr("Provider"), tr("Protocol"), tr("Endpoint"), tr("Models"),
                             tr("Health"), tr("Cooldown"), tr("Last error")});
    m_list->setRootIsDecorated(false);
    m_list->setAccessibleName(tr("Providers"));
    m_list->header()->setStretchLastSection(true);
    m_list->setUniformRowHeights(true);

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    detailsLayout->addWidget(m_title);

    auto *row = new QHBoxLayout;
    auto *modelsColumn = new QVBoxLayout;
    auto *modelsLabel = new QLabel(tr("&Models (one per line, the first is the default):"), this);
    modelsLabel->setBuddy(m_models);
    m_models->setAccessibleName(tr("Models"));
    m_models->setMaximumHeight(110);
    m_models->setTabChangesFocus(true);
    modelsColumn->addWidget(modelsLabel);
    modelsColumn->addWidget(m_models);
    modelsColumn->addWidget(m_saveModels, 0, Qt::AlignLeft);
    row->addLayout(modelsColumn, 1);
    auto *actions = new QVBoxLayout;
    m_test->setToolTip(tr("Sends a real one-token request to the provider's first model"));
    m_clearCooldown->setToolTip(tr("Lets the provider be tried again at once"));
    m_clearHistory->setToolTip(tr("Forgets the provider's recent hits, errors and changes"));
    m_rerank->setToolTip(tr("Recomputes the order in which the candidates are tried"));
    for (QPushButton *button : {m_test, m_clearCooldown, m_clearHistory, m_rerank})
        actions->addWidget(button);
    actions->addStretch();
    row->addLayout(actions);
    detailsLayout->addLayout(row);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    detailsLayout->addWidget(m_result);

    m_candidates->setHeaderLabels({tr("Candidate"), tr("Status"), tr("Health"), tr("Cooldown"),
                                   tr("Failures"), tr("Last failure")});
    m_candidates->setRootIsDecorated(false);
    m_candidates->setAccessibleName(tr("Candidates"));
    m_candidates->setMaximumHeight(90);
    auto *candidatesLabel = new QLabel(tr("Candidates, in the order they are tried:"), this);
    candidatesLabel->setBuddy(m_candidates);
    detailsLayout->addWidget(candidatesLabel);
    detailsLayout->addWidget(m_candidates);
    m_oauth->hide();
    detailsLayout->addWidget(m_oauth);

    m_events->setHeaderLabels({tr("Time"), tr("Kind"), tr("Target"), tr("Reason"), tr("Detail")});
    m_events->setRootIsDecorated(false);
    m_events->setAccessibleName(tr("Recent runtime events"));
    m_events->setWordWrap(true);
    auto *eventsLabel = new QLabel(tr("Recent events:"), this);
    eventsLabel->setBuddy(m_events);
    detailsLayout->addWidget(eventsLabel);
    detailsLayout->addWidget(m_events, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_list);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    setTabOrder(m_list, m_models);
    setTabOrder(m_models, m_saveModels);
    setTabOrder(m_saveModels, m_test);
    setTabOrder(m_test, m_clearCooldown);
    setTabOrder(m_clearCooldown, m_clearHistory);
    setTabOrder(m_clearHistory, m_rerank);
    setTabOrder(m_rerank, m_candidates);
    setTabOrder(m_candidates, m_oauth);
    setTabOrder(m_oauth, m_events);

    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        m_modelsEdited = false;
        m_result->clear();
        showSelected();
    });
    connect(m_models, &QPlainTextEdit::textChanged, this, [this] {
        if (m_models->hasFocus())
            m_modelsEdited = true;
    });
    connect(m_saveModels, &QPushButton::clicked, this, &ProvidersPage::saveModels);
    connect(m_test, &QPushButton::clicked, this, &ProvidersPage::test);
    connect(m_clearCooldown, &QPushButton::clicked, this,
            [this] { runAction(QStringLiteral("clear_api_cooldown")); });
    connect(m_clearHistory, &QPushButton::clicked, this,
            [this] { runAction(QStringLiteral("clear_history")); });
    connect(m_rerank, &QPushButton::clicked, this, [this] { runAction(QStringLiteral("rerank")); });
    // Cooldowns count down without asking the gateway; runtime changes refresh (coalesced).
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ProvidersPage::updateCountdowns);
    m_tick->start();
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(250);
    connect(m_refreshSoon, &QTimer::timeout, this, &ProvidersPage::refresh);
    connect(host, &GatewayHost::providersChanged, m_refreshSoon, qOverload<>(&QTimer::start));
    connect(host, &GatewayHost::configChanged, m_refreshSoon, qOverload<>(&QTimer::start));
    connect(host, &GatewayHost::started, this, &ProvidersPage::refresh);
    connect(m_oauth, &OAuthAccountsPanel::accountsChanged, this, &ProvidersPage::refresh);
    connect(m_oauth, &OAuthAccountsPanel::notice, this, &ProvidersPage::notice);
    refresh();
}

void ProvidersPage::refresh()
{
    m_host->call(
        this,
        [](Gateway &gateway) {
            Snapshot snapshot;
            snapshot.view = gateway.agent()->providerRuntime()->view({});
            snapshot.providers = ProviderConfig::providers(gateway.configStore()->effective());
            return snapshot;
        },
        [this](const Snapshot &snapshot) { show(snapshot.view, snapshot.providers); });
}

QString ProvidersPage::selectedProvider() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->text(NameColumn) : QString();
}

bool ProvidersPage::selectProvider(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        if (m_list->topLevelItem(i)->text(NameColumn) == name) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return true;
        }
    return false;
}

void ProvidersPage::show(const QJsonObject &view, const QJsonObject &providers)
{
    const QString selected = selectedProvider();
    m_view = QJsonObject();
    for (const QJsonValue &item : view.value("items").toArray())
        m_view.insert(item["name"].toString(), item);
    m_providers = providers;
    m_empty->setVisible(providers.isEmpty());
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QJsonObject runtime = m_view.value(it.key()).toObject();
        const QJsonObject api = runtime.value("api_state").toObject();
        const QString kind = ProviderRoute::kindOf(it.key(), entry);
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(NameColumn, it.key());
        item->setText(KindColumn, protocolName(ProviderRoute::wireFor(kind, entry)));
        QString endpoint = entry.value("api_base").toString();
        if (endpoint.isEmpty())
            endpoint = ProviderRoute::defaultApiBase(kind);
        item->setText(EndpointColumn, endpoint);
        QStringList models;
        for (const QJsonValue &model : entry.value("models").toArray())
            models << model.toString();
        item->setText(ModelsColumn, models.join(QStringLiteral(", ")));
        item->setText(HealthColumn, QString::number(api.value("health_score").toInt(100)));
        item->setData(CooldownColumn, kCooldownRole, api.value("cooldown_until").toString());
        const QJsonArray errors = runtime.value("recent_errors").toArray();
        item->setText(ErrorColumn,
                      errors.isEmpty() ? QString() : errors.first()["reason"].toString());
        item->setToolTip(ErrorColumn,
                         errors.isEmpty() ? QString() : errors.first()["detail"].toString());
    }
    for (int column = 0; column < ErrorColumn; ++column)
        m_list->resizeColumnToContents(column);
    if (!selectProvider(selected) && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    showSelected();
    updateCountdowns();
    Q_EMIT refreshed();
}

void ProvidersPage::showSelected()
{
    const QString name = selectedProvider();
    const bool any = !name.isEmpty();
    for (QWidget *widget : std::initializer_list<QWidget *>{
             m_models, m_saveModels, m_test, m_clearCooldown, m_clearHistory, m_rerank})
        widget->setEnabled(any);
    m_title->setText(any ? tr("Provider %1").arg(name) : QString());
    const QJsonObject entry = m_providers.value(name).toObject();
    if (!m_modelsEdited) {
        QStringList models;
        for (const QJsonValue &model : entry.value("models").toArray())
            models << model.toString();
        const QSignalBlocker blocker(m_models);
        m_models->setPlainText(models.join(QLatin1Char('\n')));
    }
    const QJsonObject runtime = m_view.value(name).toObject();
    if (any)
        m_oauth->setProvider(name, entry, runtime);
    else
        m_oauth->hide();
    m_candidates->clear();
    for (const QJsonValue &value : runtime.value("candidate_order").toArray()) {
        const QJsonObject candidate = value.toObject();
        auto *item = new QTreeWidgetItem(m_candidates);
        item->setText(CandidateColumnName, candidateName(candidate));
        item->setText(CandidateStatus,
                      candidate.value("status").toString() == QLatin1String("ready")
                          ? tr("ready")
                          : tr("cooling down"));
        item->setText(CandidateHealth, QString::number(candidate.value("health_score").toInt(100)));
        item->setData(CandidateCooldown, kCooldownRole,
                      candidate.value("cooldown_until").toString());
        item->setText(CandidateFailures, QString::number(candidate.value("failure_count").toInt()));
        item->setText(CandidateLastFailure,
                      runtime.value("api_state").toObject().value("last_failure").toString());
    }
    m_candidates->resizeColumnToContents(CandidateColumnName);
    m_clearCooldown->setEnabled(any &&
                                runtime.value("api_state").toObject().contains("cooldown_until"));
    m_events->clear();
    QList<QJsonObject> events;
    for (const char *list : {"recent_hits", "recent_errors", "recent_changes"})
        for (const QJsonValue &value : runtime.value(list).toArray())
            events << value.toObject();
    std::stable_sort(events.begin(), events.end(), [](const QJsonObject &a, const QJsonObject &b) {
        return parseTime(a.value("when").toString()) > parseTime(b.value("when").toString());
    });
    for (const QJsonObject &event : events) {
        auto *item = new QTreeWidgetItem(m_events);
        item->setText(0, parseTime(event.value("when").toString())
                             .toLocalTime()
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        item->setText(1, event.value("kind").toString());
        item->setText(2, event.value("target").toString());
        const QString reason = event.value("reason").toString();
        item->setText(3, reason.isEmpty() ? tr("answered") : reason);
        item->setText(4, event.value("detail").toString());
        item->setToolTip(4, event.value("detail").toString());
    }
    for (int column = 0; column < 4; ++column)
        m_events->resizeColumnToContents(column);
    updateCountdowns();
}

void ProvidersPage::updateCountdowns()
{
    const auto update = [](QTreeWidget *tree, int column) {
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = tree->topLevelItem(i);
            item->setText(column,
                          countdown(parseTime(item->data(column, kCooldownRole).toString())));
        }
    };
    update(m_list, CooldownColumn);
    update(m_candidates, CandidateCooldown);
}

void ProvidersPage::runAction(const QString &action)
{
    const QString name = selectedProvider();
    if (name.isEmpty())
        return;
    m_host->call(
        this,
        [name, action](Gateway &gateway) {
            ProviderRuntime *runtime = gateway.agent()->providerRuntime();
            if (action == QLatin1String("clear_api_cooldown"))
                runtime->clearApiCooldown(name);
            else if (action == QLatin1String("clear_history"))
                runtime->clearHistory(name);
            else
                runtime->rerank(name);
            return true;
        },
        [this, action, name](bool) {
            const QString text = action == QLatin1String("clear_api_cooldown")
                                     ? tr("Cooldown of %1 cleared.").arg(name)
                                 : action == QLatin1String("clear_history")
                                     ? tr("History of %1 cleared.").arg(name)
                                     : tr("Candidates of %1 re-ranked.").arg(name);
            m_result->setText(text);
            Q_EMIT notice(text);
            refresh();
        });
}

void ProvidersPage::saveModels()
{
    const QString name = selectedProvider();
    const QStringList models =
        ProviderConfig::cleanModels(m_models->toPlainText().split(QLatin1Char('\n')));
    if (name.isEmpty())
        return;
    if (models.isEmpty()) {
        m_result->setText(tr("Enter at least one model."));
        return;
    }
    m_saveModels->setEnabled(false);
    m_host->callLater<ConfigStore::SaveResult>(
        this,
        [name, models](Gateway &gateway, std::function<void(ConfigStore::SaveResult)> deliver) {
            gateway.configStore()->update(
                QStringLiteral("gui"),
                [name, models](const QJsonObject &file) {
                    return ProviderConfig::withModels(file, name, models);
                },
                &gateway, [deliver](const ConfigStore::SaveResult &result) { deliver(result); });
        },
        [this, name](const ConfigStore::SaveResult &result) {
            m_saveModels->setEnabled(true);
            if (result.status != ConfigStore::SaveResult::Ok) {
                m_result->setText(tr("The models were not saved: %1")
                                      .arg(result.errors.isEmpty()
                                               ? result.error
                                               : result.errors.join(QStringLiteral("; "))));
                return;
            }
            m_modelsEdited = false;
            m_result->setText(tr("Models of %1 saved.").arg(name));
            Q_EMIT notice(m_result->text());
            refresh();
        });
}

void ProvidersPage::test()
{
    const QString name = selectedProvider();
    if (name.isEmpty())
        return;
    m_test->setEnabled(false);
    m_result->setText(tr("Asking %1…").arg(name));
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    m_host->callLater<QPair<bool, QString>>(
        this,
        [name](Gateway &gateway, std::function<void(QPair<bool, QString>)> deliver) {
            ProviderSettings settings;
            QString error;
            if (!ProviderConfig::settingsFor(gateway.configStore()->effective(), {name, QString()},
                                             &settings, &error))
                return deliver(qMakePair(false, error));
            settings.relay = gateway.agent()->relay();
            // The test counts like any request: a failure shows up in the runtime too.
            ProviderRuntime *runtime = gateway.agent()->providerRuntime();
            QList<ProviderRuntime::Candidate> cooling;
            QList<ProviderRuntime::Candidate> ready = runtime->candidates(settings, &cooling);
            const ProviderRuntime::Candidate candidate =
                ready.isEmpty() ? cooling.value(0) : ready.first();
            ProviderProbe::check(settings, &gateway,
                                 [deliver, runtime, candidate](bool ok, const QString &message,
                                                               const LlmFailure &failure) {
                                     if (!candidate.kind.isEmpty()) {
                                         if (ok)
                                             runtime->recordSuccess(candidate);
                                         else
                                             runtime->recordFailure(candidate, failure);
                                     }
                                     deliver(qMakePair(ok, message));
                                 });
        },
        [this, name, timer](const QPair<bool, QString> &result) {
            m_test->setEnabled(true);
            m_result->setText(result.first ? tr("%1 answered in %2 ms: %3")
                                                 .arg(name)
                                                 .arg(timer->elapsed())
                                                 .arg(result.second)
                                           : result.second);
        });
}
