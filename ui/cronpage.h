#pragma once

#include "cron/cronjob.h"

#include <QDialog>
#include <QSet>
#include <QWidget>

class GatewayHost;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

// A scheduled job, new or edited: name, message, schedule (a cron expression, checked as it is
// typed with the next five runs shown, or one time) and where the result goes.
class CronJobDialog : public QDialog
{
    Q_OBJECT

public:
    CronJobDialog(const CronJob &job, bool isNew, QWidget *parent = nullptr);
    // The /api/cron arguments of this job (create or update).
    QJsonObject arguments() const;
    QLineEdit *nameEdit() const { return m_name; }
    QPlainTextEdit *messageEdit() const { return m_message; }
    QLineEdit *expressionEdit() const { return m_expr; }
    QPushButton *saveButton() const { return m_save; }
    QComboBox *channelBox() const { return m_channel; }
    QLineEdit *chatEdit() const { return m_to; }
    QCheckBox *deliverBox() const { return m_deliver; }
    QListWidget *previewList() const { return m_preview; }
    QString validationText() const;
    void setError(const QString &error); // the gateway refused the job
    void setSaving(bool saving);         // Save is off while the gateway answers

Q_SIGNALS:
    void saveRequested(); // Save: the page saves it, and closes the dialog once it is saved

private:
    void validate();

    QFormLayout *m_form = nullptr;
    QLineEdit *m_name;
    QPlainTextEdit *m_message;
    QComboBox *m_kind;
    QLineEdit *m_expr;
    QDateTimeEdit *m_at;
    QLabel *m_validation;
    QListWidget *m_preview;
    QComboBox *m_channel;
    QLineEdit *m_to;
    QCheckBox *m_deliver;
    QLabel *m_error;
    QPushButton *m_save;
    QString m_id;
    bool m_saving = false;
};

// The scheduled jobs of cron/jobs.json (the same as /api/cron): each with its schedule in words,
// next and last run, status and error; new, edit, run now, enable/disable, delete, and the
// session of its runs opened in the Chat page. Follows every change, whoever made it.
class CronPage : public QWidget
{
    Q_OBJECT

public:
    explicit CronPage(GatewayHost *host, QWidget *parent = nullptr);
    void reload();
    QTreeWidget *jobList() const { return m_list; }
    QString selectedId() const;
    void select(const QString &id);
    // The buttons' actions, for the selected job.
    void newJob();
    void editSelected();
    void runSelected();
    void toggleSelected();
    void deleteSelected();                                                 // asks first
    CronJobDialog *dialog() const { return findChild<CronJobDialog *>(); } // the open one, if any
    void openHistory();
    // Saves a job through the service (what the dialog's Save does).
    void save(const QJsonObject &arguments, CronJobDialog *dialog);
    QString errorText() const;
    QList<CronJob> jobs() const { return m_jobs; }

Q_SIGNALS:
    void openSession(const QString &session);
    void notice(const QString &text);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void show(const QList<CronJob> &jobs, const QSet<QString> &running);
    void updateButtons();
    const CronJob *jobById(const QString &id) const; // in m_jobs, or null
    void act(const QString &action, const QString &id, const QString &done);
    void showError(const QString &error);
    void openDialog(CronJobDialog *dialog);

    GatewayHost *m_host;
    QTreeWidget *m_list;
    QLabel *m_empty;
    QLabel *m_detail;
    QLabel *m_error;
    QPushButton *m_new;
    QPushButton *m_edit;
    QPushButton *m_run;
    QPushButton *m_toggle;
    QPushButton *m_delete;
    QPushButton *m_history;
    QList<CronJob> m_jobs;
    QSet<QString> m_running;
    bool m_reloadAgain = false;
    bool m_loading = false;
    QString m_selectAfterReload;
    bool m_stale = true; // changed while hidden
};
