// Ready what-ifs: edits of a variant that the analysis says are worth trying, each with its
// effect measured by running the comparison (compare/comparer.h) before anyone accepts it.
// They are computed from the analysis (the stages, the steps' layers, the catalog's slimmer and
// runtime images, the context's files), never written per example:
//
//   smaller-base    the final stage's base -> a smaller image the catalog knows for the same job
//                   (its `slimmer` list; its `runtime_images` when the final stage runs nothing)
//   manifest-first  `COPY . <dir>` followed by a dependency install -> copy the manifest (package*.json,
//                   requirements.txt, go.mod/go.sum, *.csproj, Gemfile, composer.json) and install
//                   before copying the rest
//   builder-stage   a single-stage build whose last RUN makes a build output -> that stage becomes
//                   `builder` and a new final stage (on the catalog's runtime image) copies only the
//                   output (plus production dependencies for npm)
//   dockerignore    no .dockerignore while the context holds the usual suspects (node_modules, .git,
//                   build outputs, logs, .env...) -> add one for those present
//   build-arg       a global ARG used in a FROM tag -> another value whose image the catalog knows
//
// Each what-if carries the whole edited input (Dockerfile, files, options): accepting it is one
// load of that input. Their effects are measured by WhatIfJob (whatif_job.h: in slices, or at once
// through ready_what_ifs(), which returns only those whose build still succeeds).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "compare/diff.h"
#include "sim/build.h"
#include "workspace_input.h"

namespace dfplay::compare {

struct Effect {
  bool evaluated = false;
  bool ok = true;  // B's build succeeds
  int64_t size_delta = 0, compressed_delta = 0, context_delta = 0;
  double time_delta = 0;  // cold build, estimated seconds
  uint64_t b_size = 0;
  double b_cold_seconds = 0;
  // B's first build after A's: what it reuses from A's cache.
  size_t cached = 0, run = 0;
  double rebuild_seconds = 0;
  // After an edit of one source file (the same file on both sides): estimated rebuild time.
  std::string edited_file;
  double a_edit_seconds = 0, b_edit_seconds = 0;
  size_t fixed = 0, introduced = 0;  // findings
  size_t files_added = 0, files_removed = 0, files_changed = 0;
};

struct WhatIf {
  std::string id;     // unique in a list: "smaller-base:node:20-alpine", "manifest-first:builder", ...
  std::string kind;   // smaller-base, manifest-first, builder-stage, dockerignore, build-arg
  std::string title;  // one line ("Final base node:20 -> node:20-alpine")
  std::string description;  // what the edit does and why, one or two sentences
  uint32_t line = 0;        // the line of the Dockerfile it is about (0: none)
  WorkspaceInput variant;   // the edited input
  Effect effect;
};

// The what-ifs that apply to `in` (whose analysis is `b`), not yet evaluated. `cat`: the catalog
// the analysis used (nullptr: the built-in one).
std::vector<WhatIf> what_ifs(const WorkspaceInput& in, const sim::BuildResult& b, const catalog::Catalog* cat = nullptr);

// what_ifs() analysed and evaluated, keeping those whose build succeeds: a WhatIfJob run to the end.
std::vector<WhatIf> ready_what_ifs(const WorkspaceInput& in);

// The source file whose edit measures the rebuild cost ("" when the context has none): a file
// under src/ (or the first other file) that is no manifest, Dockerfile, README or dot-file.
std::string edit_probe_file(const WorkspaceInput& in);

// JSON: [{id, kind, title, description, line, variant: {dockerfile, dockerfile_path, files, options},
//         effect: {ok, size_delta_bytes, ...}}] (docs/diff-json.md).
nlohmann::json what_ifs_json(const std::vector<WhatIf>& list, bool with_variant = true);
nlohmann::json input_json(const WorkspaceInput& in);

}  // namespace dfplay::compare
