#pragma once

#include <QString>

// `<dir(config)>/gateway.pid` as clawgo writes it (spec/config.md §1.6): "<pid>\n", mode 0644,
// removed on a clean exit. clawgo's CLI (`clawgo config set`, `clawgo config reload`) reads it
// and sends SIGHUP, which reloads the config here too.
class PidFile
{
public:
    explicit PidFile(const QString &configPath);
    ~PidFile(); // removes the file if it still names this process
    PidFile(const PidFile &) = delete;
    PidFile &operator=(const PidFile &) = delete;

    QString path() const { return m_path; }
    bool written() const { return m_written; }

private:
    QString m_path;
    QByteArray m_content;
    bool m_written = false;
};
