#pragma once

#include "http/router.h"

#include <memory>

struct ApiServices;

// POST /api/upload: a multipart body streamed to disk as it arrives (never held in memory), into
// a private folder (0700) as files 0600 with sanitised names, synced to disk before the answer;
// past the size limit the answer is 413 before the body is read.
namespace UploadApi {

std::unique_ptr<RequestBodySink> start(ApiServices &services, const ApiRequest &request);
// "../../a b\u0000.txt" → "a_b_.txt": a safe file name from whatever a client sent.
QString sanitizeFileName(const QString &clientName);
// The last path component of what a client sent as its file name ("C:\x\a.txt" → "a.txt").
QString clientBaseName(const QString &clientName);

} // namespace UploadApi
