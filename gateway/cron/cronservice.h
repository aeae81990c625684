#pragma once

#include "cronjob.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

class AgentRuntime;
class ChannelBridge;
class ConfigStore;
class QTimer;
class CronScheduler;
class CronStore;

// clawgo's cron service in the gateway: the jobs of `<dir>/cron/jobs.json` (CronStore), run by
// the CronScheduler with the `cron.*` settings, and the actions of `/api/cron` (spec/agent.md
// §5.5–5.6, api.md §13). What a run does:
//  - a reminder (what the `remind` tool sets) and, as in the reference, any job with a channel
//    and a recipient but `deliver` off: its text goes to that chat through the message bus;
//  - a job with `deliver` on, a channel and a recipient: an agent turn in the session
//    `cron:<id>` whose reply goes to that chat (the reference ignored `deliver`);
//  - any other job: an agent turn in `cron:<id>`, its reply kept in that session.
// Either way a failure is reported as one (lastStatus "error"), unlike the reference.
class CronService : public QObject
{
    Q_OBJECT

public:
    CronService(ConfigStore *config, AgentRuntime *agent, ChannelBridge *channels,
                QObject *parent = nullptr);
    ChannelBridge *channels() const { return m_channels; }

    void start();
    // Re-reads the cron.* settings.
    void configure();
    CronStore *store() const { return m_store; }
    CronScheduler *scheduler() const { return m_scheduler; }

    using Answer = std::function<void(int status, const QJsonObject &json, const QString &error)>;
    // One /api/cron action (`list`, `get`, `create`, `update`, `delete`, `enable`, `disable`)
    // with its arguments; answers the route's JSON or the action's error text.
    void handle(const QString &action, const QJsonObject &args, Answer answer);
    // Runs a job now (see CronScheduler::runNow); "" or why not.
    QString runNow(const QString &id);
    // A job as the API shows it: the job plus expr, message, deliver, channel and to.
    static QJsonObject normalized(const CronJob &job);
    // A job the `remind` tool set (clawgo's and ours): a one-time job named "Reminder".
    static bool isReminder(const CronJob &job);

Q_SIGNALS:
    // The jobs changed (through the API, a tool, a run or an outside edit of the file); one
    // signal per turn of the event loop however many changed.
    void jobsChanged();
    // jobs.json could not be read (the jobs we had keep running) or written.
    void storeFailed(const QString &error);

private:
    void run(const CronJob &job, std::function<void(const QString &error)> done);
    bool applySchedule(CronJob *job, const QJsonObject &args, bool required, QString *error);

    ConfigStore *m_config;
    AgentRuntime *m_agent;
    ChannelBridge *m_channels;
    QTimer *m_changedSignal;
    CronStore *m_store;
    CronScheduler *m_scheduler;
};
