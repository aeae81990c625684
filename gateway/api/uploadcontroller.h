#pragma once

#include <QString>
#include <functional>

class FrontDoor;
class RequestGuard;
class Router;

// POST /api/upload: a multipart body streamed to disk as it arrives (never held in memory),
// into a private folder (0700) as files 0600 with sanitised names; past the size limit the
// answer is 413 before the body is read.
class UploadController
{
public:
    using FolderSource = std::function<QString()>;
    UploadController(Router *router, FrontDoor *frontDoor, RequestGuard *guard,
                     FolderSource uploadFolder, qint64 maxBytes);

    // "../../a b\u0000.txt" → "a_b_.txt": a safe file name from whatever a client sent.
    static QString sanitizeFileName(const QString &clientName);
};
