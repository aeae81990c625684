#pragma once

#include "cronjob.h"

#include <QJsonObject>
#include <QObject>
#include <functional>

class AgentRuntime;
class ConfigStore;
class CronScheduler;
class CronStore;

// clawgo's cron service in the gateway: the jobs of `<dir>/cron/jobs.json` (CronStore), run by
// the CronScheduler with the `cron.*` settings, and the actions of `/api/cron` (spec/agent.md
// §5.5–5.6, api.md §13). A run with a channel and a recipient delivers its message there (a
// reminder); any other run is an agent turn in the session `cron:<id>`. Either way a failure is
// reported as one (lastStatus "error"), unlike the reference.
class CronService : public QObject
{
    Q_OBJECT

public:
    // `deliver(channel, to, text)` sends a message to a chat; "" or the reason it could not.
    using Deliver =
        std::function<QString(const QString &channel, const QString &to, const QString &text)>;
    CronService(ConfigStore *config, AgentRuntime *agent, Deliver deliver,
                QObject *parent = nullptr);

    void start();
    // Re-reads the cron.* settings.
    void configure();
    CronStore *store() const { return m_store; }
    CronScheduler *scheduler() const { return m_scheduler; }

    using Answer = std::function<void(int status, const QJsonObject &json, const QString &error)>;
    // One /api/cron action (`list`, `get`, `create`, `update`, `delete`, `enable`, `disable`)
    // with its arguments; answers the route's JSON or the action's error text.
    void handle(const QString &action, const QJsonObject &args, Answer answer);
    // A job as the API shows it: the job plus expr, message, deliver, channel and to.
    static QJsonObject normalized(const CronJob &job);

private:
    void run(const CronJob &job, std::function<void(const QString &error)> done);
    bool applySchedule(CronJob *job, const QJsonObject &args, bool required, QString *error);

    ConfigStore *m_config;
    AgentRuntime *m_agent;
    Deliver m_deliver;
    CronStore *m_store;
    CronScheduler *m_scheduler;
};
