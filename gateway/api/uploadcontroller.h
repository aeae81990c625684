#pragma once

#include "http/router.h"

#include <QString>
#include <functional>
#include <memory>

class QObject;
struct ApiServices;

// POST /api/upload: a multipart body streamed to disk as it arrives (never held in memory), into
// a private folder (0700) as files 0600 with sanitised names, synced to disk before the answer;
// past the size limit the answer is 413 before the body is read.
namespace UploadApi {

std::unique_ptr<RequestBodySink> start(ApiServices &services, const ApiRequest &request);

struct Stored
{
    QString path;  // where the upload now lives (what /api/upload answers as "path")
    QString name;  // the file's own name
    QString error; // set when nothing was stored
};
// The window's "Attach file": a file of this machine stored exactly as an upload is (same
// folder, names, size limit, sync before the answer), copied on the file pool.
void storeLocalFile(ApiServices &services, const QString &source, QObject *context,
                    std::function<void(const Stored &)> done);
// "../../a b\u0000.txt" → "a_b_.txt": a safe file name from whatever a client sent.
QString sanitizeFileName(const QString &clientName);
// The last path component of what a client sent as its file name ("C:\x\a.txt" → "a.txt").
QString clientBaseName(const QString &clientName);

} // namespace UploadApi
