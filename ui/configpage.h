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
// shown next to the field they concern on the Form tab, as a list on the JSON tab. The two tabs
// show the same document: switching carries the edits over. An outside edit is noticed and
// offered to reload.
class ConfigPage : public QWidget
{
    Q_OBJECT

public:
    ConfigPage(GatewayHost *host, QWidget *parent = nullptr);
    void reload();
    void save();
    // For tests and the wizard: set a form field by its dotted path (placeholder resolved).
    bool setFieldText(const QString &path, const QString &value);
    QString fieldText(const QString &path) const; // what the field shows
    QWidget *fieldEditor(const QString &path) const;
    QString fieldError(const QString &path) const;
    QString fieldHint(const QString &path) const;
    QString rawText() const;
    void showJsonTab(bool json);
    QString statusText() const;
    bool outsideChangePending() const;
    bool isDirty() const { return m_dirty; }
    bool canSave() const { return !m_saveBlocked; }

Q_SIGNALS:
    void saved();
    void dirtyChanged(bool dirty);

private:
    struct FieldWidgets
    {
        QWidget *editor = nullptr;
        QLabel *error = nullptr;
        QLabel *hint = nullptr;
        int index = -1;
    };
    void reloadThen(std::function<void()> after);
    void saveConfig(const QJsonObject &config); // validated by the gateway, written, reloaded
    QString resolvePath(const char *path) const;
    void fillForm(const QJsonObject &config);
    QJsonObject formConfig() const;
    QJsonObject collect(QString *problem) const;
    void showErrors(const QStringList &errors);
    void setDirty(bool dirty);
    void tabChanged(int index);
    void updateOverrideHints();

    GatewayHost *m_host;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_raw;
    QLabel *m_status;
    QLabel *m_unsaved;
    QLabel *m_banner;
    QPushButton *m_reloadBanner;
    QJsonObject m_saved;
    QByteArray m_etag;
    QHash<QString, FieldWidgets> m_fields; // by the field's path as configschema writes it
    QHash<QString, QJsonValue> m_filled;   // what each field showed when it was filled
    bool m_dirty = false;
    bool m_loaded = false; // the first answer arrived: the fields hold the real values
    bool m_justSaved = false;
    int m_shownTab = 0;
    QPushButton *m_saveButton = nullptr;
    bool m_saveBlocked = false; // the file could not be loaded: never overwrite it from here
};
