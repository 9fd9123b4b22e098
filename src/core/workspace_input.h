// The input of a Workspace as JSON, shared by the front ends that take JSON in (the app's page
// API window.dfplay and the JS API module): one parser, one set of error messages.
//
//   {"dockerfile": "FROM ...",                 // the Dockerfile text ("" when absent)
//    "dockerfile_path": "Dockerfile",          // its path in the context (optional)
//    "files": {"path": "content", ...},        // or [{"path", "content", "mode"?}] or [["path", "content"]]
//    "options": {...}}                         // see options_from_json; defaults when absent
//
// Unknown fields and wrong types are errors ("options.no_cache must be true or false"), so a
// typo never silently builds something else. Nothing here throws.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "workspace.h"

namespace dfplay {

// Options as workspace_json() prints them (snake_case), camelCase accepted too:
//   {"target": "", "platform": "linux/amd64", "build_args": {"NAME": "value"} | ["NAME=value"],
//    "no_cache": false, "no_cache_filter": ["stage"], "network": "default",
//    "best_practices": true, "digest_overrides": {"node:20-alpine": "sha256:..."}}
// Fields that are absent keep their value in `out` (a merge). Returns "" or an error message
// prefixed with `what` ("setOptions: options.target must be a string"); `out` is unchanged on
// error.
std::string options_from_json(const nlohmann::json& j, WorkspaceOptions& out, std::string_view what = "options");

// Context files: {"path": "content" | {"size": N}} | [{"path", "content" | "size", "mode"?}] |
// [["path", "content"]]. A size instead of content is a file known by its size only (binary or
// big: WorkspaceFile::size).
// Paths are made context-relative ("./a//b" -> "a/b"); an empty path, one that leaves the
// context ("../x") and a mode outside 0..07777 are errors.
std::string files_from_json(const nlohmann::json& j, std::vector<WorkspaceFile>& out, std::string_view what = "files");

struct WorkspaceInput {
  std::string dockerfile;
  std::string dockerfile_path = "Dockerfile";
  std::vector<WorkspaceFile> files;
  WorkspaceOptions options;
};

// Whether two inputs are the same: text, path, options, and every file's path, content, mode and
// size (a file known by its size only differs by its size alone).
bool same_input(const WorkspaceInput& a, const WorkspaceInput& b);

// JSON text from a front end, parsed without exceptions (a discarded value when it is not JSON).
// Text is text: a lone UTF-16 surrogate escape (`"\ud800"`, which JavaScript's JSON.stringify
// writes for a lone surrogate in a string) reads as U+FFFD instead of failing the parse.
nlohmann::json parse_json_text(std::string_view text);

// The whole input (absent fields: empty text, no files, default options). Returns "" or an
// error message; `out` is unchanged on error.
std::string input_from_json(const nlohmann::json& j, WorkspaceInput& out, std::string_view what = "input");
// The same from JSON text ("<what>: the argument is not valid JSON" when it does not parse).
std::string input_from_json_text(std::string_view text, WorkspaceInput& out, std::string_view what = "input");

// Sets the whole input on `ws` (Dockerfile, path, files, options; the Workspace keeps the
// Dockerfile's context file in step with the text, see Workspace::set_dockerfile).
// The layer cache is kept.
void apply_input(Workspace& ws, WorkspaceInput in);

}  // namespace dfplay
