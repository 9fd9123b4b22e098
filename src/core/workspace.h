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
// when nothing changed.
//
// The same in slices, for a front end that draws between them (the app: a keystroke is shown
// before its analysis, which never blocks the page for long; pipeline_job.h):
//   ws.set_dockerfile(text);                   // pending() is now true
//   const WorkspaceResult& old = ws.last();     // the previous result, still whole (for the old input)
//   while (!ws.step(8.0)) { ... draw a frame with ws.last() ... }   // ~8 ms per call
//   ws.last() == ws.result()                    // the current input's result, identical to result()'s
// An input change between two slices drops the unfinished analysis: the next step() starts on
// the latest input (a stale result is never finished). The JSON of a result (workspace_json) uses the CLI's shapes: `analysis`
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
#include "pipeline_job.h"
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
  // What the analysis points into, kept alive while the result is (the workspace's context and
  // catalog may be replaced meanwhile).
  std::shared_ptr<const context::BuildContext> context;
  std::shared_ptr<const catalog::Catalog> catalog;  // null: the built-in one
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
  const context::BuildContext& context() const { return *context_; }

  // The analysis of the current input (recomputed only when something changed).
  const WorkspaceResult& result();

  // In slices (see above). pending(): the input changed since last() was computed. last(): the
  // latest result computed, for the current input unless pending() (computed now when there is
  // none yet). step(budget_ms): advances the current input's analysis by about budget_ms (at
  // least one unit of work, PipelineJob::step) and says whether last() is now current; job():
  // the analysis under way (nullptr when none).
  bool pending() const { return dirty_ || !result_.build; }
  const WorkspaceResult& last();
  bool step(double budget_ms);
  const PipelineJob* job() const { return job_.get(); }
  // The result that last() replaced, kept until release_previous() or the next analysis begins:
  // freeing a big file's result (its analysis, every stage's filesystem) is ~10 % of an edit's
  // work, which a front end can do after it has shown the new one (the app: after the frame).
  // Returns whether there was one.
  bool release_previous();
  // The units of work of the last finished analysis and their times (benchmarks).
  const std::vector<JobUnit>& last_units() const { return last_units_; }
  // Whether result() runs the checks (on by default). Off, result().checks stays empty and the
  // rest is the same: for a one-shot build report (the JS API's build()), which shows no checks.
  void set_checks(bool on) {
    if (on == checks_) return;
    checks_ = on;
    invalidate();
  }
  // Records the current build in the cache and returns its report (the same as the preview
  // result().cache showed). The next result() previews against it.
  cache::Report build();
  void clear_cache();
  size_t builds() const { return session_.builds(); }  // recorded since creation (clear_cache keeps the count)
  bool cache_empty() const { return session_.size() == 0; }  // no build recorded since the last clear_cache

 private:
  void invalidate() {
    dirty_ = true;
    job_.reset();  // its input is not the current one any more
  }
  void sync_dockerfile_entry();
  void begin();   // starts the job for the current input
  void finish();  // installs the job's result

  std::string dockerfile_;
  std::string dockerfile_path_ = "Dockerfile";
  std::vector<WorkspaceFile> files_;
  WorkspaceOptions options_;
  std::shared_ptr<const context::BuildContext> context_;
  bool context_dirty_ = true;
  std::shared_ptr<const catalog::Catalog> user_catalog_;  // built-ins + user images, when any
  Diagnostics image_diagnostics_;
  cache::Session session_;
  sim::RunCache runs_;  // RUN effects of earlier analyses: an edit re-simulates only what it reaches
  WorkspaceResult result_;
  WorkspaceResult previous_;  // what result_ replaced (release_previous)
  std::unique_ptr<PipelineJob> job_;
  std::vector<JobUnit> last_units_;
  WorkspaceResult next_;  // the job's result being made: its inputs (context, catalog, diagnostics)
  bool dirty_ = true;
  bool checks_ = true;
  uint64_t revision_ = 0;
};

// The JSON of a result: {analysis, build, cache, checks, options, builds, diagnostics}.
nlohmann::json workspace_json(const Workspace& ws, const WorkspaceResult& r);

}  // namespace dfplay
