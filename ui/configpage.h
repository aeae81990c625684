#pragma once

#include <QHash>
#include <QJsonObject>
#include <QWidget>
#include <functional>

class GatewayHost;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

// Edit the config: a form per section (from configschema) and the raw JSON. Saving goes through
// the gateway's ConfigStore (same validation, atomic write and events as the API); errors are
// shown next to the field they concern. An outside edit is noticed and offered to reload.
class ConfigPage : public QWidget
{
    Q_OBJECT

public:
    ConfigPage(GatewayHost *host, QWidget *parent = nullptr);
    void reload();
    void save();
    // For tests and the wizard: set a form field by its dotted path (placeholder resolved).
    bool setFieldText(const QString &path, const QString &value);
    QString fieldError(const QString &path) const;
    QString statusText() const;
    bool outsideChangePending() const;

Q_SIGNALS:
    void saved();

private:
    struct FieldWidgets
    {
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
        int index = -1;
    };
    void reloadThen(std::function<void()> after);
    QString resolvePath(const char *path) const;
    void fillForm();
    QJsonObject collect(QString *problem) const;
    void showErrors(const QStringList &errors);

    GatewayHost *m_host;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_raw;
    QLabel *m_status;
    QLabel *m_banner;
    QPushButton *m_reloadBanner;
    QJsonObject m_saved;
    QByteArray m_etag;
    QHash<QString, FieldWidgets> m_fields; // by resolved path
    bool m_dirty = false;
};
