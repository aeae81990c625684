#include "cronservice.h"

#include "agent/agentruntime.h"
#include "channels/channelbridge.h"
#include "core/clock.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/logcategories.h"
#include "cronexpression.h"
#include "cronscheduler.h"
#include "cronstore.h"

#include <QPointer>
#include <QTimer>
#include <cmath>

CronService::CronService(ConfigStore *config, AgentRuntime *agent, ChannelBridge *channels,
                         QObject *parent)
    : QObject(parent), m_config(config), m_agent(agent), m_channels(channels),
      m_changedSignal(new QTimer(this)),
      m_store(new CronStore(config->configDir() + QStringLiteral("/cron/jobs.json"), this)),
      m_scheduler(new CronScheduler(m_store, this))
{
    // Starting with 10 000 jobs changes each of them: one signal for the lot.
    m_changedSignal->setSingleShot(true);
    m_changedSignal->setInterval(0);
    connect(m_changedSignal, &QTimer::timeout, this, &CronService::jobsChanged);
    connect(m_store, &CronStore::changed, m_changedSignal, qOverload<>(&QTimer::start));
    connect(m_store, &CronStore::failed, this, &CronService::storeFailed);
    m_scheduler->setRunner([this](const CronJob &job, std::function<void(const QString &)> done) {
        run(job, std::move(done));
    });
    connect(m_store, &CronStore::loaded, m_scheduler, &CronScheduler::start);
    configure();
}

void CronService::start()
{
    m_store->load();
}

void CronService::configure()
{
    const QJsonObject config = m_config->effective();
    const auto value = [&config](const char *key, int fallback) {
        const int set = ConfigKeys::integer(config, QStringLiteral("cron.") + QLatin1String(key));
        return set > 0 ? set : fallback;
    };
    CronScheduler::Settings settings;
    settings.retryBackoffBaseSec = value("retry_backoff_base_sec", 30);
    settings.retryBackoffMaxSec = value("retry_backoff_max_sec", 1800);
    settings.maxConsecutiveFailureRetries = qMax(
        0, ConfigKeys::integer(config, QStringLiteral("cron.max_consecutive_failure_retries")));
    settings.maxWorkers = value("max_workers", 4);
    m_scheduler->setSettings(settings);
}

QString CronService::runNow(const QString &id)
{
    if (!m_store->isLoaded())
        return QStringLiteral("the cron jobs are still being read");
    return m_scheduler->runNow(id);
}

bool CronService::isReminder(const CronJob &job)
{
    return job.schedule.kind == QLatin1String("at") && job.name == QLatin1String("Reminder");
}

void CronService::run(const CronJob &job, std::function<void(const QString &error)> done)
{
    const QString message = job.payload.message.trimmed();
    if (message.isEmpty())
        return done(QString());
    QString to = job.payload.to.trimmed();
    const QString channel = job.payload.channel.trimmed();
    // clawgo's "weixin:<chat>" → "<chat>"; a desktop chat id is a whole session key, which may
    // itself start with "desktop:" (the window's new sessions do).
    if (channel.compare(QLatin1String("desktop"), Qt::CaseInsensitive) != 0 &&
        to.startsWith(channel + QLatin1Char(':'), Qt::CaseInsensitive))
        to = to.mid(channel.size() + 1);
    const bool hasChat = !channel.isEmpty() && !to.isEmpty();
    if (hasChat && (!job.payload.deliver || isReminder(job))) {
        // The text itself goes to the chat; the run is over once the channel says so.
        return m_channels->send(channel, to, job.payload.message, std::move(done));
    }
    ChatJob *turn = m_agent->submit(QStringLiteral("cron:") + job.id, job.payload.message);
    auto answered = std::make_shared<bool>(false);
    QPointer<ChannelBridge> channels(m_channels);
    connect(turn, &ChatJob::finished, this,
            [done, answered, hasChat, channels, channel, to](const QString &reply) {
                if (std::exchange(*answered, true))
                    return;
                if (!hasChat || reply.trimmed().isEmpty())
                    return done(QString());
                // `deliver`: the reply goes to the job's chat.
                if (!channels)
                    return done(QStringLiteral("the channels are gone"));
                channels->send(channel, to, reply, done);
            });
    connect(turn, &ChatJob::failed, this, [done, answered](const QString &error) {
        if (!std::exchange(*answered, true))
            done(error.isEmpty() ? QStringLiteral("the agent turn failed") : error);
    });
}

QJsonObject CronService::normalized(const CronJob &job)
{
    QJsonObject out = job.toJson();
    if (!job.schedule.expr.trimmed().isEmpty())
        out.insert("expr", job.schedule.expr);
    else if (job.schedule.kind == QLatin1String("at") && job.schedule.atMs > 0)
        out.insert("expr", Clock::rfc3339(QDateTime::fromMSecsSinceEpoch(job.schedule.atMs)));
    out.insert("message", job.payload.message);
    out.insert("deliver", job.payload.deliver);
    if (!job.payload.channel.isEmpty())
        out.insert("channel", job.payload.channel);
    if (!job.payload.to.isEmpty())
        out.insert("to", job.payload.to);
    return out;
}

bool CronService::applySchedule(CronJob *job, const QJsonObject &args, bool required,
                                QString *error)
{
    const QString expr = args.value("expr").toString().trimmed();
    const QString kind = args.value("kind").toString().trimmed().toLower();
    if (!expr.isEmpty()) {
        job->schedule = CronJob::Schedule();
        job->schedule.kind = QStringLiteral("cron");
        job->schedule.expr = expr; // a new expression drops any tz
    } else if (kind == QLatin1String("every") && args.value("everyMs").toDouble() > 0) {
        // Longer than Go can count (the reference overflows into nonsense): refused.
        const double everyMs = args.value("everyMs").toDouble();
        if (!std::isfinite(everyMs) || everyMs > double(CronJob::kLongestEveryMs)) {
            *error = QStringLiteral("invalid cron expression: everyMs out of range");
            return false;
        }
        job->schedule = CronJob::Schedule();
        job->schedule.kind = QStringLiteral("every");
        job->schedule.everyMs = qint64(everyMs);
    } else if (kind == QLatin1String("once") || kind == QLatin1String("at")) {
        const double atMs = args.value("atMs").toDouble();
        // After the year 9999 is no time a job can be due at.
        if (!std::isfinite(atMs) || atMs > 253402300799999.0) {
            *error = QStringLiteral("invalid one-time schedule");
            return false;
        }
        const qint64 at = qint64(atMs);
        job->schedule = CronJob::Schedule();
        job->schedule.kind = QStringLiteral("at");
        job->schedule.atMs = at > 0 ? at : Clock::nowMs() + 60 * 1000;
    } else if (required || !kind.isEmpty()) {
        *error = QStringLiteral("expr required");
        return false;
    } else {
        return true; // schedule unchanged
    }
    job->normalize();
    m_scheduler->nextRunFor(*job, Clock::nowMs(), error);
    return error->isEmpty();
}

void CronService::handle(const QString &actionIn, const QJsonObject &args, Answer answer)
{
    const QString action = actionIn.trimmed().toLower();
    const QString id = args.value("id").toString().trimmed();
    const auto text = [&args](const char *key) {
        return args.value(QLatin1String(key)).toString().trimmed();
    };
    const auto result = [&answer](const QJsonObject &value) {
        answer(200, QJsonObject{{"ok", true}, {"result", value}}, {});
    };
    if (!m_store->isLoaded())
        return answer(503, {}, QStringLiteral("the cron jobs are still being read"));
    if (action.isEmpty() || action == QLatin1String("list")) {
        QJsonArray jobs;
        for (const CronJob &job : m_store->jobs())
            jobs.append(normalized(job));
        return answer(200, QJsonObject{{"ok", true}, {"jobs", jobs}}, {});
    }
    if (action == QLatin1String("get")) {
        if (id.isEmpty())
            return answer(400, {}, QStringLiteral("id required"));
        const std::optional<CronJob> job = m_store->job(id);
        if (!job)
            return answer(404, {}, QStringLiteral("job not found: %1").arg(id));
        return answer(200, QJsonObject{{"ok", true}, {"job", normalized(*job)}}, {});
    }
    const qint64 now = Clock::nowMs();
    if (action == QLatin1String("create")) {
        CronJob job;
        job.id = QString::number(now * 1000000 + qint64(m_store->jobs().size()));
        job.name = text("name").isEmpty() ? QStringLiteral("webui-cron") : text("name");
        job.payload.message = text("message");
        if (job.payload.message.isEmpty())
            return answer(400, {}, QStringLiteral("message required"));
        job.payload.deliver = args.value("deliver").toBool();
        job.payload.channel = text("channel");
        job.payload.to = text("to");
        QString error;
        if (!applySchedule(&job, args, true, &error))
            return answer(400, {}, error);
        job.createdAtMs = job.updatedAtMs = now;
        job.state.nextRunAtMs = m_scheduler->nextRunFor(job, now);
        m_store->upsert(job);
        return result(normalized(*m_store->job(job.id)));
    }
    if (action == QLatin1String("update")) {
        if (id.isEmpty())
            return answer(400, {}, QStringLiteral("id required"));
        std::optional<CronJob> found = m_store->job(id);
        if (!found)
            return answer(404, {}, QStringLiteral("job not found: %1").arg(id));
        CronJob job = *found;
        if (!text("name").isEmpty())
            job.name = text("name");
        if (!text("message").isEmpty())
            job.payload.message = text("message");
        if (!text("channel").isEmpty())
            job.payload.channel = text("channel");
        if (!text("to").isEmpty())
            job.payload.to = text("to");
        // Ours: an explicit null clears them (clawgo ignores empty strings, so a job's chat
        // could never be taken away).
        if (args.contains(QLatin1String("channel")) && args.value("channel").isNull())
            job.payload.channel.clear();
        if (args.contains(QLatin1String("to")) && args.value("to").isNull())
            job.payload.to.clear();
        if (args.value("enabled").isBool())
            job.enabled = args.value("enabled").toBool();
        if (args.value("deliver").isBool())
            job.payload.deliver = args.value("deliver").toBool();
        QString error;
        if (!applySchedule(&job, args, false, &error))
            return answer(400, {}, error);
        job.updatedAtMs = now;
        job.state.nextRunAtMs = job.enabled ? m_scheduler->nextRunFor(job, now) : 0;
        m_store->upsert(job);
        return result(normalized(job));
    }
    if (action == QLatin1String("delete"))
        return result(QJsonObject{{"deleted", m_store->remove(id)}, {"id", id}});
    if (action == QLatin1String("enable") || action == QLatin1String("disable")) {
        std::optional<CronJob> found = m_store->job(id);
        if (found) {
            CronJob job = *found;
            job.enabled = action == QLatin1String("enable");
            job.updatedAtMs = now;
            job.state.nextRunAtMs = job.enabled ? m_scheduler->nextRunFor(job, now) : 0;
            m_store->upsert(job);
        }
        return result(QJsonObject{{"ok", found.has_value()}, {"id", id}});
    }
    if (action == QLatin1String("run")) { // ours: run a job now, outside its schedule
        if (id.isEmpty())
            return answer(400, {}, QStringLiteral("id required"));
        if (!m_store->job(id))
            return answer(404, {}, QStringLiteral("job not found: %1").arg(id));
        const QString error = m_scheduler->runNow(id);
        if (!error.isEmpty())
            return answer(409, {}, error);
        return result(QJsonObject{{"started", true}, {"id", id}});
    }
    answer(400, {}, QStringLiteral("unsupported cron action: %1").arg(action));
}
