// The playground's session in one object, for the front ends that keep state between edits (the
// ImGui app and the JS API): the Dockerfile and its context files, the build options, and the
// layer cache of the builds made so far.
//
//   Workspace ws;
//   ws.set_dockerfile(text);                  // or set_files / set_options / add_images_json
//   const WorkspaceResult& r = ws.result();    // analysis + simulated build + checks + cache preview
//   ws.build();                                // "Build": records the current build in the cache
//   ws.clear_cache();                          // "Clear cache": the next build is cold
//
// result() runs the whole pipeline (dfplay::run, pipeline.h: one analysis, the simulation, the
// checks) for the current input and reports every step against the cache as a *preview*: what a
// build now would show as CACHED or RUN, and why, without recording it. Nothing is recomputed
// when nothing changed. The JSON of a result (workspace_json) uses the CLI's shapes: `analysis`
// as `dfplay analyze --json`, `build` as `dfplay build --json`, `cache` as `dfplay rebuild
// --json`, `checks` as `dfplay check --json` (the JS API's `result()`, docs/js-api.md).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cache/session.h"
#include "catalog/catalog.h"
#include "checks/engine.h"
#include "context/build_context.h"
#include "pipeline.h"
#include "request.h"
#include "sim/build.h"
#include "stages/graph.h"

namespace dfplay {

struct WorkspaceFile {
  std::string path;     // relative to the context root, '/' separators
  std::string content;  // bytes
  uint32_t mode = 0644;
  // A file known by its size only (a binary or big file: an embed's data-size="12MB"); its
  // content is then empty and not read.
  std::optional<uint64_t> size;
};

// The workspace's build options are the request's (request.h).
using WorkspaceOptions = BuildOptions;

struct WorkspaceResult {
  std::shared_ptr<const Analysis> analysis;   // never null after result() (the build's)
  std::unique_ptr<sim::BuildResult> build;    // never null after result()
  checks::CheckResult checks;
  cache::Report cache;                        // preview against the builds recorded so far
  Diagnostics input_diagnostics;              // bad options or user image JSON
  uint64_t revision = 0;                      // bumps whenever the result is recomputed
};

class Workspace {
 public:
  Workspace();

  // The context file at the Dockerfile's path (when there is one) always holds the Dockerfile's
  // text: set_dockerfile updates it, set_files and set_dockerfile_path overwrite it.
  void set_dockerfile(std::string text);
  void set_dockerfile_path(std::string path);  // its path in the context (selects <name>.dockerignore)
  void set_files(std::vector<WorkspaceFile> files);
  void set_options(WorkspaceOptions options);
  // Adds images in the catalog JSON shape (docs/catalog.md); returns their diagnostics (also
  // kept in result().input_diagnostics). clear_images() goes back to the built-in catalog.
  Diagnostics add_images_json(std::string_view json);
  void clear_images();

  const std::string& dockerfile() const { return dockerfile_; }
  const std::string& dockerfile_path() const { return dockerfile_path_; }
  const std::vector<WorkspaceFile>& files() const { return files_; }
  const WorkspaceOptions& options() const { return options_; }
  const context::BuildContext& context() const { return context_; }

  // The analysis of the current input (recomputed only when something changed).
  const WorkspaceResult& result();
  // Records the current build in the cache and returns its report (the same as the preview
  // result().cache showed). The next result() previews against it.
  cache::Report build();
  void clear_cache();
  size_t builds() const { return session_.builds(); }  // recorded since creation (clear_cache keeps the count)
  bool cache_empty() const { return session_.size() == 0; }  // no build recorded since the last clear_cache

 private:
  void invalidate() { dirty_ = true; }
  void sync_dockerfile_entry();

  std::string dockerfile_;
  std::string dockerfile_path_ = "Dockerfile";
  std::vector<WorkspaceFile> files_;
  WorkspaceOptions options_;
  context::BuildContext context_;
  bool context_dirty_ = true;
  std::unique_ptr<catalog::Catalog> user_catalog_;  // built-ins + user images, when any
  Diagnostics image_diagnostics_;
  cache::Session session_;
  sim::RunCache runs_;  // RUN effects of earlier analyses: an edit re-simulates only what it reaches
  WorkspaceResult result_;
  bool dirty_ = true;
  uint64_t revision_ = 0;
};

// The JSON of a result: {analysis, build, cache, checks, options, builds, diagnostics}.
nlohmann::json workspace_json(const Workspace& ws, const WorkspaceResult& r);

}  // namespace dfplay
