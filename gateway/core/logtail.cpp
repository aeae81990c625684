#include "logtail.h"

#include "background.h"
#include "logfilereader.h"

#include <QFile>
#include <QTimer>
#include <mutex>
#include <sys/stat.h>

namespace {

quint64 inodeOf(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return 0;
    return quint64(info.st_ino);
}

constexpr qint64 kMaxLineBytes = 1024 * 1024;
constexpr qint64 kMaxReadPerPoll = 4 * 1024 * 1024;

} // namespace

// The reading side of a tail: used by one pool task at a time (the mutex makes that a rule, not
// an assumption).
class TailReader
{
public:
    explicit TailReader(const QString &path) : m_path(path) {}

    bool open(QString *error)
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("open %1: %2").arg(m_path, m_file.errorString());
            return false;
        }
        m_file.seek(m_file.size());
        m_inode = inodeOf(m_path);
        rememberTail();
        return true;
    }

    QList<QJsonObject> poll()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        QList<QJsonObject> out;
        if (!m_file.isOpen()) {
            if (!reopen(0))
                return out;
            m_lastBytes.clear();
        }
        const quint64 currentInode = inodeOf(m_path);
        if (currentInode != 0 && currentInode != m_inode) {
            // Rotated: finish the old file, then follow the new one from its start.
            drain(&out);
            m_partial.clear();
            if (!reopen(0))
                return out;
            m_lastBytes.clear();
        } else if (wasRewritten()) {
            // Truncated in place (possibly already longer again): start over from the top.
            m_partial.clear();
            m_file.seek(0);
        }
        drain(&out);
        rememberTail();
        return out;
    }

private:
    bool reopen(qint64 position)
    {
        m_file.close();
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::ReadOnly))
            return false;
        m_file.seek(position);
        m_inode = inodeOf(m_path);
        return true;
    }

    void drain(QList<QJsonObject> *out)
    {
        qint64 budget = kMaxReadPerPoll;
        while (budget > 0) {
            const QByteArray chunk = m_file.read(qMin<qint64>(budget, 64 * 1024));
            if (chunk.isEmpty())
                break;
            budget -= chunk.size();
            m_partial.append(chunk);
            qsizetype newline;
            while ((newline = m_partial.indexOf('\n')) >= 0) {
                const QByteArray line = m_partial.left(newline);
                m_partial.remove(0, newline + 1);
                if (auto parsed = LogFileReader::parseLine(line))
                    out->append(*parsed);
            }
            if (m_partial.size() > kMaxLineBytes) {
                // A runaway line without a newline: emit what we have rather than grow forever.
                if (auto parsed = LogFileReader::parseLine(m_partial))
                    out->append(*parsed);
                m_partial.clear();
            }
        }
    }

    void rememberTail()
    {
        const qint64 pos = m_file.pos();
        const qint64 length = qMin<qint64>(pos, 64);
        m_file.seek(pos - length);
        m_lastBytes = m_file.read(length);
        m_file.seek(pos);
    }

    bool wasRewritten()
    {
        const qint64 pos = m_file.pos();
        if (m_file.size() < pos)
            return true;
        // The bytes just before our position must still be the ones we read there.
        const qint64 length = m_lastBytes.size();
        m_file.seek(pos - length);
        const bool same = m_file.read(length) == m_lastBytes;
        m_file.seek(pos);
        return !same;
    }

    std::mutex m_mutex;
    QString m_path;
    QFile m_file;
    quint64 m_inode = 0;
    QByteArray m_partial;
    QByteArray m_lastBytes; // the bytes just before the read position, to notice rewrites
};

LogTail::LogTail(const QString &path, int pollIntervalMs, QObject *parent)
    : QObject(parent), m_reader(std::make_shared<TailReader>(path)), m_timer(new QTimer(this))
{
    m_timer->setInterval(pollIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &LogTail::poll);
}

LogTail::~LogTail() = default;

bool LogTail::start(QString *error)
{
    // Opening and seeking to the end reads nothing.
    if (!m_reader->open(error))
        return false;
    m_timer->start();
    return true;
}

void LogTail::poll()
{
    if (m_polling)
        return; // the previous read is still on the pool
    m_polling = true;
    std::shared_ptr<TailReader> reader = m_reader;
    Background::run(
        this, [reader] { return reader->poll(); },
        [this](const QList<QJsonObject> &entries) {
            m_polling = false;
            for (const QJsonObject &e : entries)
                Q_EMIT entry(e);
        });
}
