<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../ui/aboutdialog.cpp" line="16"/>
        <source>About ClawGo Desktop</source>
        <translation>关于 ClawGo 桌面版</translation>
    </message>
    <message>
        <location filename="../ui/aboutdialog.cpp" line="22"/>
        <source>ClawGo Desktop icon</source>
        <translation>ClawGo 桌面版图标</translation>
    </message>
    <message>
        <location filename="../ui/aboutdialog.cpp" line="41"/>
        <source>&lt;h3&gt;ClawGo Desktop %1&lt;/h3&gt;&lt;p&gt;A desktop home for the clawgo agent gateway: its API, chat, Weixin, config and logs in one program.&lt;/p&gt;&lt;p&gt;Config folder: %2&lt;br&gt;Log folder: %3&lt;/p&gt;&lt;p&gt;Built with Qt %4.&lt;/p&gt;&lt;p&gt;© 2026 The ClawGo Desktop developers. Released under the MIT License.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ClawGo 桌面版 %1&lt;/h3&gt;&lt;p&gt;clawgo 智能体网关的桌面之家：API、聊天、微信、配置和日志尽在一个程序中。&lt;/p&gt;&lt;p&gt;配置文件夹：%2&lt;br&gt;日志文件夹：%3&lt;/p&gt;&lt;p&gt;基于 Qt %4 构建。&lt;/p&gt;&lt;p&gt;© 2026 The ClawGo Desktop developers。以 MIT License 发布。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../ui/aboutdialog.cpp" line="48"/>
        <source>(logging is off)</source>
        <translation>（日志已关闭）</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <location filename="../ui/chatpage.cpp" line="39"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="39"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="40"/>
        <source>Attach file…</source>
        <translation>附加文件…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="42"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="48"/>
        <source>New session</source>
        <translation>新会话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="49"/>
        <location filename="../ui/chatpage.cpp" line="50"/>
        <source>Search sessions</source>
        <translation>搜索会话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="65"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="67"/>
        <source>Rename session</source>
        <translation>重命名会话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="68"/>
        <source>Name (empty: the first question):</source>
        <translation>名称（留空则使用第一个问题）：</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="75"/>
        <source>Delete session…</source>
        <translation>删除会话…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="82"/>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="104"/>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="111"/>
        <source>Message the agent (Ctrl+Enter sends)</source>
        <translation>给智能体发消息（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="112"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="113"/>
        <source>Ctrl+Enter sends</source>
        <translation>Ctrl+Enter 发送</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="124"/>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="126"/>
        <source>Model for this session</source>
        <translation>本会话使用的模型</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="193"/>
        <source>This session uses the default model.</source>
        <translation>本会话使用默认模型。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="194"/>
        <source>This session uses %1.</source>
        <translation>本会话使用 %1。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="233"/>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="234"/>
        <source>Default (%1)</source>
        <translation>默认（%1）</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="322"/>
        <source>Delete session?</source>
        <translation>删除会话？</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="323"/>
        <source>Delete the session &quot;%1&quot; and its history? Its files are kept for 30 days as deleted logs, then removed.</source>
        <translation>删除会话“%1”及其历史记录？其文件将作为已删除日志保留 30 天，然后移除。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="327"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="351"/>
        <source>The session is answering; stop it first, then delete it.</source>
        <translation>该会话正在应答；请先停止，再删除。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="356"/>
        <source>Some files of the session could not be deleted; see the Logs page.</source>
        <translation>会话的部分文件无法删除；请查看“日志”页。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="546"/>
        <source>Copied the reply</source>
        <translation>已复制回复</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="626"/>
        <source>Copied the code</source>
        <translation>已复制代码</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/chatpage.cpp" line="647"/>
        <source>Show %n earlier message(s)</source>
        <translation>
            <numerusform>显示更早的 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="669"/>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="671"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="673"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="679"/>
        <source>running or cut short</source>
        <translation>运行中或已中断</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="680"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="681"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="685"/>
        <source>Tool %1</source>
        <translation>工具 %1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="687"/>
        <source>Arguments:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="689"/>
        <source>Result:</source>
        <translation>结果：</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="698"/>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="703"/>
        <source>Ask the agent anything. It can read and write files in its workspace, run commands and fetch web pages, as the Tools section of the Config page allows. Attach a file with &quot;Attach file…&quot;; Ctrl+Enter sends.</source>
        <translation>向智能体提任何问题。它可以在工作区中读写文件、运行命令和抓取网页（以配置页“工具”部分的设置为准）。用“附加文件…”附加文件；Ctrl+Enter 发送。</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="442"/>
        <source>Attach a file</source>
        <translation>选择要附加的文件</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="451"/>
        <source>Uploading %1…</source>
        <translation>正在上传 %1…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="462"/>
        <source>Not attached: %1</source>
        <translation>未附加：%1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="466"/>
        <source>Attached: %1</source>
        <translation>已附加：%1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="529"/>
        <source>The agent could not answer: %1</source>
        <translation>智能体无法回答：%1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="661"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="669"/>
        <location filename="../ui/chatpage.cpp" line="696"/>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <location filename="../ui/configschema.cpp" line="37"/>
        <location filename="../ui/configschema.cpp" line="39"/>
        <location filename="../ui/configschema.cpp" line="41"/>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="38"/>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="40"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="42"/>
        <source>API token</source>
        <translation>API 令牌</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="43"/>
        <location filename="../ui/configschema.cpp" line="45"/>
        <location filename="../ui/configschema.cpp" line="47"/>
        <location filename="../ui/configschema.cpp" line="49"/>
        <source>Providers and models</source>
        <translation>提供方与模型</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="44"/>
        <source>Model (provider/model)</source>
        <translation>模型（提供方/模型）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="46"/>
        <source>API base URL</source>
        <translation>API 基础地址</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="48"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="50"/>
        <source>Timeout (s)</source>
        <translation>超时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="51"/>
        <location filename="../ui/configschema.cpp" line="53"/>
        <location filename="../ui/configschema.cpp" line="55"/>
        <location filename="../ui/configschema.cpp" line="57"/>
        <source>Agent defaults</source>
        <translation>智能体默认设置</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="52"/>
        <source>Workspace folder</source>
        <translation>工作区文件夹</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="54"/>
        <source>Tool iterations per turn</source>
        <translation>每轮工具调用次数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="56"/>
        <source>Max output tokens</source>
        <translation>最大输出令牌数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="58"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="59"/>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="60"/>
        <source>Weixin enabled</source>
        <translation>启用微信</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="64"/>
        <source>File tools may leave the workspace</source>
        <translation>文件工具可访问工作区以外</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="66"/>
        <source>Web fetch may reach local addresses</source>
        <translation>网页抓取可访问本地地址</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="74"/>
        <source>Keep uploaded files (days)</source>
        <translation>上传文件保留天数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="75"/>
        <location filename="../ui/configschema.cpp" line="77"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="76"/>
        <source>Closing the window keeps ClawGo in the tray</source>
        <translation>关闭窗口时让 ClawGo 留在托盘中</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="78"/>
        <source>Start at login (in the tray)</source>
        <translation>登录时启动（在托盘中）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="61"/>
        <location filename="../ui/configschema.cpp" line="63"/>
        <location filename="../ui/configschema.cpp" line="65"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="62"/>
        <source>Shell commands (exec)</source>
        <translation>Shell 命令（exec）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="67"/>
        <location filename="../ui/configschema.cpp" line="69"/>
        <location filename="../ui/configschema.cpp" line="71"/>
        <location filename="../ui/configschema.cpp" line="73"/>
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="68"/>
        <source>Write a log file</source>
        <translation>写入日志文件</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="70"/>
        <source>Rotate after (MiB)</source>
        <translation>轮转大小（MiB）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="72"/>
        <source>Keep rotated logs (days)</source>
        <translation>保留轮转日志（天）</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="70"/>
        <source>The config file was changed outside this window.</source>
        <translation>配置文件已在此窗口之外被修改。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="71"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="138"/>
        <source>applies at once</source>
        <translation>立即生效</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="141"/>
        <source>needs a restart</source>
        <translation>需要重启</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="144"/>
        <source>kept for clawgo; not used here yet</source>
        <translation>为 clawgo 保留；本程序暂未使用</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="185"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="187"/>
        <source>Config as JSON</source>
        <translation>JSON 格式的配置</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="188"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="197"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="198"/>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="224"/>
        <source>An outside edit of the config was refused: %1</source>
        <translation>外部对配置的修改被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="229"/>
        <source>Saved, but the API could not listen at the new address: %1. It still answers at %2.</source>
        <translation>已保存，但 API 无法在新地址上监听：%1。它仍在 %2 提供服务。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="240"/>
        <source>The config file could not be loaded, so this page shows the defaults and saving is off (your file stays as it is): %1. Fix the file in an editor, then start ClawGo Desktop again.</source>
        <translation>无法加载配置文件，因此本页显示的是默认值，且保存已关闭（您的文件保持不变）：%1。请在编辑器中修正该文件，然后重新启动 ClawGo 桌面版。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="250"/>
        <source>Loading the config…</source>
        <translation>正在加载配置…</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="335"/>
        <source>The JSON is not valid: %1</source>
        <translation>JSON 无效：%1</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="359"/>
        <source>The JSON is not valid: %1. Fix it or discard the changes to see the form.</source>
        <translation>JSON 无效：%1。请修正或放弃更改后再查看表单。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="373"/>
        <source>Saving is off: the config file could not be loaded.</source>
        <translation>保存已关闭：无法加载配置文件。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="377"/>
        <source>No changes to save.</source>
        <translation>没有需要保存的更改。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="391"/>
        <source>Turn off API authentication?</source>
        <translation>关闭 API 身份验证？</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="392"/>
        <source>With an empty token, any program that can reach the API address can use the agent, its tools and its files. Save without a token?</source>
        <translation>令牌为空时，任何能访问 API 地址的程序都可以使用智能体及其工具和文件。确定不设令牌就保存吗？</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="395"/>
        <source>Save without a token</source>
        <translation>不设令牌并保存</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="403"/>
        <source>Not saved.</source>
        <translation>未保存。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="413"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="420"/>
        <source>Saved. The gateway uses the new settings now.</source>
        <translation>已保存，网关已使用新设置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/configpage.cpp" line="452"/>
        <source>Not saved: %n problem(s):</source>
        <translation>
            <numerusform>未保存：%n 个问题：</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/configpage.cpp" line="475"/>
        <source>Not saved: %n problem(s), shown next to the fields.</source>
        <translation>
            <numerusform>未保存：%n 个问题，已显示在对应字段旁。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="478"/>
        <source>Not saved:</source>
        <translation>未保存：</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="507"/>
        <source>This run listens on port %1 (--port or CLAWGO_PORT); the value here applies when started without it.</source>
        <translation>本次运行监听端口 %1（--port 或 CLAWGO_PORT）；不带该参数启动时使用此处的值。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="512"/>
        <source>This run listens on %1 (--host or CLAWGO_HOST); the value here applies when started without it.</source>
        <translation>本次运行监听 %1（--host 或 CLAWGO_HOST）；不带该参数启动时使用此处的值。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="428"/>
        <source>Not saved: the config changed meanwhile. Reload, then apply your change again.</source>
        <translation>未保存：配置已被他处修改。请重新加载后再次修改。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="69"/>
        <source>Unsaved changes</source>
        <translation>有未保存的更改</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="434"/>
        <source>Not saved: the file could not be written; the previous file is unchanged.</source>
        <translation>未保存：无法写入文件，原文件保持不变。</translation>
    </message>
</context>
<context>
    <name>CronJobDialog</name>
    <message>
        <location filename="../ui/cronpage.cpp" line="78"/>
        <source>Send the agent&apos;s reply there (otherwise the message itself)</source>
        <translation>把智能体的回复发到那里（否则发送消息本身）</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="81"/>
        <source>New scheduled job</source>
        <translation>新建定时任务</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="81"/>
        <source>Edit scheduled job</source>
        <translation>编辑定时任务</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="82"/>
        <source>Morning brief</source>
        <translation>早间简报</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="83"/>
        <source>What the agent is asked, or the reminder&apos;s text</source>
        <translation>要问智能体的内容，或提醒的文字</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="86"/>
        <source>Repeats (cron expression)</source>
        <translation>重复（cron 表达式）</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="87"/>
        <source>Once</source>
        <translation>一次</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="90"/>
        <source>minute hour day-of-month month day-of-week, a descriptor such as @daily, or @every 1h30m; CRON_TZ=Asia/Shanghai in front for a zone</source>
        <translation>分 时 日 月 星期，或 @daily 之类的描述符，或 @every 1h30m；前面加 CRON_TZ=Asia/Shanghai 指定时区</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="92"/>
        <source>Cron expression</source>
        <translation>Cron 表达式</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="97"/>
        <location filename="../ui/cronpage.cpp" line="120"/>
        <source>Next runs</source>
        <translation>接下来的运行</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="100"/>
        <source>Nowhere (kept in the job&apos;s session)</source>
        <translation>不发送（保留在任务的会话中）</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="101"/>
        <source>A chat of this window (desktop)</source>
        <translation>本窗口的一个聊天（desktop）</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="102"/>
        <source>Weixin</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="110"/>
        <source>session name, or bot id|user id for Weixin</source>
        <translation>会话名称，微信则为 机器人 ID|用户 ID</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="114"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="115"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="116"/>
        <source>Schedule</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="117"/>
        <source>Expression</source>
        <translation>表达式</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="118"/>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="121"/>
        <source>Deliver to</source>
        <translation>发送到</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="122"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="169"/>
        <source>This expression never runs.</source>
        <translation>此表达式永远不会运行。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="174"/>
        <source>Write the message first.</source>
        <translation>请先填写消息。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="175"/>
        <source>Say which chat it goes to (for this window: a session name such as main).</source>
        <translation>请指明发送到哪个聊天（本窗口：会话名称，例如 main）。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="182"/>
        <source>Runs once.</source>
        <translation>运行一次。</translation>
    </message>
</context>
<context>
    <name>CronPage</name>
    <message>
        <location filename="../ui/cronpage.cpp" line="228"/>
        <source>No scheduled jobs yet. A job asks the agent something on a schedule, or sends a reminder; the agent sets reminders itself when asked in a chat.</source>
        <translation>还没有定时任务。任务会按计划向智能体提问，或发送提醒；在聊天中请求时，智能体会自己设置提醒。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="233"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="233"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="234"/>
        <source>Run now</source>
        <translation>立即运行</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="234"/>
        <location filename="../ui/cronpage.cpp" line="394"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="235"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="236"/>
        <source>Open its session</source>
        <translation>打开其会话</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="238"/>
        <source>&lt;b&gt;Scheduled jobs&lt;/b&gt;</source>
        <translation>&lt;b&gt;定时任务&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="241"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="241"/>
        <source>Schedule</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="241"/>
        <source>Next run</source>
        <translation>下次运行</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="241"/>
        <source>Last run</source>
        <translation>上次运行</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="241"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="245"/>
        <source>Scheduled jobs</source>
        <translation>定时任务</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="251"/>
        <source>Shows the conversation of this job&apos;s runs in the Chat page</source>
        <translation>在聊天页面显示此任务运行的对话</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="339"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="342"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="344"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="346"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="348"/>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="350"/>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="394"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="400"/>
        <source>Message: %1</source>
        <translation>消息：%1</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="402"/>
        <source>Goes to: %1 %2</source>
        <translation>发送到：%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="405"/>
        <source>Runs: %1, failed: %2</source>
        <translation>运行：%1 次，失败：%2 次</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="408"/>
        <source>Last error: %1</source>
        <translation>上次错误：%1</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="494"/>
        <source>The job was not saved: %1</source>
        <translation>任务未保存：%1</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="500"/>
        <source>Saved the job.</source>
        <translation>已保存任务。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="517"/>
        <source>The job runs now.</source>
        <translation>任务正在运行。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="530"/>
        <source>The job is disabled.</source>
        <translation>任务已停用。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="532"/>
        <source>The job is enabled.</source>
        <translation>任务已启用。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="543"/>
        <source>Delete the job</source>
        <translation>删除任务</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="544"/>
        <source>Delete “%1”? It will not run again.</source>
        <translation>删除“%1”？它将不再运行。</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="546"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../ui/cronpage.cpp" line="550"/>
        <source>The job is deleted.</source>
        <translation>任务已删除。</translation>
    </message>
</context>
<context>
    <name>CronWords</name>
    <message>
        <location filename="../ui/cronwords.cpp" line="94"/>
        <source>%1 to %2</source>
        <translation>%1至%2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="98"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="103"/>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="121"/>
        <location filename="../ui/cronwords.cpp" line="172"/>
        <source>every day at %1</source>
        <translation>每天 %1</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="125"/>
        <source>on weekdays at %1</source>
        <translation>工作日 %1</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="127"/>
        <source>at weekends at %1</source>
        <translation>周末 %1</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="129"/>
        <location filename="../ui/cronwords.cpp" line="174"/>
        <source>every %1 at %2</source>
        <translation>每%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="130"/>
        <source>on %1 at %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="134"/>
        <location filename="../ui/cronwords.cpp" line="176"/>
        <source>on day %1 of every month at %2</source>
        <translation>每月 %1 日 %2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="140"/>
        <location filename="../ui/cronwords.cpp" line="142"/>
        <source>every minute</source>
        <translation>每分钟</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="142"/>
        <source>every %1 minutes</source>
        <translation>每 %1 分钟</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="144"/>
        <source>every hour at minute %1</source>
        <translation>每小时第 %1 分钟</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="146"/>
        <location filename="../ui/cronwords.cpp" line="170"/>
        <source>every hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="146"/>
        <source>every %1 hours</source>
        <translation>每 %1 小时</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="147"/>
        <source>%1 at minute %2</source>
        <translation>%1第 %2 分钟</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="178"/>
        <source>every year on %1 at %2</source>
        <translation>每年%1 %2</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="182"/>
        <source>every %1</source>
        <translation>每 %1</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="189"/>
        <source>cron: %1</source>
        <translation>cron：%1</translation>
    </message>
    <message>
        <location filename="../ui/cronwords.cpp" line="196"/>
        <source>once, %1</source>
        <translation>一次，%1</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <location filename="../ui/logspage.cpp" line="32"/>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="33"/>
        <source>Wrap lines</source>
        <translation>自动换行</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="38"/>
        <source>All levels</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="39"/>
        <source>Info and above</source>
        <translation>信息及以上</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="40"/>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="41"/>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="42"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="43"/>
        <source>Search the log</source>
        <translation>搜索日志</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="44"/>
        <source>Levels shown</source>
        <translation>显示的级别</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="47"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="48"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="61"/>
        <source>Log lines</source>
        <translation>日志行</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="71"/>
        <source>Show the new lines</source>
        <translation>显示新日志行</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="89"/>
        <source>Export log</source>
        <translation>导出日志</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/logspage.cpp" line="161"/>
        <source>%n new line(s)</source>
        <translation>
            <numerusform>%n 行新日志</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="188"/>
        <source>No line matches &quot;%1&quot;</source>
        <translation>没有匹配“%1”的行</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/logspage.cpp" line="190"/>
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 处匹配</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="39"/>
        <location filename="../ui/mainwindow.cpp" line="110"/>
        <location filename="../ui/mainwindow.cpp" line="116"/>
        <location filename="../ui/mainwindow.cpp" line="125"/>
        <location filename="../ui/mainwindow.cpp" line="138"/>
        <location filename="../ui/mainwindow.cpp" line="197"/>
        <source>ClawGo Desktop</source>
        <translation>ClawGo 桌面版</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="46"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="47"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="44"/>
        <source>Weixin</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>Providers</source>
        <translation>提供方</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="45"/>
        <source>Cron</source>
        <translation>定时任务</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="51"/>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="71"/>
        <source>&amp;ClawGo</source>
        <translation>&amp;ClawGo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="72"/>
        <source>Set up a provider…</source>
        <translation>设置提供方…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="73"/>
        <location filename="../ui/mainwindow.cpp" line="176"/>
        <source>Copy API URL</source>
        <translation>复制 API 地址</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="75"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="81"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="82"/>
        <source>About ClawGo Desktop</source>
        <translation>关于 ClawGo 桌面版</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="83"/>
        <source>Starting the gateway…</source>
        <translation>正在启动网关…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="85"/>
        <source>API at %1</source>
        <translation>API 地址：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="86"/>
        <source>The gateway did not start: see the Status page</source>
        <translation>网关未能启动：请查看“状态”页</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="89"/>
        <location filename="../ui/mainwindow.cpp" line="190"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="125"/>
        <source>The API listener failed: %1</source>
        <translation>API 监听失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="139"/>
        <source>The edited config was refused: %1</source>
        <translation>修改后的配置被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="175"/>
        <source>Show window</source>
        <translation>显示窗口</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="177"/>
        <source>Restart listener</source>
        <translation>重启监听</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="216"/>
        <location filename="../ui/mainwindow.cpp" line="217"/>
        <source>ClawGo Desktop: %1</source>
        <translation>ClawGo 桌面版：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="230"/>
        <source>Copied %1</source>
        <translation>已复制 %1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="283"/>
        <source>ClawGo Desktop keeps running</source>
        <translation>ClawGo 桌面版仍在运行</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="284"/>
        <source>The gateway still answers in the tray. Quit from the tray menu, or turn &quot;Closing the window keeps ClawGo in the tray&quot; off on the Config page.</source>
        <translation>网关仍在托盘中提供服务。可从托盘菜单退出，或在“配置”页关闭“关闭窗口时让 ClawGo 留在托盘中”。</translation>
    </message>
</context>
<context>
    <name>OAuthAccountsPanel</name>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="56"/>
        <source>Sign in…</source>
        <translation>登录…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="57"/>
        <source>Import auth.json…</source>
        <translation>导入 auth.json…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="58"/>
        <source>Refresh token</source>
        <translation>刷新令牌</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="59"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="61"/>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="62"/>
        <source>Open the page again</source>
        <translation>再次打开页面</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="64"/>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="65"/>
        <source>Cancel sign-in</source>
        <translation>取消登录</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="202"/>
        <source>Accounts (sign in, or drop an auth.json here):</source>
        <translation>账号（登录，或把 auth.json 拖到这里）：</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="75"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="63"/>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="75"/>
        <source>Expires</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="75"/>
        <source>Health</source>
        <translation>健康度</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="75"/>
        <source>Cooldown until</source>
        <translation>冷却至</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="75"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="77"/>
        <source>OAuth accounts</source>
        <translation>OAuth 账号</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="81"/>
        <source>Signs in with the provider in your browser</source>
        <translation>在浏览器中登录该提供方</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="82"/>
        <source>Adds an account from a credential file (clawgo, Codex CLI, Gemini CLI, CLIProxyAPI)</source>
        <translation>从凭据文件添加账号（clawgo、Codex CLI、Gemini CLI、CLIProxyAPI）</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="84"/>
        <source>Exchanges the account&apos;s refresh token for a new access token now</source>
        <translation>立即用该账号的刷新令牌换取新的访问令牌</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="85"/>
        <source>Deletes the account&apos;s credential file</source>
        <translation>删除该账号的凭据文件</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="86"/>
        <source>Label (optional)</source>
        <translation>标签（可选）</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="87"/>
        <source>Account label</source>
        <translation>账号标签</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="88"/>
        <source>How the account is named when the provider does not say (Qwen)</source>
        <translation>提供方未给出名称时账号的名称（Qwen）</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="113"/>
        <source>Device code</source>
        <translation>设备代码</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="121"/>
        <source>http://localhost:…/callback?code=…&amp;state=…</source>
        <translation>http://localhost:…/callback?code=…&amp;state=…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="122"/>
        <source>Callback address</source>
        <translation>回调地址</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="137"/>
        <source>Import an OAuth credential</source>
        <translation>导入 OAuth 凭据</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="138"/>
        <source>JSON files (*.json);;All files (*)</source>
        <translation>JSON 文件 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="151"/>
        <source>Remove account</source>
        <translation>移除账号</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="152"/>
        <source>Remove this account and delete its credential file?
%1</source>
        <translation>移除此账号并删除其凭据文件？
%1</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="167"/>
        <source>Copied the code</source>
        <translation>已复制代码</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="172"/>
        <source>Copied the address</source>
        <translation>已复制地址</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="203"/>
        <source>Accounts: none yet. Signing in (or dropping an auth.json here) makes %1 use the account too.</source>
        <translation>账号：还没有。登录（或把 auth.json 拖到这里）后，%1 也会使用该账号。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="231"/>
        <source>disabled (%1): sign in again</source>
        <translation>已停用（%1）：请重新登录</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="233"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="234"/>
        <source>cooling down after %1</source>
        <translation>因 %1 冷却中</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="262"/>
        <source>Starting the sign-in with %1…</source>
        <translation>正在开始登录 %1…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="287"/>
        <source>The sign-in could not start: %1</source>
        <translation>无法开始登录：%1</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="300"/>
        <source>Your browser opens the verification page of %1. Enter this code there and approve the sign-in; this page notices by itself when you are done.</source>
        <translation>浏览器将打开 %1 的验证页面。请在那里输入此代码并批准登录；完成后本页面会自动察觉。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="311"/>
        <source>No browser could be opened here: use &quot;Copy address&quot; and open it in a browser.</source>
        <translation>此处无法打开浏览器：请使用“复制地址”，然后在浏览器中打开。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="304"/>
        <source>Your browser opens the sign-in page of %1. When you are done, it comes back to ClawGo by itself. If the browser shows an error page instead, copy its address and paste it here:</source>
        <translation>浏览器将打开 %1 的登录页面。完成后会自动回到 ClawGo。如果浏览器显示错误页面，请复制其地址并粘贴到这里：</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="310"/>
        <source>Waiting for you to finish in the browser…</source>
        <translation>等待你在浏览器中完成…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="322"/>
        <location filename="../ui/oauthaccountspanel.cpp" line="373"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="340"/>
        <source>That address does not finish the sign-in: %1</source>
        <translation>该地址无法完成登录：%1</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="348"/>
        <source>Sign-in cancelled.</source>
        <translation>已取消登录。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="371"/>
        <source>Waiting for you to approve the sign-in in the browser…</source>
        <translation>等待你在浏览器中批准登录…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="377"/>
        <source>Signed in to %1 as %2.</source>
        <translation>已以 %2 登录 %1。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="383"/>
        <source>The sign-in failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="408"/>
        <source>you declined it in the browser.</source>
        <translation>你在浏览器中拒绝了登录。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="410"/>
        <source>it took too long and expired. Start again.</source>
        <translation>耗时过长已过期。请重新开始。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="412"/>
        <source>the address belongs to another sign-in. Use the address of this one.</source>
        <translation>该地址属于另一次登录。请使用本次登录的地址。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="414"/>
        <source>the address has no sign-in code in it.</source>
        <translation>该地址中没有登录代码。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="416"/>
        <source>the provider refused the sign-in (%1).</source>
        <translation>提供方拒绝了登录（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="418"/>
        <source>this provider does not sign in with OAuth (set its auth to &quot;oauth&quot;).</source>
        <translation>此提供方不使用 OAuth 登录（请将其 auth 设为 &quot;oauth&quot;）。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="429"/>
        <source>Importing %1…</source>
        <translation>正在导入 %1…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="435"/>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="458"/>
        <source>%1 was not imported: %2</source>
        <translation>%1 未导入：%2</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="462"/>
        <source>Imported %1 as %2.</source>
        <translation>已将 %1 导入为 %2。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="473"/>
        <source>Refreshing the token…</source>
        <translation>正在刷新令牌…</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="485"/>
        <source>Token refreshed; it now expires %1.</source>
        <translation>令牌已刷新；现于 %1 到期。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="487"/>
        <source>The token could not be refreshed: %1</source>
        <translation>无法刷新令牌：%1</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="506"/>
        <source>Account removed.</source>
        <translation>已移除账号。</translation>
    </message>
    <message>
        <location filename="../ui/oauthaccountspanel.cpp" line="507"/>
        <source>The account was not removed: %1</source>
        <translation>账号未移除：%1</translation>
    </message>
</context>
<context>
    <name>ProvidersPage</name>
    <message>
        <location filename="../ui/providerspage.cpp" line="54"/>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="56"/>
        <source>OpenAI Chat Completions</source>
        <translation>OpenAI Chat Completions</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="58"/>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="60"/>
        <source>Gemini API</source>
        <translation>Gemini API</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="62"/>
        <source>AI Studio relay</source>
        <translation>AI Studio 中继</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="64"/>
        <source>Codex (ChatGPT plan)</source>
        <translation>Codex（ChatGPT 套餐）</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="68"/>
        <source>not supported yet</source>
        <translation>暂不支持</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="80"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="82"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="85"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="98"/>
        <source>no API key</source>
        <translation>无 API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="99"/>
        <source>API key %1</source>
        <translation>API 密钥 %1</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="101"/>
        <source>browser relay</source>
        <translation>浏览器中继</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="103"/>
        <source>account %1</source>
        <translation>账号 %1</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="118"/>
        <source>Save models</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="119"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="120"/>
        <source>Clear cooldown</source>
        <translation>清除冷却</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="121"/>
        <source>Clear history</source>
        <translation>清除历史</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="122"/>
        <source>Re-rank</source>
        <translation>重新排序</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="127"/>
        <source>&lt;h2&gt;Providers&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;提供方&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="129"/>
        <source>No provider is configured. Add one on the Config page, or with ClawGo ▸ Set up a provider…</source>
        <translation>尚未配置任何提供方。请在“配置”页添加，或使用 ClawGo ▸ 设置提供方…</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="135"/>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="135"/>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="135"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="135"/>
        <location filename="../ui/providerspage.cpp" line="155"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="136"/>
        <location filename="../ui/providerspage.cpp" line="176"/>
        <source>Health</source>
        <translation>健康度</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="136"/>
        <location filename="../ui/providerspage.cpp" line="176"/>
        <source>Cooldown</source>
        <translation>冷却</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="136"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="138"/>
        <source>Providers</source>
        <translation>提供方</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="153"/>
        <source>&amp;Models (one per line, the first is the default):</source>
        <translation>模型(&amp;M)（每行一个，第一个为默认）：</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="163"/>
        <source>Sends a real one-token request to the provider&apos;s first model</source>
        <translation>向该提供方的第一个模型发送一次真实的单令牌请求</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="164"/>
        <source>Lets the provider be tried again at once</source>
        <translation>让该提供方立即可以再次被尝试</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="165"/>
        <source>Forgets the provider&apos;s recent hits, errors and changes</source>
        <translation>清除该提供方最近的成功、错误和变更记录</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="166"/>
        <source>Recomputes the order in which the candidates are tried</source>
        <translation>重新计算候选凭据的尝试顺序</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="176"/>
        <source>Candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="176"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="177"/>
        <source>Failures</source>
        <translation>失败次数</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="177"/>
        <source>Last failure</source>
        <translation>最近失败</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="179"/>
        <source>Candidates</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="181"/>
        <source>Candidates, in the order they are tried:</source>
        <translation>候选凭据（按尝试顺序）：</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="188"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="188"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="188"/>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="188"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="188"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="190"/>
        <source>Recent runtime events</source>
        <translation>最近的运行时事件</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="192"/>
        <source>Recent events:</source>
        <translation>最近事件：</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="324"/>
        <source>Provider %1</source>
        <translation>提供方 %1</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="345"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="346"/>
        <source>cooling down</source>
        <translation>冷却中</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="373"/>
        <source>answered</source>
        <translation>已应答</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="414"/>
        <source>Cooldown of %1 cleared.</source>
        <translation>已清除 %1 的冷却。</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="416"/>
        <source>History of %1 cleared.</source>
        <translation>已清除 %1 的历史。</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="417"/>
        <source>Candidates of %1 re-ranked.</source>
        <translation>已重新排序 %1 的候选。</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="432"/>
        <source>Enter at least one model.</source>
        <translation>请至少输入一个模型。</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="449"/>
        <source>The models were not saved: %1</source>
        <translation>模型未保存：%1</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="456"/>
        <source>Models of %1 saved.</source>
        <translation>已保存 %1 的模型。</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="468"/>
        <source>Asking %1…</source>
        <translation>正在询问 %1…</translation>
    </message>
    <message>
        <location filename="../ui/providerspage.cpp" line="500"/>
        <source>%1 answered in %2 ms: %3</source>
        <translation>%1 在 %2 毫秒内应答：%3</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../ui/setupwizard.cpp" line="24"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="25"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="27"/>
        <source>Set up a provider</source>
        <translation>设置提供方</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="31"/>
        <source>ClawGo talks to any OpenAI-compatible server (a cloud API or a model running on this computer), to Anthropic and to Gemini.</source>
        <translation>ClawGo 可以连接任何兼容 OpenAI 的服务器（云端 API 或在本机运行的模型），也可以连接 Anthropic 和 Gemini。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="39"/>
        <location filename="../ui/setupwizard.cpp" line="119"/>
        <source>empty for a local server</source>
        <translation>本地服务可留空</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="41"/>
        <source>OpenAI-compatible server</source>
        <translation>兼容 OpenAI 的服务器</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="42"/>
        <source>Anthropic (Claude)</source>
        <translation>Anthropic（Claude）</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="43"/>
        <source>Google Gemini</source>
        <translation>Google Gemini</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="44"/>
        <source>Kind of provider</source>
        <translation>提供方类型</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="45"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="46"/>
        <location filename="../ui/setupwizard.cpp" line="62"/>
        <source>Base URL</source>
        <translation>基础地址</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="47"/>
        <location filename="../ui/setupwizard.cpp" line="63"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="48"/>
        <location filename="../ui/setupwizard.cpp" line="64"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="88"/>
        <source>stored; leave empty to keep it</source>
        <translation>已保存；留空则保持不变</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="153"/>
        <location filename="../ui/setupwizard.cpp" line="175"/>
        <source>Enter a base URL and a model first.</source>
        <translation>请先填写基础地址和模型。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="156"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="165"/>
        <source>It works: the model answered &quot;%1&quot;.</source>
        <translation>连接成功：模型回答了“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="166"/>
        <source>It does not work yet: %1</source>
        <translation>暂时无法连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="211"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <location filename="../ui/statuspage.cpp" line="29"/>
        <source>Check provider</source>
        <translation>检查提供方</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="32"/>
        <source>Generate a token</source>
        <translation>生成令牌</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="34"/>
        <source>Switch where credentials are kept</source>
        <translation>切换凭据的保存位置</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="41"/>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="42"/>
        <source>API address:</source>
        <translation>API 地址：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="48"/>
        <source>Authentication:</source>
        <translation>认证：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="49"/>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="50"/>
        <source>Uptime:</source>
        <translation>运行时间：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="51"/>
        <source>Provider:</source>
        <translation>提供方：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="52"/>
        <source>Activity:</source>
        <translation>活动：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="53"/>
        <source>Weixin:</source>
        <translation>微信：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="63"/>
        <source>Credentials:</source>
        <translation>凭据：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="67"/>
        <source>Copy API URL</source>
        <translation>复制 API 地址</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="68"/>
        <source>Copy token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="78"/>
        <source>Open config folder</source>
        <translation>打开配置文件夹</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="79"/>
        <source>Open log folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="103"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="131"/>
        <source>%1 (%2) answers in %3 ms.</source>
        <translation>%1（%2）在 %3 毫秒内应答。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="154"/>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="155"/>
        <source>not listening: %1</source>
        <translation>未在监听：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="161"/>
        <source>off (empty gateway.token)</source>
        <translation>已关闭（gateway.token 为空）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="161"/>
        <source>on (token required)</source>
        <translation>已开启（需要令牌）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="164"/>
        <source>Anyone who can reach the API address can use the agent: set gateway.token.</source>
        <translation>任何能访问该 API 地址的人都可以使用智能体：请设置 gateway.token。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="168"/>
        <source>The API listens beyond this computer (%1).</source>
        <translation>API 正在监听本机以外的地址（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="179"/>
        <source>%1 h %2 min %3 s</source>
        <translation>%1 小时 %2 分 %3 秒</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="185"/>
        <source>%1 requests since start; %2 open connections, %3 WebSocket clients; %4 chats answering now</source>
        <translation>启动以来 %1 个请求；%2 个打开的连接，%3 个 WebSocket 客户端；%4 个对话正在应答</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="193"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="195"/>
        <source>on, no account logged in</source>
        <translation>开启，没有已登录的账号</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="197"/>
        <source>%1 of %2 accounts connected</source>
        <translation>%2 个账号中 %1 个已连接</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="201"/>
        <source>API at %1</source>
        <translation>API 地址：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="201"/>
        <source>API not listening</source>
        <translation>API 未在监听</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/statuspage.cpp" line="203"/>
        <source>%n chat(s) answering</source>
        <translation>
            <numerusform>%n 个对话正在应答</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="204"/>
        <source>Weixin: %1</source>
        <translation>微信：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="250"/>
        <source>in the config files (0600), where clawgo can read them too</source>
        <translation>保存在配置文件中（0600），clawgo 也能读取</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="252"/>
        <source>in the system keychain (asking it…)</source>
        <translation>保存在系统钥匙串中（正在询问…）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="254"/>
        <source>meant for the system keychain, which is not available here (%1); they stay in the config files (0600)</source>
        <translation>应保存在系统钥匙串中，但此处不可用（%1）；仍保存在配置文件中（0600）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="259"/>
        <source>in the system keychain (1 credential); clawgo cannot read it there</source>
        <translation>保存在系统钥匙串中（1 个凭据）；clawgo 无法从那里读取</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="261"/>
        <source>in the system keychain (%1 credentials); clawgo cannot read them there</source>
        <translation>保存在系统钥匙串中（%1 个凭据）；clawgo 无法从那里读取</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="266"/>
        <source>Not given by the keychain: %1</source>
        <translation>钥匙串未提供：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="268"/>
        <source>Move to the config files</source>
        <translation>移到配置文件</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="269"/>
        <source>Move to the keychain</source>
        <translation>移到钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="292"/>
        <source>Not switched: %1</source>
        <translation>未切换：%1</translation>
    </message>
</context>
<context>
    <name>WeixinPage</name>
    <message>
        <location filename="../ui/weixinpage.cpp" line="26"/>
        <source>Log in with WeChat</source>
        <translation>用微信登录</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="27"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="28"/>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="29"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="38"/>
        <location filename="../ui/weixinpage.cpp" line="224"/>
        <source>Not logged in. Click &quot;Log in with WeChat&quot; and scan the code with the WeChat app.</source>
        <translation>尚未登录。点击“用微信登录”，然后用微信扫描二维码。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="56"/>
        <source>WeChat accounts</source>
        <translation>微信账号</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="57"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="57"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="57"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="58"/>
        <source>Last event</source>
        <translation>最近事件</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="58"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="58"/>
        <source>Token kept in</source>
        <translation>令牌存放于</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="61"/>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="106"/>
        <source>Asking WeChat for a login code…</source>
        <translation>正在向微信请求登录二维码…</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="115"/>
        <source>Could not start the login: %1</source>
        <translation>无法开始登录：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="139"/>
        <source>Scan this code with WeChat (Me → Scan).</source>
        <translation>请用微信扫描此二维码（我 → 扫一扫）。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="141"/>
        <source>Scanned — confirm the login on your phone.</source>
        <translation>已扫描，请在手机上确认登录。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="143"/>
        <source>Scanned — switching to another WeChat server…</source>
        <translation>已扫描，正在切换到另一台微信服务器…</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="145"/>
        <source>The code expired several times. Click &quot;Log in with WeChat&quot; to try again.</source>
        <translation>二维码已多次过期。请点击“用微信登录”重试。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="146"/>
        <source>WeChat says: %1</source>
        <translation>微信返回：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="152"/>
        <source>listening</source>
        <translation>监听中</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="154"/>
        <source>message received</source>
        <translation>已收到消息</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="156"/>
        <source>reply sent</source>
        <translation>已发送回复</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="158"/>
        <source>problem</source>
        <translation>有问题</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="171"/>
        <source>The WeChat channel is off. Click &quot;Log in with WeChat&quot; to turn it on, or enable it on the Config page.</source>
        <translation>微信通道未开启。点击“使用微信登录”即可开启，或在“配置”页面中启用。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="174"/>
        <source>WeChat could not be reached: %1</source>
        <translation>无法连接微信：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="178"/>
        <source>The code expired and was replaced. %1</source>
        <translation>二维码已过期并已更换。%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="180"/>
        <source>(last problem: %1)</source>
        <translation>（最近的问题：%1）</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="185"/>
        <source>The code is valid for %1:%2</source>
        <translation>二维码有效期还剩 %1:%2</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="227"/>
        <source>WeChat ended the session; the channel waits until %1 and then tries again. Logging in again ends the wait.</source>
        <translation>微信结束了会话；通道将等待到 %1 后重试。重新登录可结束等待。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="232"/>
        <source>Logged in. Messages to the bot go to the agent.</source>
        <translation>已登录。发给机器人的消息会交给智能体处理。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="234"/>
        <source>Logged in, but not connected: %1</source>
        <translation>已登录，但未连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="236"/>
        <source>Logged in; connecting to WeChat…</source>
        <translation>已登录；正在连接微信…</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="245"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="246"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="246"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="247"/>
        <source>system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="247"/>
        <source>config file</source>
        <translation>配置文件</translation>
    </message>
</context>
</TS>
