#pragma once

#include "core/workspacepaths.h"
#include "http/apiresponse.h"

#include <functional>
#include <optional>

// What the controllers over workspace files share: file work on the pool and its answer, text
// files read and written with one size cap, and path errors in the reference's statuses.
namespace FileAnswers {

// Runs `work` on the file pool and answers with its result (dropped if the client left).
void answerOnPool(const ApiRequest &request, const Reply &reply, std::function<ApiResponse()> work);

// `workspace not configured` → 500, any other path error → 400.
ApiResponse pathError(const WorkspacePaths::Resolved &resolved);

// A text file of at most 4 MiB: only a regular file, opened without blocking.
struct TextRead
{
    bool found = false;
    QString content;
    std::optional<ApiResponse> failure;
};
TextRead readText(const QString &path);
// Writes atomically, creating the parent folders; false with the answer to give.
bool writeText(const QString &path, const QString &content, ApiResponse *failure);

} // namespace FileAnswers
