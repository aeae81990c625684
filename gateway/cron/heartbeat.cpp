#include "heartbeat.h"

#include "agent/agentruntime.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/logcategories.h"
#include "core/safefile.h"

#include <QDir>
#include <QFile>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>

namespace {

constexpr qint64 kWorkspaceFileCap = 256 * 1024;

QString readText(const QString &path)
{
    const SafeFile::ReadResult read = SafeFile::read(path, kWorkspaceFileCap);
    return read.ok() ? QString::fromUtf8(read.data) : QString();
}

struct PromptFiles
{
    QString agents;
    QString heartbeat;
};

} // namespace

Heartbeat::Heartbeat(ConfigStore *config, AgentRuntime *agent, QObject *parent)
    : QObject(parent), m_config(config), m_agent(agent), m_timer(new QTimer(this))
{
    // Precise, so the phase (what is left of an interval) is what it says; one timer per half
    // hour costs nothing.
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &Heartbeat::beat);
}

void Heartbeat::start()
{
    m_started = true;
    configure();
    runBootstrap();
}

void Heartbeat::configure()
{
    if (!m_started)
        return;
    const QJsonObject config = m_config->effective();
    const QString prefix = QStringLiteral("agents.defaults.heartbeat.");
    if (!ConfigKeys::flag(config, prefix + QLatin1String("enabled"))) {
        if (m_timer->isActive())
            qCInfo(lcCron) << "heartbeat off";
        m_timer->stop();
        return;
    }
    const int seconds = ConfigKeys::integer(config, prefix + QLatin1String("every_sec"));
    const int interval =
        qBound(1, seconds > 0 ? seconds : 1800, 20 * 24 * 3600) * 1000; // QTimer: int ms
    if (m_timer->isActive() && m_timer->interval() == interval)
        return; // same interval: the phase stays
    qCInfo(lcCron).noquote() << "heartbeat every" << interval / 1000 << "s";
    m_timer->start(interval); // the first beat after one interval, as in the reference
}

int Heartbeat::remainingMs() const
{
    return m_timer->isActive() ? m_timer->remainingTime() : -1;
}

bool Heartbeat::isArmed() const
{
    return m_timer->isActive();
}

int Heartbeat::intervalMs() const
{
    return m_timer->isActive() ? m_timer->interval() : -1;
}

bool Heartbeat::hasTasks(const QString &heartbeatMd)
{
    static const QRegularExpression comments(QStringLiteral("<!--.*?(-->|$)"),
                                             QRegularExpression::DotMatchesEverythingOption);
    // What our first template said (workspaces made by early builds still have it).
    static const QString oldTemplateLine =
        QStringLiteral("Things to check on each periodic heartbeat. Leave empty to do nothing.");
    QString text = heartbeatMd;
    text.remove(comments);
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (!line.isEmpty() && !line.startsWith(QLatin1Char('#')) && line != oldTemplateLine)
            return true;
    }
    return false;
}

QString Heartbeat::ackToken(const QString &agentsMd, const QString &heartbeatMd)
{
    static const QString key = QStringLiteral("heartbeat_ack_token:");
    for (const QString &text : {agentsMd, heartbeatMd}) {
        for (const QString &raw : text.split(QLatin1Char('\n'))) {
            qsizetype start = 0;
            while (start < raw.size() && QStringLiteral("-*# \t").contains(raw.at(start)))
                ++start;
            const QString line = raw.mid(start).trimmed();
            if (!line.startsWith(key, Qt::CaseInsensitive))
                continue;
            QString value = line.mid(key.size());
            qsizetype from = 0;
            qsizetype to = value.size();
            static const QString strip = QStringLiteral(" \t`'\"");
            while (from < to && strip.contains(value.at(from)))
                ++from;
            while (to > from && strip.contains(value.at(to - 1)))
                --to;
            return value.mid(from, to - from);
        }
    }
    return QString();
}

QString Heartbeat::prompt(const QString &promptTemplate, const QString &agentsMd,
                          const QString &heartbeatMd, const QDateTime &now)
{
    QString head = promptTemplate.trimmed();
    if (head.isEmpty()) {
        head = QStringLiteral("Follow workspace policy in AGENTS.md first, then HEARTBEAT.md.");
        const QString token = ackToken(agentsMd, heartbeatMd);
        if (!token.isEmpty())
            head += QStringLiteral(" If no action is needed, return %1.").arg(token);
    }
    return QStringLiteral("%1\n\nCurrent time: %2\n\n## AGENTS.md\n%3\n\n## HEARTBEAT.md\n%4\n")
        .arg(head, now.toString(QStringLiteral("yyyy-MM-dd HH:mm")), agentsMd.trimmed(),
             hasTasks(heartbeatMd) ? heartbeatMd : QString());
}

void Heartbeat::beat()
{
    if (m_beating || m_agent->isBusy(QString::fromLatin1(session))) {
        qCInfo(lcCron) << "heartbeat skipped: the previous one still runs";
        Q_EMIT beaten(QStringLiteral("skipped"));
        return;
    }
    m_beating = true;
    const QString workspace = m_agent->workspace();
    const QString promptTemplate = ConfigKeys::string(
        m_config->effective(), QStringLiteral("agents.defaults.heartbeat.prompt_template"));
    Background::run(
        this,
        [workspace] {
            return PromptFiles{readText(workspace + QStringLiteral("/AGENTS.md")),
                               readText(workspace + QStringLiteral("/HEARTBEAT.md"))};
        },
        [this, workspace, promptTemplate](const PromptFiles &files) {
            if (!hasTasks(files.heartbeat)) {
                m_beating = false;
                qCInfo(lcCron) << "heartbeat skipped: HEARTBEAT.md holds no tasks";
                Q_EMIT beaten(QStringLiteral("skipped"));
                return;
            }
            const QString text = prompt(promptTemplate, files.agents, files.heartbeat,
                                        Clock::nowUtc().toLocalTime());
            ChatJob *turn = m_agent->submit(QString::fromLatin1(session), text);
            connect(turn, &ChatJob::finished, this, [this](const QString &) {
                m_beating = false;
                Q_EMIT beaten(QStringLiteral("ok"));
            });
            connect(turn, &ChatJob::failed, this, [this, workspace](const QString &error) {
                m_beating = false;
                qCWarning(lcCron).noquote() << "heartbeat failed:" << error;
                logFailure(workspace, error);
                Q_EMIT beaten(error.isEmpty() ? QStringLiteral("failed") : error);
            });
        });
}

void Heartbeat::logFailure(const QString &workspace, const QString &error)
{
    const QString line =
        QStringLiteral("[%1] Heartbeat error: %2\n")
            .arg(Clock::nowUtc().toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                 QString(error).replace(QLatin1Char('\n'), QLatin1Char(' ')).left(2000));
    Background::post([workspace, line] {
        if (!QDir().mkpath(workspace + QStringLiteral("/memory")))
            return;
        QFile log(workspace + QStringLiteral("/memory/heartbeat.log"));
        if (log.open(QIODevice::Append | QIODevice::WriteOnly))
            log.write(line.toUtf8());
    });
}

void Heartbeat::runBootstrap()
{
    const QString workspace = m_agent->workspace();
    const QString bootstrapMd = workspace + QStringLiteral("/BOOTSTRAP.md");
    const QString marker = workspace + QStringLiteral("/memory/bootstrap.init.done");
    Background::run(
        this,
        [bootstrapMd, marker] { return QFile::exists(bootstrapMd) && !QFile::exists(marker); },
        [this, bootstrapMd, marker](bool due) {
            if (!due)
                return;
            qCInfo(lcCron) << "running the one-time bootstrap (BOOTSTRAP.md)";
            ChatJob *turn = m_agent->submit(
                QString::fromLatin1(bootstrapSession),
                QStringLiteral("System startup bootstrap: read BOOTSTRAP.md and perform one-time "
                               "self-initialization checks now. If already initialized, return "
                               "concise status only."));
            QPointer<ChatJob> guard(turn);
            auto *deadline = new QTimer(turn);
            deadline->setSingleShot(true);
            connect(deadline, &QTimer::timeout, this, [this, guard] {
                if (!guard || guard->isOver())
                    return;
                qCWarning(lcCron) << "bootstrap took too long; it runs again at the next start";
                guard->cancel();
                Q_EMIT bootstrapped(false, QStringLiteral("timed out"));
            });
            deadline->start(m_bootstrapTimeoutMs);
            connect(turn, &ChatJob::failed, this, [this, deadline](const QString &error) {
                deadline->stop();
                qCWarning(lcCron).noquote()
                    << "bootstrap failed (it runs again at the next start):" << error;
                Q_EMIT bootstrapped(false, error);
            });
            connect(turn, &ChatJob::finished, this,
                    [this, bootstrapMd, marker, deadline](const QString &reply) {
                        deadline->stop();
                        const QString text = Clock::rfc3339(Clock::nowUtc()) + QLatin1Char('\n') +
                                             reply + QLatin1Char('\n');
                        Background::run(
                            this,
                            [bootstrapMd, marker, text] {
                                QDir().mkpath(QFileInfo(marker).absolutePath());
                                QFile file(marker);
                                if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
                                    file.write(text.toUtf8()) < 0 || !file.flush())
                                    return false;
                                file.close();
                                QFile::remove(bootstrapMd);
                                return true;
                            },
                            [this](bool ok) {
                                if (ok)
                                    qCInfo(lcCron) << "bootstrap done; BOOTSTRAP.md removed";
                                Q_EMIT bootstrapped(ok,
                                                    ok ? QStringLiteral("done")
                                                       : QStringLiteral("cannot write the marker"));
                            });
                    });
        });
}
