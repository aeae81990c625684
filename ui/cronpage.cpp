#include "cronpage.h"

#include "cron/cronscheduler.h"
#include "cron/cronservice.h"
#include "cron/cronstore.h"
#include "cronwords.h"
#include "gateway.h"
#include "gatewayhost.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

struct JobsSnapshot
{
    bool loaded = false;
    QList<CronJob> jobs;
    QSet<QString> running;
};

struct ActionAnswer
{
    int status = 0;
    QJsonObject json;
    QString error;
};

QString when(qint64 ms)
{
    return ms > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat)
                  : QString();
}

QLabel *errorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #b00020;"));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    return label;
}

enum Column
{
    NameColumn,
    ScheduleColumn,
    NextColumn,
    LastColumn,
    StatusColumn
};

} // namespace

CronJobDialog::CronJobDialog(const CronJob &job, bool isNew, QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit(job.name, this)),
      m_message(new QPlainTextEdit(job.payload.message, this)), m_kind(new QComboBox(this)),
      // The job's zone stays part of what is edited (saving a new expression drops `tz`).
      m_expr(new QLineEdit(
          job.schedule.kind == QLatin1String("at") ? QString() : job.effectiveExpression(), this)),
      m_at(new QDateTimeEdit(this)), m_validation(new QLabel(this)),
      m_preview(new QListWidget(this)), m_channel(new QComboBox(this)),
      m_to(new QLineEdit(job.payload.to, this)),
      m_deliver(
          new QCheckBox(tr("Send the agent's reply there (otherwise the message itself)"), this)),
      m_error(errorLabel(this)), m_id(job.id)
{
    setWindowTitle(isNew ? tr("New scheduled job") : tr("Edit scheduled job"));
    m_name->setPlaceholderText(tr("Morning brief"));
    m_message->setPlaceholderText(tr("What the agent is asked, or the reminder's text"));
    m_message->setTabChangesFocus(true);
    m_message->setMaximumHeight(90);
    m_kind->addItem(tr("Repeats (cron expression)"), QStringLiteral("cron"));
    m_kind->addItem(tr("Once"), QStringLiteral("at"));
    m_kind->setCurrentIndex(job.schedule.kind == QLatin1String("at") ? 1 : 0);
    m_expr->setPlaceholderText(QStringLiteral("0 9 * * 1-5"));
    m_expr->setToolTip(tr("minute hour day-of-month month day-of-week, a descriptor such as "
                          "@daily, or @every 1h30m; CRON_TZ=Asia/Shanghai in front for a zone"));
    m_expr->setAccessibleName(tr("Cron expression"));
    m_at->setCalendarPopup(true);
    m_at->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_at->setDateTime(job.schedule.atMs > 0 ? QDateTime::fromMSecsSinceEpoch(job.schedule.atMs)
                                            : QDateTime::currentDateTime().addSecs(3600));
    m_preview->setAccessibleName(tr("Next runs"));
    m_preview->setMaximumHeight(110);
    m_preview->setFocusPolicy(Qt::NoFocus);
    m_channel->addItem(tr("Nowhere (kept in the job's session)"), QString());
    m_channel->addItem(tr("A chat of this window (desktop)"), QStringLiteral("desktop"));
    m_channel->addItem(tr("Weixin"), QStringLiteral("weixin"));
    const int channel = m_channel->findData(job.payload.channel);
    if (channel >= 0) {
        m_channel->setCurrentIndex(channel);
    } else if (!job.payload.channel.isEmpty()) {
        m_channel->addItem(job.payload.channel, job.payload.channel);
        m_channel->setCurrentIndex(m_channel->count() - 1);
    }
    m_to->setPlaceholderText(tr("session name, or bot id|user id for Weixin"));
    m_deliver->setChecked(job.payload.deliver);

    auto *form = m_form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Message"), m_message);
    form->addRow(tr("Schedule"), m_kind);
    form->addRow(tr("Expression"), m_expr);
    form->addRow(tr("At"), m_at);
    form->addRow(QString(), m_validation);
    form->addRow(tr("Next runs"), m_preview);
    form->addRow(tr("Deliver to"), m_channel);
    form->addRow(tr("Chat"), m_to);
    form->addRow(QString(), m_deliver);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_save = buttons->button(QDialogButtonBox::Save);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    // Saving waits for the gateway's answer: a refusal shows here, with the form kept.
    connect(buttons, &QDialogButtonBox::accepted, this, &CronJobDialog::saveRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_expr, &QLineEdit::textChanged, this, &CronJobDialog::validate);
    connect(m_at, &QDateTimeEdit::dateTimeChanged, this, &CronJobDialog::validate);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &CronJobDialog::validate);
    connect(m_message, &QPlainTextEdit::textChanged, this, &CronJobDialog::validate);
    connect(m_channel, &QComboBox::currentIndexChanged, this, &CronJobDialog::validate);
    connect(m_to, &QLineEdit::textChanged, this, &CronJobDialog::validate);
    validate();
    resize(520, sizeHint().height());
}

void CronJobDialog::validate()
{
    const bool once = m_kind->currentData().toString() == QLatin1String("at");
    const bool chat = !m_channel->currentData().toString().isEmpty();
    m_form->setRowVisible(m_expr, !once);
    m_form->setRowVisible(m_at, once);
    m_form->setRowVisible(m_to, chat);
    m_form->setRowVisible(m_deliver, chat);
    m_preview->clear();
    QString problem;
    if (once) {
        if (m_at->dateTime() <= QDateTime::currentDateTime())
            problem = QStringLiteral("invalid one-time schedule");
        else
            m_preview->addItem(QLocale().toString(m_at->dateTime(), QLocale::LongFormat));
    } else {
        const CronWords::Preview preview =
            CronWords::preview(m_expr->text(), QDateTime::currentDateTime());
        problem = preview.error;
        for (const QDateTime &run : preview.runs)
            m_preview->addItem(
                QLocale().toString(run, QStringLiteral("ddd yyyy-MM-dd HH:mm")) +
                (run.timeZone() == QTimeZone::systemTimeZone()
                     ? QString()
                     : QStringLiteral(" (%1)").arg(QString::fromUtf8(run.timeZone().id()))));
        if (problem.isEmpty() && preview.runs.isEmpty())
            problem = tr("This expression never runs.");
    }
    const bool noMessage = m_message->toPlainText().trimmed().isEmpty();
    const bool noChat = chat && m_to->text().trimmed().isEmpty();
    if (problem.isEmpty() && (noMessage || noChat)) { // guidance, not an error
        m_validation->setText(noMessage ? tr("Write the message first.")
                                        : tr("Say which chat it goes to (for this window: a "
                                             "session name such as main)."));
        m_validation->setStyleSheet(QString());
        m_save->setEnabled(false);
        return;
    }
    if (problem.isEmpty()) {
        m_validation->setText(once ? tr("Runs once.")
                                   : CronWords::describeExpression(m_expr->text()));
        m_validation->setStyleSheet(QString());
    } else {
        m_validation->setText(problem);
        m_validation->setStyleSheet(QStringLiteral("color: #b00020;"));
    }
    m_save->setEnabled(problem.isEmpty() && !m_saving);
}

QString CronJobDialog::validationText() const
{
    return m_validation->text();
}

void CronJobDialog::setSaving(bool saving)
{
    m_saving = saving;
    validate();
}

void CronJobDialog::setError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

QJsonObject CronJobDialog::arguments() const
{
    const QString channel = m_channel->currentData().toString();
    QJsonObject args{{"name", m_name->text().trimmed()},
                     {"message", m_message->toPlainText().trimmed()},
                     {"deliver", m_deliver->isChecked() && !channel.isEmpty()}};
    // "Nowhere" takes the job's chat away (null clears; an empty string would be ignored).
    args.insert("channel", channel.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(channel));
    args.insert("to", channel.isEmpty() ? QJsonValue(QJsonValue::Null)
                                        : QJsonValue(m_to->text().trimmed()));
    if (m_kind->currentData().toString() == QLatin1String("at")) {
        args.insert("kind", "at");
        args.insert("atMs", double(m_at->dateTime().toMSecsSinceEpoch()));
    } else {
        args.insert("expr", m_expr->text().trimmed());
    }
    if (!m_id.isEmpty()) {
        args.insert("action", "update");
        args.insert("id", m_id);
    } else {
        args.insert("action", "create");
    }
    return args;
}

CronPage::CronPage(GatewayHost *host, QWidget *parent)
    : QWidget(parent), m_host(host), m_list(new QTreeWidget(this)),
      m_empty(new QLabel(tr("No scheduled jobs yet. A job asks the agent something on a "
                            "schedule, or sends a reminder; the agent sets reminders itself when "
                            "asked in a chat."),
                         this)),
      m_detail(new QLabel(this)), m_error(errorLabel(this)),
      m_new(new QPushButton(tr("New…"), this)), m_edit(new QPushButton(tr("Edit…"), this)),
      m_run(new QPushButton(tr("Run now"), this)), m_toggle(new QPushButton(tr("Disable"), this)),
      m_delete(new QPushButton(tr("Delete…"), this)),
      m_history(new QPushButton(tr("Open its session"), this))
{
    auto *title = new QLabel(tr("<b>Scheduled jobs</b>"), this);
    m_list->setColumnCount(5);
    m_list->setHeaderLabels(
        {tr("Name"), tr("Schedule"), tr("Next run"), tr("Last run"), tr("Status")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->setAccessibleName(tr("Scheduled jobs"));
    m_list->header()->setSectionResizeMode(ScheduleColumn, QHeaderView::Stretch);
    m_list->header()->setStretchLastSection(false);
    m_empty->setWordWrap(true);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_history->setToolTip(tr("Shows the conversation of this job's runs in the Chat page"));
    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {m_new, m_edit, m_run, m_toggle, m_delete, m_history})
        buttons->addWidget(button);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    // With no jobs, the explanation takes the list's place, at the top.
    m_empty->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_detail);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    connect(m_new, &QPushButton::clicked, this, &CronPage::newJob);
    connect(m_edit, &QPushButton::clicked, this, &CronPage::editSelected);
    connect(m_run, &QPushButton::clicked, this, &CronPage::runSelected);
    connect(m_toggle, &QPushButton::clicked, this, &CronPage::toggleSelected);
    connect(m_delete, &QPushButton::clicked, this, &CronPage::deleteSelected);
    connect(m_history, &QPushButton::clicked, this, &CronPage::openHistory);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &CronPage::updateButtons);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &CronPage::editSelected);
    connect(host, &GatewayHost::cronChanged, this, &CronPage::reload);
    updateButtons();
}

void CronPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale || m_jobs.isEmpty())
        reload();
}

void CronPage::reload()
{
    // Hidden, the page only notes that it is out of date (10 000 jobs take a while to list).
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    if (m_loading) { // a change while the last one was read: read again after it
        m_reloadAgain = true;
        return;
    }
    m_loading = true;
    m_host->call(
        this,
        [](Gateway &gateway) {
            JobsSnapshot snapshot;
            snapshot.loaded = gateway.cron()->store()->isLoaded();
            snapshot.jobs = gateway.cron()->store()->jobs();
            snapshot.running = gateway.cron()->scheduler()->runningIds();
            return snapshot;
        },
        [this](const JobsSnapshot &snapshot) {
            m_loading = false;
            if (snapshot.loaded)
                show(snapshot.jobs, snapshot.running);
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

void CronPage::show(const QList<CronJob> &jobs, const QSet<QString> &running)
{
    QString selected = selectedId();
    if (!m_selectAfterReload.isEmpty())
        selected = std::exchange(m_selectAfterReload, QString());
    m_jobs = jobs;
    m_running = running;
    // Soonest first; disabled jobs after them.
    std::stable_sort(m_jobs.begin(), m_jobs.end(), [](const CronJob &a, const CronJob &b) {
        const qint64 left = a.enabled && a.state.nextRunAtMs > 0
                                ? a.state.nextRunAtMs
                                : std::numeric_limits<qint64>::max();
        const qint64 right = b.enabled && b.state.nextRunAtMs > 0
                                 ? b.state.nextRunAtMs
                                 : std::numeric_limits<qint64>::max();
        return left < right;
    });
    m_list->clear();
    for (const CronJob &job : std::as_const(m_jobs)) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setData(NameColumn, Qt::UserRole, job.id);
        item->setText(NameColumn, job.name.isEmpty() ? job.id : job.name);
        item->setToolTip(NameColumn, job.payload.message.left(400));
        item->setText(ScheduleColumn, CronWords::describe(job));
        item->setToolTip(ScheduleColumn, job.schedule.kind == QLatin1String("at")
                                             ? QString()
                                             : job.effectiveExpression());
        item->setText(NextColumn, job.enabled ? when(job.state.nextRunAtMs) : QString());
        item->setText(LastColumn, when(job.state.lastRunAtMs));
        QString status;
        if (m_running.contains(job.id))
            status = tr("running");
        else if (!job.enabled && job.schedule.kind == QLatin1String("at") &&
                 job.state.lastStatus == QLatin1String("ok"))
            status = tr("done"); // a one-time job after its run
        else if (!job.enabled)
            status = tr("disabled");
        else if (job.state.lastStatus == QLatin1String("error"))
            status = tr("failed");
        else if (job.state.lastStatus == QLatin1String("ok"))
            status = tr("ok");
        else
            status = tr("waiting");
        item->setText(StatusColumn, status);
        if (job.state.lastStatus == QLatin1String("error")) {
            item->setForeground(StatusColumn, QColor(0xb0, 0x00, 0x20));
            item->setToolTip(StatusColumn, job.state.lastError);
        }
        if (!job.enabled)
            for (int column = 0; column < m_list->columnCount(); ++column)
                item->setForeground(column, palette().color(QPalette::Disabled, QPalette::Text));
    }
    if (m_jobs.size() <= 500) // measuring every row of a long list costs more than it helps
        for (int column : {NameColumn, NextColumn, LastColumn, StatusColumn})
            m_list->resizeColumnToContents(column);
    m_empty->setVisible(m_jobs.isEmpty());
    m_list->setVisible(!m_jobs.isEmpty());
    select(selected);
    updateButtons();
}

QString CronPage::selectedId() const
{
    const QList<QTreeWidgetItem *> items = m_list->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(NameColumn, Qt::UserRole).toString();
}

void CronPage::select(const QString &id)
{
    for (int row = 0; row < m_list->topLevelItemCount(); ++row) {
        QTreeWidgetItem *item = m_list->topLevelItem(row);
        if (item->data(NameColumn, Qt::UserRole).toString() == id) {
            m_list->setCurrentItem(item);
            return;
        }
    }
}

const CronJob *CronPage::jobById(const QString &id) const
{
    for (const CronJob &job : m_jobs)
        if (job.id == id)
            return &job;
    return nullptr;
}

void CronPage::updateButtons()
{
    const QString id = selectedId();
    const CronJob *job = jobById(id);
    const bool has = job != nullptr;
    for (QPushButton *button : {m_edit, m_run, m_toggle, m_delete, m_history})
        button->setEnabled(has);
    m_run->setEnabled(has && !m_running.contains(id));
    m_toggle->setText(has && !job->enabled ? tr("Enable") : tr("Disable"));
    if (!has) {
        m_detail->clear();
        return;
    }
    QStringList lines;
    lines << tr("Message: %1").arg(job->payload.message.left(300).toHtmlEscaped());
    if (!job->payload.channel.isEmpty())
        lines << tr("Goes to: %1 %2")
                     .arg(job->payload.channel.toHtmlEscaped(), job->payload.to.toHtmlEscaped());
    if (job->state.totalRuns > 0)
        lines << tr("Runs: %1, failed: %2").arg(job->state.totalRuns).arg(job->state.totalFailures);
    if (job->state.lastStatus == QLatin1String("error"))
        lines << QStringLiteral("<span style=\"color:#b00020\">%1</span>")
                     .arg(tr("Last error: %1").arg(job->state.lastError.left(500).toHtmlEscaped()));
    m_detail->setText(lines.join(QLatin1String("<br>")));
}

void CronPage::showError(const QString &error)
{
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
}

QString CronPage::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void CronPage::act(const QString &action, const QString &id, const QString &done)
{
    if (id.isEmpty())
        return;
    showError(QString());
    m_host->call(
        this,
        [action, id](Gateway &gateway) {
            ActionAnswer answer;
            gateway.cron()->handle(
                action, QJsonObject{{"id", id}},
                [&answer](int status, const QJsonObject &json, const QString &error) {
                    answer = {status, json, error};
                });
            return answer;
        },
        [this, done](const ActionAnswer &answer) {
            if (answer.status != 200)
                showError(answer.error);
            else
                Q_EMIT notice(done);
            reload();
        });
}

void CronPage::newJob()
{
    CronJob job;
    job.schedule.kind = QStringLiteral("cron");
    job.schedule.expr = QStringLiteral("0 9 * * *");
    openDialog(new CronJobDialog(job, true, this));
}

void CronPage::editSelected()
{
    const QString id = selectedId();
    const CronJob *job = jobById(id);
    if (!job)
        return;
    openDialog(new CronJobDialog(*job, false, this));
}

void CronPage::openDialog(CronJobDialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &CronJobDialog::saveRequested, this,
            [this, dialog] { save(dialog->arguments(), dialog); });
    dialog->open();
}

void CronPage::save(const QJsonObject &arguments, CronJobDialog *dialog)
{
    showError(QString());
    QPointer<CronJobDialog> form(dialog);
    if (form)
        form->setSaving(true); // one save at a time: a double click makes one job
    m_host->call(
        this,
        [arguments](Gateway &gateway) {
            ActionAnswer answer;
            gateway.cron()->handle(
                arguments.value("action").toString(), arguments,
                [&answer](int status, const QJsonObject &json, const QString &error) {
                    answer = {status, json, error};
                });
            return answer;
        },
        [this, form](const ActionAnswer &answer) {
            if (form)
                form->setSaving(false);
            if (answer.status != 200) {
                if (form)
                    form->setError(answer.error);
                else
                    showError(tr("The job was not saved: %1").arg(answer.error));
                return;
            }
            if (form)
                form->accept();
            m_selectAfterReload = answer.json.value("result").toObject().value("id").toString();
            Q_EMIT notice(tr("Saved the job."));
            reload();
        });
}

void CronPage::runSelected()
{
    const QString id = selectedId();
    if (id.isEmpty())
        return;
    showError(QString());
    m_host->call(
        this, [id](Gateway &gateway) { return gateway.cron()->runNow(id); },
        [this](const QString &error) {
            if (!error.isEmpty())
                showError(error);
            else
                Q_EMIT notice(tr("The job runs now."));
            reload();
        });
}

void CronPage::toggleSelected()
{
    const QString id = selectedId();
    const CronJob *job = jobById(id);
    if (!job)
        return;
    if (job->enabled)
        act(QStringLiteral("disable"), id, tr("The job is disabled."));
    else
        act(QStringLiteral("enable"), id, tr("The job is enabled."));
}

void CronPage::deleteSelected()
{
    const QString id = selectedId();
    const CronJob *job = jobById(id);
    if (!job)
        return;
    auto *ask = new QMessageBox(
        QMessageBox::Question, tr("Delete the job"),
        tr("Delete “%1”? It will not run again.").arg(job->name.isEmpty() ? job->id : job->name),
        QMessageBox::Cancel, this);
    ask->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    connect(ask, &QMessageBox::buttonClicked, this, [this, ask, id](QAbstractButton *button) {
        if (ask->buttonRole(button) == QMessageBox::DestructiveRole)
            act(QStringLiteral("delete"), id, tr("The job is deleted."));
    });
    ask->open();
}

void CronPage::openHistory()
{
    const QString id = selectedId();
    if (!id.isEmpty())
        Q_EMIT openSession(QStringLiteral("cron:") + id);
}
