#pragma once

#include "http/apiresponse.h"

struct ApiServices;

// /api/skills (spec/api.md §15): the workspace's skills listed with their SKILL.md metadata,
// a skill's files and one file, enable/disable, write_file, create/update, install through the
// ClawHub CLI, and delete. Every name is checked (one character set, never a path: the
// reference's `DELETE ?id=..` removed the whole workspace); file work runs on the file pool and
// ClawHub runs as a process, never on the event loop.
namespace SkillsApi {

void skills(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace SkillsApi
