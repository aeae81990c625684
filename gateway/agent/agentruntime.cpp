#include "agentruntime.h"

#include "agentturn.h"
#include "channels/channelbridge.h"
#include "contextbuilder.h"
#include "core/atomicfile.h"
#include "core/background.h"
#include "core/clock.h"
#include "core/configkeys.h"
#include "core/configstore.h"
#include "core/gatewaypaths.h"
#include "core/jsonutil.h"
#include "core/logcategories.h"
#include "core/paths.h"
#include "core/safefile.h"
#include "cron/cronservice.h"
#include "dailysummary.h"
#include "promptcache.h"
#include "providers/aistudiorelay.h"
#include "providers/llmcall.h"
#include "providers/providerconfig.h"
#include "providers/providerruntime.h"
#include "sessionstore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThreadPool>

namespace {

QString sessionsDirFor(const QString &workspace)
{
    if (workspace.isEmpty())
        return QString();
    // As clawgo keeps them: a sibling of the workspace (spec/agent.md §1.1).
    return QFileInfo(QDir::cleanPath(workspace)).absolutePath() +
           QStringLiteral("/agents/main/sessions");
}

} // namespace

AgentRuntime::AgentRuntime(ConfigStore *config, QObject *parent)
    : QObject(parent), m_config(config), m_relay(new AiStudioRelay(this)),
      m_providers(new ProviderRuntime(config, m_relay, this)),
      m_modelWrites(std::make_unique<Background::SerialQueue>()),
      m_sessions(new SessionStore(QString(), this)), m_prompts(new PromptCache(this))
{
    reconfigure();
}

AgentRuntime::~AgentRuntime()
{
    m_modelWrites->waitForIdle();
}

QString AgentRuntime::workspace() const
{
    return GatewayPaths::workspace(*m_config);
}

void AgentRuntime::reconfigure()
{
    m_providers->configure();
    const QString sessionsDir = sessionsDirFor(workspace());
    m_sessions->setDirectory(sessionsDir);
    const QString modelsFile = sessionsDir.isEmpty() ? QString()
                                                     : QFileInfo(sessionsDir).absolutePath() +
                                                           QStringLiteral("/session-models.json");
    if (modelsFile == m_sessionModelsFile)
        return;
    // Picks belong to a folder of sessions: another workspace has its own.
    m_sessionModelsFile = modelsFile;
    m_sessionModels.clear();
    m_stickyModels.clear();
    m_modelsClearedBeforeLoad.clear();
    m_sessionModelsLoaded = modelsFile.isEmpty();
    m_saveModelsAfterLoad = false;
    if (modelsFile.isEmpty())
        return;
    Background::run(
        this, [modelsFile] { return SafeFile::read(modelsFile, 4 << 20); },
        [this, modelsFile](const SafeFile::ReadResult &read) {
            if (modelsFile != m_sessionModelsFile)
                return;
            // Picks made (or cleared) while the file was read are newer than the file.
            const QJsonObject saved =
                read.ok() ? QJsonDocument::fromJson(read.data).object() : QJsonObject();
            for (auto it = saved.begin(); it != saved.end(); ++it)
                if (it.value().isString() && !m_sessionModels.contains(it.key()) &&
                    !m_modelsClearedBeforeLoad.contains(it.key()))
                    m_sessionModels.insert(it.key(), it.value().toString());
            m_modelsClearedBeforeLoad.clear();
            m_sessionModelsLoaded = true;
            if (std::exchange(m_saveModelsAfterLoad, false))
                saveSessionModels();
        });
}

void AgentRuntime::saveSessionModels()
{
    if (m_sessionModelsFile.isEmpty())
        return;
    if (!m_sessionModelsLoaded) { // the file's other picks are not known yet
        m_saveModelsAfterLoad = true;
        return;
    }
    QJsonObject picks;
    for (auto it = m_sessionModels.cbegin(); it != m_sessionModels.cend(); ++it)
        picks.insert(it.key(), it.value());
    const QByteArray bytes = QJsonDocument(picks).toJson();
    m_modelWrites->post([path = m_sessionModelsFile, bytes] {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QString error;
        if (!AtomicFile::write(path, bytes, &error))
            qCWarning(lcAgent).noquote() << "cannot save the sessions' models:" << error;
    });
}

// The errors below reach API clients and chat contacts: they name the setting and where to
// change it (the Config page, or config.json), never a local path.
bool AgentRuntime::resolveProvider(ProviderSettings *settings, QString *error) const
{
    const QJsonObject config = m_config->effective();
    return ProviderConfig::settingsFor(config, ProviderConfig::primary(config), settings, error);
}

void AgentRuntime::setSessionModel(const QString &session, const QString &model)
{
    if (model.trimmed().isEmpty()) {
        m_sessionModels.remove(session);
        if (!m_sessionModelsLoaded)
            m_modelsClearedBeforeLoad.insert(session);
    } else
        m_sessionModels.insert(session, model.trimmed());
    m_stickyModels.remove(session);
    saveSessionModels();
}

QString AgentRuntime::sessionModel(const QString &session) const
{
    return m_sessionModels.value(session);
}

QList<ProviderSettings> AgentRuntime::chainFor(const QString &session, QStringList *problems)
{
    const QJsonObject config = m_config->effective();
    QString preferred = m_sessionModels.value(session);
    if (preferred.isEmpty() && m_stickyModels.contains(session)) {
        // Back to the primary once it may be used again.
        const QList<ProviderSettings> primaryChain = resolvedChain(QString(), nullptr);
        QList<ProviderRuntime::Candidate> cooling;
        if (!primaryChain.isEmpty() &&
            !m_providers->candidates(primaryChain.first(), &cooling).isEmpty())
            m_stickyModels.remove(session);
        else
            preferred = m_stickyModels.value(session);
    }
    return resolvedChain(preferred, problems);
}

QList<ProviderSettings> AgentRuntime::resolvedChain(const QString &preferred, QStringList *problems)
{
    // Resolving reads a dozen keys per provider: once per config revision and preference.
    const quint64 revision = m_config->revision();
    if (m_chainCacheRevision != revision) {
        m_chainCache.clear();
        m_chainCacheRevision = revision;
    }
    auto cached = m_chainCache.constFind(preferred);
    if (cached == m_chainCache.cend()) {
        const QJsonObject config = m_config->effective();
        const auto [name, model] = ProviderRoute::splitModelRef(preferred);
        ResolvedChain resolved;
        const QList<ProviderConfig::ModelRef> refs =
            ProviderConfig::chain(config, ProviderConfig::ModelRef{name, model});
        for (qsizetype i = 0; i < refs.size(); ++i) {
            ProviderSettings settings;
            QString error;
            settings.relay = m_relay;
            if (ProviderConfig::settingsFor(config, refs.at(i), &settings, &error))
                resolved.chain << settings;
            else if (i == 0) // a fallback that cannot be called is no news; the first one is
                resolved.problems << error;
        }
        if (refs.isEmpty())
            resolved.problems << QStringLiteral(
                "no LLM provider is configured: add one under models.providers (api_base, "
                "api_key, models) on the Config page or in config.json, and set "
                "agents.defaults.model.primary to \"<provider>/<model>\"");
        if (m_chainCache.size() > 256) // picks are few; never let odd ones pile up
            m_chainCache.clear();
        cached = m_chainCache.insert(preferred, resolved);
    }
    if (problems)
        *problems << cached->problems;
    return cached->chain;
}

void AgentRuntime::setToolServices(CronService *cron, ChannelBridge *channels)
{
    m_cron = cron;
    m_channels = channels;
}

QList<SkillCatalog::Root> AgentRuntime::skillRoots() const
{
    return SkillCatalog::roots(workspace(), m_config->configDir());
}

ToolContext AgentRuntime::toolContext(const QString &session) const
{
    const QJsonObject config = m_config->effective();
    ToolContext context;
    context.workspace = workspace();
    context.configDir = m_config->configDir();
    context.allowOutsideWorkspace =
        ConfigKeys::flag(config, QStringLiteral("tools.filesystem.allow_outside_workspace"));
    context.uploadsFolder = GatewayPaths::uploads(*m_config);
    context.shellEnabled = ConfigKeys::flag(config, QStringLiteral("tools.shell.enabled"));
    const double timeoutNs = ConfigKeys::number(config, QStringLiteral("tools.shell.timeout"));
    context.shellTimeoutMs = timeoutNs > 0 ? qint64(timeoutNs / 1e6) : 60000;
    context.allowPrivateFetch =
        ConfigKeys::flag(config, QStringLiteral("tools.web.fetch.allow_private"));
    context.cron = m_cron;
    if (m_channels) {
        const ChannelBridge::Target chat = m_channels->targetOf(session);
        context.channel = chat.channel;
        context.chatId = chat.chatId;
    }
    return context;
}

void ChatJob::cancel()
{
    if (m_over)
        return;
    m_cancelled = true;
    m_over = true;
    Q_EMIT cancelRequested();
}

void AgentRuntime::retire(ChatJob *job)
{
    job->m_over = true;
    job->deleteLater();
}

ChatJob *AgentRuntime::submit(const QString &session, const QString &content)
{
    auto *job = new ChatJob(session, content, this);
    SessionQueue &queue = m_queues[session];
    queue.waiting.enqueue(job);
    if (!queue.busy)
        QMetaObject::invokeMethod(
            this, [this, session] { startNext(session); }, Qt::QueuedConnection);
    return job;
}

int AgentRuntime::activeTurns() const
{
    int busy = 0;
    for (const SessionQueue &queue : m_queues)
        busy += queue.busy ? 1 : 0;
    return busy;
}

bool AgentRuntime::isBusy(const QString &session) const
{
    const auto found = m_queues.constFind(session);
    return found != m_queues.cend() && (found->busy || !found->waiting.isEmpty());
}

void AgentRuntime::startNext(const QString &session)
{
    SessionQueue &queue = m_queues[session];
    if (queue.busy)
        return;
    while (!queue.waiting.isEmpty()) {
        ChatJob *job = queue.waiting.dequeue();
        if (!job)
            continue;
        if (job->isCancelled()) { // the client left while waiting
            retire(job);
            continue;
        }
        queue.busy = true;
        QPointer<ChatJob> guard(job);
        m_sessions->loadAsync(session, this, [this, guard, session] {
            if (guard && !guard->isCancelled()) {
                run(guard);
                return;
            }
            // The client left while its session was loading: on to the next one.
            if (guard)
                retire(guard);
            m_queues[session].busy = false;
            startNext(session);
        });
        return;
    }
    m_queues.remove(session);
}

void AgentRuntime::run(ChatJob *job)
{
    const QString session = job->session();
    // The session is busy until `done` runs, exactly once: after the turn and any summarising,
    // or when the turn is cancelled or its client goes away.
    auto released = std::make_shared<bool>(false);
    auto done = [this, session, released] {
        if (*released)
            return;
        *released = true;
        m_queues[session].busy = false;
        QMetaObject::invokeMethod(
            this, [this, session] { startNext(session); }, Qt::QueuedConnection);
    };
    QStringList chainProblems;
    const QList<ProviderSettings> chain = chainFor(session, &chainProblems);
    if (chain.isEmpty()) {
        done();
        retire(job);
        Q_EMIT job->failed(chainProblems.join(QStringLiteral("; ")));
        return;
    }
    const QString workspacePath = workspace();
    const ToolContext tools = toolContext(session);
    std::shared_ptr<ToolRegistry> registry = ToolRegistry::builtIn(tools);
    const QJsonObject config = m_config->effective();
    // The part of the session not yet folded into its summary, bounded in case summarising
    // keeps failing.
    const SessionStore::Compaction compaction = m_sessions->compaction(session);
    const int trigger = ConfigKeys::integer(
        config, QStringLiteral("agents.defaults.context_compaction.trigger_messages"));
    // The workspace files are read on the file pool (and cached until they change).
    m_prompts->get(
        workspacePath, skillRoots(), registry->specs(), Clock::nowUtc().toLocalTime().date(), job,
        [=, this](const QString &basePrompt) {
            if (job->isCancelled()) { // the client left while the prompt was built
                done();
                retire(job);
                return;
            }
            QString systemPrompt = basePrompt;
            if (!compaction.summary.trimmed().isEmpty())
                systemPrompt +=
                    QStringLiteral("\n\n## Summary of the earlier conversation\nBackground "
                                   "from older messages of this "
                                   "session, not a new instruction.\n\n") +
                    compaction.summary.trimmed();
            QList<ChatMessage> context;
            context << ChatMessage{QStringLiteral("system"), systemPrompt, {}, {}, {}};
            context << ContextBuilder::historyWindow(
                m_sessions->messages(session).mid(compaction.compactedMessages),
                qMax(trigger, 1) * 3);
            const ChatMessage user{QStringLiteral("user"), job->content(), {}, {}, {}};
            context << user;
            // The user's words are kept even if the turn fails.
            m_sessions->append(session, user);

            AgentTurn::Setup setup;
            setup.chain = chain;
            setup.chainProblems = chainProblems;
            setup.runtime = m_providers;
            setup.context = context;
            setup.tools = registry.get();
            setup.toolContext = tools;
            setup.maxIterations =
                qMax(1, ConfigKeys::integer(config,
                                            QStringLiteral("agents.defaults.max_tool_iterations")));
            // The runtime owns the turn, so a client leaving never deletes work that can still call
            // back (DESIGN.md, decision 14): the job's cancel() cancels the turn, which stops its
            // upstream call and its tool before anything is freed.
            auto *turn = new AgentTurn(setup, this);
            connect(turn, &AgentTurn::delta, job, &ChatJob::delta);
            connect(turn, &AgentTurn::finished, job,
                    [this, job, turn, session, registry, done,
                     workspacePath](const QString &reply, const QList<ChatMessage> &messages) {
                        turn->deleteLater();
                        const ProviderSettings provider = turn->provider();
                        // After a fallback the session stays on the provider that answered
                        // until the first one may be used again.
                        if (turn->providerIndex() > 0)
                            m_stickyModels.insert(
                                session, provider.name + QLatin1Char('/') + provider.model +
                                             (provider.thinking.isEmpty()
                                                  ? QString()
                                                  : QStringLiteral("(%1)").arg(provider.thinking)));
                        // From here the turn's work is done: a client leaving only stops the
                        // answer.
                        disconnect(job, &ChatJob::cancelRequested, turn, nullptr);
                        QPointer<ChatJob> guard(job);
                        const QString request = job->content();
                        auto answer = [this, guard, session, done, provider, workspacePath, request,
                                       reply](bool) {
                            noteInDailyMemory(workspacePath, session, request, reply);
                            if (guard && !guard->isCancelled()) {
                                retire(guard);
                                Q_EMIT guard->finished(reply);
                            } else if (guard) {
                                retire(guard);
                            }
                            // The next turn of this session waits until the history is summarised
                            // (if due).
                            compactIfDue(session, provider, done);
                        };
                        // The reply is given once the turn's messages are on disk.
                        for (qsizetype i = 0; i + 1 < messages.size(); ++i)
                            m_sessions->append(session, messages.at(i));
                        if (messages.isEmpty())
                            answer(true);
                        else
                            m_sessions->append(session, messages.last(), this, answer);
                    });
            connect(turn, &AgentTurn::failed, job,
                    [job, turn, done, registry](const QString &turnError) {
                        turn->deleteLater();
                        done();
                        retire(job);
                        Q_EMIT job->failed(turnError);
                    });
            connect(job, &ChatJob::cancelRequested, turn, [this, job, turn, done, session] {
                qCInfo(lcAgent).noquote() << "turn for session" << session << "cancelled";
                turn->cancel();
                // What was already said stays in the session: reopening it shows the stopped
                // reply, and the model sees that it was cut.
                for (const ChatMessage &message : turn->keptSoFar(QStringLiteral("\n\n(stopped)")))
                    m_sessions->append(session, message);
                turn->deleteLater();
                done();
                retire(job);
            });
            qCInfo(lcAgent).noquote() << "turn for session" << session << "with"
                                      << chain.first().name << "/" << chain.first().model;
            turn->start();
        });
}

void AgentRuntime::compactIfDue(const QString &session, const ProviderSettings &providerIn,
                                std::function<void()> done)
{
    const QJsonObject config = m_config->effective();
    const auto setting = [&](const char *name) {
        return ConfigKeys::integer(config, QStringLiteral("agents.defaults.context_compaction.") +
                                               QLatin1String(name));
    };
    if (!ConfigKeys::flag(config, QStringLiteral("agents.defaults.context_compaction.enabled")))
        return done();
    const int trigger = qMax(1, setting("trigger_messages"));
    const int keep = qBound(1, setting("keep_recent_messages"), trigger);
    const int maxSummary = qMax(200, setting("max_summary_chars"));
    const int maxTranscript = qMax(1000, setting("max_transcript_chars"));
    const QList<ChatMessage> all = m_sessions->messages(session);
    const SessionStore::Compaction previous = m_sessions->compaction(session);
    if (all.size() - previous.compactedMessages <= trigger)
        return done();
    // Keep the last `keep` messages, starting at a user message so no tool result is cut off
    // from the call that asked for it.
    qsizetype cut = all.size() - keep;
    while (cut < all.size() && all.at(cut).role != QLatin1String("user"))
        ++cut;
    if (cut >= all.size() || cut <= previous.compactedMessages)
        return done();

    QJsonArray transcript;
    qsizetype budget = maxTranscript;
    for (qsizetype i = previous.compactedMessages; i < cut && budget > 0; ++i) {
        const ChatMessage &message = all.at(i);
        QString content = message.content;
        if (message.role == QLatin1String("tool") && content.size() > 400)
            content = QStringLiteral("[long tool output left out]");
        else if (content.size() > 2000)
            content = content.left(2000) + QStringLiteral("\n[…]");
        content = content.left(budget);
        budget -= content.size();
        QJsonObject entry{{"role", message.role}, {"content", content}};
        QStringList calls;
        for (const ToolCall &call : message.toolCalls)
            calls << call.name;
        if (!calls.isEmpty())
            entry.insert("tool_calls", QJsonArray::fromStringList(calls));
        transcript.append(entry);
    }
    ProviderSettings provider = providerIn;
    provider.maxTokens = 900;
    provider.timeoutSec = qBound(5, provider.timeoutSec, 60);
    const QList<ChatMessage> request{
        {QStringLiteral("system"),
         QStringLiteral("Summarise the earlier part of a conversation so it can be continued "
                        "without it. Write short "
                        "markdown with the sections Key Facts, Decisions, Open Items and Next "
                        "Steps. Keep names, file "
                        "paths, numbers, errors and unfinished work. Do not address the user."),
         {},
         {},
         {}},
        {QStringLiteral("user"),
         QStringLiteral("Existing summary:\n%1\n\nEarlier conversation (JSON):\n%2")
             .arg(previous.summary.isEmpty() ? QStringLiteral("(none)") : previous.summary,
                  QString::fromUtf8(QJsonDocument(transcript).toJson(QJsonDocument::Compact))),
         {},
         {},
         {}}};
    auto *call = new LlmCall(provider, request, {}, this);
    connect(call, &LlmCall::finished, this,
            [this, call, session, previous, cut, maxSummary, done](const LlmResult &result) {
                call->deleteLater();
                const QString summary = result.content.trimmed().left(maxSummary);
                if (!summary.isEmpty()) {
                    m_sessions->setCompaction(session, {summary, int(cut), previous.count + 1});
                    qCInfo(lcAgent).noquote() << "summarised" << cut - previous.compactedMessages
                                              << "older messages of session" << session;
                }
                done();
            });
    connect(call, &LlmCall::failed, this, [call, session, done](const QString &error) {
        call->deleteLater();
        qCWarning(lcAgent).noquote()
            << "summarising session" << session << "failed; keeping its history as it is:" << error;
        done();
    });
    call->start();
}

void AgentRuntime::noteInDailyMemory(const QString &workspace, const QString &session,
                                     const QString &request, const QString &reply)
{
    const QDateTime now = Clock::nowUtc().toLocalTime();
    const QString note = DailySummary::entry(now, request, reply, session);
    if (note.isEmpty())
        return;
    // A small append, but still disk I/O: off the gateway's event loop.
    Background::post([workspace, day = now.date(), note] {
        QString error;
        if (!DailySummary::append(workspace, day, note, &error))
            qCWarning(lcAgent).noquote() << "daily memory note not written:" << error;
    });
}
