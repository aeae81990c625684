#include "configdefaults.h"

#include <QJsonDocument>
#include <QRandomGenerator>

namespace ConfigDefaults {

// Kept as JSON text so it reads like the config file it produces.
static const char kDefaultConfig[] = R"JSON({
  "agents": {
    "defaults": {
      "workspace": "@CFGDIR@/workspace",
      "model": { "primary": "openai/gpt-5.4" },
      "max_tokens": 8192,
      "temperature": 0.7,
      "max_tool_iterations": 20,
      "heartbeat": { "enabled": true, "every_sec": 1800, "ack_max_chars": 64, "prompt_template": "" },
      "context_compaction": {
        "enabled": true, "mode": "summary", "trigger_messages": 60, "keep_recent_messages": 20,
        "target_ratio": 0.35, "protect_last_n": 12, "pressure_threshold": 0.8,
        "max_summary_chars": 6000, "max_transcript_chars": 20000
      },
      "execution": {
        "run_state_ttl_seconds": 1800, "run_state_max": 500,
        "tool_parallel_safe_names": ["read_file", "list_files", "find_files", "grep_files",
                                     "memory_search", "web_search", "system_info"],
        "tool_max_parallel_calls": 2
      },
      "summary_policy": {
        "marker": "## System Task Summary", "completed_prefix": "- Completed:",
        "changes_prefix": "- Changes:", "outcome_prefix": "- Outcome:",
        "completed_title": "Completed Actions", "changes_title": "Change Summaries",
        "outcomes_title": "Execution Outcomes"
      }
    },
    "router": {
      "enabled": false, "main_agent_id": "main", "strategy": "rules_first",
      "policy": { "intent_max_input_chars": 1200, "max_rounds_without_user": 200 },
      "rules": [], "allow_direct_agent_chat": false, "max_hops": 6,
      "default_timeout_sec": 600, "sticky_thread_owner": true
    },
    "communication": {
      "mode": "mediated", "persist_threads": true, "persist_messages": true,
      "max_messages_per_thread": 100, "dead_letter_queue": true, "default_message_ttl_sec": 86400
    },
    "subagents": {}
  },
  "channels": {
    "inbound_message_id_dedupe_ttl_seconds": 600,
    "inbound_content_dedupe_window_seconds": 12,
    "outbound_dedupe_window_seconds": 12,
    "weixin": { "enabled": false, "base_url": "https://ilinkai.weixin.qq.com", "allow_from": [] },
    "telegram": {
      "enabled": false, "token": "", "streaming": false, "allow_from": [], "allow_chats": [],
      "enable_groups": true, "require_mention_in_groups": true
    },
    "feishu": {
      "enabled": false, "app_id": "", "app_secret": "", "encrypt_key": "", "verification_token": "",
      "allow_from": [], "allow_chats": [], "enable_groups": true, "require_mention_in_groups": true
    }
  },
  "models": {
    "providers": {
      "openai": {
        "api_key": "", "api_base": "https://api.openai.com/v1", "models": ["gpt-5.4"],
        "supports_responses_compact": false, "auth": "", "timeout_sec": 90, "oauth": {},
        "responses": {
          "web_search_enabled": false, "web_search_context_size": "",
          "file_search_vector_store_ids": null, "file_search_max_num_results": 0,
          "include": null, "stream_include_usage": false
        }
      }
    }
  },
  "gateway": { "host": "127.0.0.1", "port": 18790, "token": "" },
  "cron": {
    "min_sleep_sec": 1, "max_sleep_sec": 30, "retry_backoff_base_sec": 30,
    "retry_backoff_max_sec": 1800, "max_consecutive_failure_retries": 5, "max_workers": 4
  },
  "tools": {
    "web": { "search": { "api_key": "", "max_results": 5 } },
    "shell": {
      "enabled": true, "working_dir": "", "timeout": 60000000000, "auto_install_missing": false,
      "sandbox": { "enabled": false, "image": "alpine:3.20" }
    },
    "filesystem": {},
    "mcp": { "enabled": false, "request_timeout_sec": 20 }
  },
  "logging": {
    "enabled": true, "dir": "@CFGDIR@/logs", "filename": "clawgo.log",
    "max_size_mb": 20, "retention_days": 3
  },
  "sentinel": {
    "enabled": true, "interval_sec": 60, "auto_heal": true, "notify_channel": "",
    "notify_chat_id": "", "webhook_url": ""
  },
  "memory": {
    "layered": true, "recent_days": 3,
    "layers": { "profile": true, "project": true, "procedures": true }
  }
})JSON";

QJsonObject defaults(const QString &configDir)
{
    QByteArray text(kDefaultConfig);
    QString dir = configDir;
    dir.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
        .replace(QLatin1Char('"'), QLatin1String("\\\""));
    text.replace("@CFGDIR@", dir.toUtf8());
    return QJsonDocument::fromJson(text).object();
}

const QSet<QString> &userOwnedMaps()
{
    static const QSet<QString> maps = {QStringLiteral("models.providers"),
                                       QStringLiteral("agents.subagents"),
                                       QStringLiteral("tools.mcp.servers")};
    return maps;
}

QString generateToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    QString token = QStringLiteral("cg_");
    for (quint32 word : words)
        token += QStringLiteral("%1").arg(word, 8, 16, QLatin1Char('0'));
    return token;
}

const QStringList &sections()
{
    static const QStringList list = {
        QStringLiteral("agents"),  QStringLiteral("channels"), QStringLiteral("models"),
        QStringLiteral("gateway"), QStringLiteral("cron"),     QStringLiteral("tools"),
        QStringLiteral("logging"), QStringLiteral("sentinel"), QStringLiteral("memory")};
    return list;
}

} // namespace ConfigDefaults
