<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatPage</name>
    <message>
        <location filename="../ui/chatpage.cpp" line="22"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="22"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="23"/>
        <source>Attach file…</source>
        <translation>附加文件…</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="29"/>
        <source>New session</source>
        <translation>新会话</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="38"/>
        <source>Message the agent (Ctrl+Enter sends)</source>
        <translation>给智能体发消息（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="70"/>
        <source>

*(stopped)*</source>
        <translation>

*（已停止）*</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="135"/>
        <source>Attach a file</source>
        <translation>选择要附加的文件</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="139"/>
        <source>Attached: %1</source>
        <translation>已附加：%1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="183"/>
        <source>The agent could not answer: %1</source>
        <translation>智能体无法回答：%1</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="194"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="196"/>
        <location filename="../ui/chatpage.cpp" line="201"/>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <location filename="../ui/chatpage.cpp" line="198"/>
        <source>(a tool was used)</source>
        <translation>（使用了一个工具）</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <location filename="../ui/configschema.cpp" line="9"/>
        <location filename="../ui/configschema.cpp" line="11"/>
        <location filename="../ui/configschema.cpp" line="13"/>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="10"/>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="12"/>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="14"/>
        <source>API token</source>
        <translation>API 令牌</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="15"/>
        <location filename="../ui/configschema.cpp" line="17"/>
        <location filename="../ui/configschema.cpp" line="20"/>
        <location filename="../ui/configschema.cpp" line="23"/>
        <source>Providers and models</source>
        <translation>提供方与模型</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="16"/>
        <source>Model (provider/model)</source>
        <translation>模型（提供方/模型）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="18"/>
        <source>API base URL</source>
        <translation>API 基础地址</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="21"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="24"/>
        <source>Timeout (s)</source>
        <translation>超时（秒）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="26"/>
        <location filename="../ui/configschema.cpp" line="28"/>
        <location filename="../ui/configschema.cpp" line="30"/>
        <location filename="../ui/configschema.cpp" line="32"/>
        <source>Agent defaults</source>
        <translation>智能体默认设置</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="27"/>
        <source>Workspace folder</source>
        <translation>工作区文件夹</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="29"/>
        <source>Tool iterations per turn</source>
        <translation>每轮工具调用次数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="31"/>
        <source>Max output tokens</source>
        <translation>最大输出令牌数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="33"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="34"/>
        <location filename="../ui/configschema.cpp" line="36"/>
        <location filename="../ui/configschema.cpp" line="38"/>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="35"/>
        <source>Weixin enabled</source>
        <translation>启用微信</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="37"/>
        <source>Telegram enabled</source>
        <translation>启用 Telegram</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="39"/>
        <source>Telegram bot token</source>
        <translation>Telegram 机器人令牌</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="40"/>
        <location filename="../ui/configschema.cpp" line="42"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="41"/>
        <source>Shell commands (exec)</source>
        <translation>Shell 命令（exec）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="43"/>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="44"/>
        <location filename="../ui/configschema.cpp" line="46"/>
        <location filename="../ui/configschema.cpp" line="48"/>
        <source>Logging</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="45"/>
        <source>Write a log file</source>
        <translation>写入日志文件</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="47"/>
        <source>Rotate after (MiB)</source>
        <translation>轮转大小（MiB）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="49"/>
        <source>Keep rotated logs (days)</source>
        <translation>保留轮转日志（天）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="50"/>
        <location filename="../ui/configschema.cpp" line="52"/>
        <location filename="../ui/configschema.cpp" line="54"/>
        <source>Cron</source>
        <translation>定时任务</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="51"/>
        <source>Parallel jobs</source>
        <translation>并行任务数</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="53"/>
        <source>Minimum sleep (s)</source>
        <translation>最短休眠（秒）</translation>
    </message>
    <message>
        <location filename="../ui/configschema.cpp" line="55"/>
        <source>Maximum sleep (s)</source>
        <translation>最长休眠（秒）</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="25"/>
        <source>The config file was changed outside this window.</source>
        <translation>配置文件已在此窗口之外被修改。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="26"/>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="84"/>
        <source>applies at once</source>
        <translation>立即生效</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="84"/>
        <source>needs a restart</source>
        <translation>需要重启</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="107"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="109"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="117"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="118"/>
        <source>Discard changes</source>
        <translation>放弃更改</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="140"/>
        <source>An outside edit of the config was refused: %1</source>
        <translation>外部对配置的修改被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="205"/>
        <source>The JSON is not valid: %1</source>
        <translation>JSON 无效：%1</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="232"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="237"/>
        <source>Saved. The gateway uses the new settings now.</source>
        <translation>已保存，网关已使用新设置。</translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/configpage.cpp" line="243"/>
        <source>Not saved: %n problem(s), shown next to the fields.</source>
        <translation>
            <numerusform>未保存：%n 个问题，已显示在对应字段旁。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="247"/>
        <source>Not saved: the config changed meanwhile. Reload, then apply your change again.</source>
        <translation>未保存：配置已被他处修改。请重新加载后再次修改。</translation>
    </message>
    <message>
        <location filename="../ui/configpage.cpp" line="254"/>
        <source>Not saved: the file could not be written; the previous file is unchanged.</source>
        <translation>未保存：无法写入文件，原文件保持不变。</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <location filename="../ui/logspage.cpp" line="29"/>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="33"/>
        <source>All levels</source>
        <translation>所有级别</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="34"/>
        <source>Info and above</source>
        <translation>信息及以上</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="35"/>
        <source>Warnings and errors</source>
        <translation>警告和错误</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="36"/>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="37"/>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="40"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="41"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../ui/logspage.cpp" line="63"/>
        <source>Export log</source>
        <translation>导出日志</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../ui/mainwindow.cpp" line="51"/>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <location filename="../ui/mainwindow.cpp" line="92"/>
        <location filename="../ui/mainwindow.cpp" line="127"/>
        <source>ClawGo Desktop</source>
        <translation>ClawGo 桌面版</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="55"/>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="55"/>
        <source>Config</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="55"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="55"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="55"/>
        <source>Weixin</source>
        <translation>微信</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="69"/>
        <source>&amp;ClawGo</source>
        <translation>&amp;ClawGo</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="70"/>
        <source>Set up a provider…</source>
        <translation>设置提供方…</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="71"/>
        <location filename="../ui/mainwindow.cpp" line="110"/>
        <source>Copy API URL</source>
        <translation>复制 API 地址</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="74"/>
        <location filename="../ui/mainwindow.cpp" line="117"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="87"/>
        <source>The API listener failed: %1</source>
        <translation>API 监听失败：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="93"/>
        <source>The edited config was refused: %1</source>
        <translation>修改后的配置被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="109"/>
        <source>Show window</source>
        <translation>显示窗口</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="112"/>
        <source>Restart listener</source>
        <translation>重启监听</translation>
    </message>
    <message>
        <location filename="../ui/mainwindow.cpp" line="137"/>
        <location filename="../ui/mainwindow.cpp" line="138"/>
        <source>ClawGo Desktop: %1</source>
        <translation>ClawGo 桌面版：%1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../ui/setupwizard.cpp" line="21"/>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="22"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="24"/>
        <source>Set up a provider</source>
        <translation>设置提供方</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="26"/>
        <source>ClawGo talks to any OpenAI-compatible server: a cloud API or a model running on this computer.</source>
        <translation>ClawGo 可连接任何兼容 OpenAI 的服务：云端 API 或本机运行的模型。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="34"/>
        <source>empty for a local server</source>
        <translation>本地服务可留空</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="36"/>
        <source>Base URL</source>
        <translation>基础地址</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="37"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="38"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="68"/>
        <location filename="../ui/setupwizard.cpp" line="85"/>
        <source>Enter a base URL and a model first.</source>
        <translation>请先填写基础地址和模型。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="71"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="75"/>
        <source>It works: the model answered &quot;%1&quot;.</source>
        <translation>连接成功：模型回答了“%1”。</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="76"/>
        <source>It does not work yet: %1</source>
        <translation>暂时无法连接：%1</translation>
    </message>
    <message>
        <location filename="../ui/setupwizard.cpp" line="107"/>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
</context>
<context>
    <name>StatusPage</name>
    <message>
        <location filename="../ui/statuspage.cpp" line="20"/>
        <source>Check provider</source>
        <translation>检查提供方</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="28"/>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="29"/>
        <source>API address:</source>
        <translation>API 地址：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="30"/>
        <source>Authentication:</source>
        <translation>认证：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="31"/>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="32"/>
        <source>Uptime:</source>
        <translation>运行时间：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="33"/>
        <source>Provider:</source>
        <translation>提供方：</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="37"/>
        <source>Copy API URL</source>
        <translation>复制 API 地址</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="38"/>
        <source>Copy token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="52"/>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="65"/>
        <source>%1 (%2) answers.</source>
        <translation>%1（%2）响应正常。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="82"/>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="83"/>
        <source>not listening: %1</source>
        <translation>未在监听：%1</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="89"/>
        <source>off (empty gateway.token)</source>
        <translation>已关闭（gateway.token 为空）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="89"/>
        <source>on (token required)</source>
        <translation>已开启（需要令牌）</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="92"/>
        <source>Anyone who can reach the API address can use the agent: set gateway.token.</source>
        <translation>任何能访问该 API 地址的人都可以使用智能体：请设置 gateway.token。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="96"/>
        <source>The API listens beyond this computer (%1).</source>
        <translation>API 正在监听本机以外的地址（%1）。</translation>
    </message>
    <message>
        <location filename="../ui/statuspage.cpp" line="102"/>
        <source>%1 h %2 min %3 s</source>
        <translation>%1 小时 %2 分 %3 秒</translation>
    </message>
</context>
<context>
    <name>WeixinPage</name>
    <message>
        <location filename="../ui/weixinpage.cpp" line="18"/>
        <source>Log in with WeChat</source>
        <translation>用微信登录</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="19"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="20"/>
        <source>Make default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="21"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="30"/>
        <location filename="../ui/weixinpage.cpp" line="168"/>
        <source>Not logged in. Click &quot;Log in with WeChat&quot; and scan the code with the WeChat app.</source>
        <translation>尚未登录。点击“用微信登录”，然后用微信扫描二维码。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="48"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="48"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="48"/>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="49"/>
        <source>Last event</source>
        <translation>最近事件</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="49"/>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="49"/>
        <source>Token kept in</source>
        <translation>令牌存放于</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="52"/>
        <source>Accounts</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="88"/>
        <source>Asking WeChat for a login code…</source>
        <translation>正在向微信请求登录二维码…</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="92"/>
        <source>Could not start the login: %1</source>
        <translation>无法开始登录：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="108"/>
        <source>Scan this code with WeChat (Me → Scan).</source>
        <translation>请用微信扫描此二维码（我 → 扫一扫）。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="110"/>
        <source>Scanned — confirm the login on your phone.</source>
        <translation>已扫描，请在手机上确认登录。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="112"/>
        <source>Scanned — switching to another WeChat server…</source>
        <translation>已扫描，正在切换到另一台微信服务器…</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="114"/>
        <source>The code expired several times. Click &quot;Log in with WeChat&quot; to try again.</source>
        <translation>二维码已多次过期。请点击“用微信登录”重试。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="115"/>
        <source>WeChat says: %1</source>
        <translation>微信返回：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="129"/>
        <source>The WeChat channel is off. Click &quot;Log in with WeChat&quot; to turn it on, or enable it on the Config page.</source>
        <translation>微信通道未开启。点击“使用微信登录”即可开启，或在“配置”页面中启用。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="132"/>
        <source>WeChat could not be reached: %1</source>
        <translation>无法连接微信：%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="137"/>
        <source>The code expired and was replaced. %1</source>
        <translation>二维码已过期并已更换。%1</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="140"/>
        <source>(last problem: %1)</source>
        <translation>（最近的问题：%1）</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="145"/>
        <source>The code is valid for %1:%2</source>
        <translation>二维码有效期还剩 %1:%2</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="170"/>
        <source>Logged in. Messages to the bot go to the agent.</source>
        <translation>已登录。发给机器人的消息会交给智能体处理。</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="179"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="181"/>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="181"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="183"/>
        <source>system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <location filename="../ui/weixinpage.cpp" line="184"/>
        <source>config file</source>
        <translation>配置文件</translation>
    </message>
</context>
</TS>
