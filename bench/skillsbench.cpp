// The Skills Catalog with 200 skills (bench/README.md): how long the system prompt's catalog
// takes to build (scan the roots, read every SKILL.md, render), and that two builds give the
// same bytes.

#include "benchsupport.h"
#include "skills/skillcatalog.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int count = argc > 1 ? atoi(argv[1]) : 200;
    QTemporaryDir home;
    const QString workspace = home.filePath(QStringLiteral("workspace"));
    for (int i = 0; i < count; ++i) {
        const QString folder =
            workspace + QStringLiteral("/skills/skill-%1").arg(i, 3, 10, QLatin1Char('0'));
        QDir().mkpath(folder + QStringLiteral("/scripts"));
        QFile file(folder + QStringLiteral("/SKILL.md"));
        file.open(QIODevice::WriteOnly);
        file.write(QStringLiteral("---\nname: skill-%1\ndescription: \"Does task %1 <quickly> & "
                                  "well\"\n---\n\n# Skill %1\n\n")
                       .arg(i)
                       .toUtf8() +
                   QByteArray(4000, 'x') + "\n");
    }
    const QList<SkillCatalog::Root> roots =
        SkillCatalog::roots(workspace, home.filePath(QStringLiteral("config")));
    QString first;
    for (int run = 1; run <= 10; ++run) {
        const qint64 start = Bench::nowNs();
        const QString catalog = SkillCatalog::render(SkillCatalog::scan(roots));
        const qint64 end = Bench::nowNs();
        if (first.isEmpty())
            first = catalog;
        std::printf("run %d: %.2f ms, %lld bytes, same as the first: %s\n", run,
                    (end - start) / 1e6, qint64(catalog.toUtf8().size()),
                    catalog == first ? "yes" : "NO");
    }
    return 0;
}
