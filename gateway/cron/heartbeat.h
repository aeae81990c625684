#pragma once

#include <QObject>
#include <QString>

class AgentRuntime;
class ConfigStore;
class QTimer;

// clawgo's heartbeat and bootstrap (spec/agent.md §6). Every `agents.defaults.heartbeat.every_sec`
// the agent gets a turn in the session `heartbeat:default` with the heartbeat prompt
// (AGENTS.md and HEARTBEAT.md, the ack token, the time); its reply stays in that session.
// Unlike the reference:
//  - a HEARTBEAT.md without tasks (only blank lines, headings and HTML comments) skips the beat
//    with a log line instead of paying for one LLM turn per interval;
//  - a settings change that keeps the interval keeps the phase (the reference restarted its
//    ticker on every config reload);
//  - a beat never overlaps the previous one;
//  - a failed turn is written to memory/heartbeat.log.
// At start, a workspace with BOOTSTRAP.md and no memory/bootstrap.init.done gets the one-time
// bootstrap turn; its success writes the marker and removes BOOTSTRAP.md.
class Heartbeat : public QObject
{
    Q_OBJECT

public:
    static constexpr const char *session = "heartbeat:default";
    static constexpr const char *bootstrapSession = "system:bootstrap:init";

    Heartbeat(ConfigStore *config, AgentRuntime *agent, QObject *parent = nullptr);
    // Starts beating (when enabled) and runs the bootstrap if it is due.
    void start();
    // Re-reads the heartbeat settings; the timer restarts only when the interval changed.
    void configure();
    // One beat now (what the timer does).
    void beat();
    bool isArmed() const;
    int intervalMs() const;
    int remainingMs() const; // until the next beat; -1 when off
    // How long the bootstrap turn may take (90 s; tests shorten it).
    void setBootstrapTimeoutMs(int ms) { m_bootstrapTimeoutMs = ms; }

    // Whether HEARTBEAT.md asks for anything: a line that is not blank, a heading or inside an
    // HTML comment.
    static bool hasTasks(const QString &heartbeatMd);
    // The ack token of AGENTS.md, else of HEARTBEAT.md: the value of the first line reading
    // `heartbeat_ack_token: <token>` (after list or heading marks); empty when none.
    static QString ackToken(const QString &agentsMd, const QString &heartbeatMd);
    // The prompt of one beat.
    static QString prompt(const QString &promptTemplate, const QString &agentsMd,
                          const QString &heartbeatMd, const QDateTime &now);

Q_SIGNALS:
    // A beat ended: "skipped" (no tasks, or the previous one still runs), "ok", or the error.
    void beaten(const QString &outcome);
    // The bootstrap turn ended (ok: the marker is written and BOOTSTRAP.md removed).
    void bootstrapped(bool ok, const QString &detail);

private:
    void runBootstrap();
    void logFailure(const QString &workspace, const QString &error);

    ConfigStore *m_config;
    AgentRuntime *m_agent;
    QTimer *m_timer;
    bool m_started = false;
    bool m_beating = false;
    int m_bootstrapTimeoutMs = 90 * 1000;
};
