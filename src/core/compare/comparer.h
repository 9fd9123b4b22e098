// Compare mode's session: variant A pinned, variant B edited, both analysed by the whole pipeline
// (dfplay::Workspace) and compared (compare/diff.h). B's cache report is a preview against a
// session that recorded A's build: what B's first build reuses from A's cache, and why the rest
// misses. The app keeps one Comparer while compare mode is on; the JS API and `dfplay diff` use
// compare_inputs() once.
//
//   Comparer c;
//   c.set_a(input_a);            // analysed and recorded once
//   c.set_b(input_b);            // on every edit of B (nothing is recomputed when B is the same)
//   const compare::Diff& d = c.diff();
//
// The compare module sits on top of the pipeline, next to workspace.h: it consumes finished
// analyses (sim, cache, checks) and runs whole workspaces, and nothing in the pipeline uses it.
#pragma once
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "compare/diff.h"
#include "workspace.h"
#include "workspace_input.h"

namespace dfplay::compare {

class Comparer {
 public:
  Comparer();
  // Pins A: its analysis, and a cache that holds A's build for B's preview.
  void set_a(WorkspaceInput a);
  void set_b(WorkspaceInput b);
  bool has_a() const { return has_a_; }

  const WorkspaceInput& a_input() const { return a_in_; }
  const WorkspaceInput& b_input() const { return b_in_; }
  const WorkspaceResult& a_result();
  // B analysed with A's build in its cache (result().cache is B's report against A).
  const WorkspaceResult& b_result();
  const Workspace& a_workspace() const { return *a_; }
  const Workspace& b_workspace() const { return *b_; }

  // The comparison (recomputed when A or B changed).
  const Diff& diff();
  uint64_t revision() const { return revision_; }  // bumps whenever diff() is recomputed

 private:
  std::unique_ptr<Workspace> a_, b_;
  WorkspaceInput a_in_, b_in_;
  bool has_a_ = false;
  std::optional<Diff> diff_;
  uint64_t a_rev_ = 0, b_rev_ = 0, revision_ = 0;
};

// A against B once (the JS API's compare() and `dfplay diff` through the CLI's own loading):
// the JSON of docs/diff-json.md.
nlohmann::json compare_inputs(WorkspaceInput a, WorkspaceInput b);

// The JSON of a comparison (docs/diff-json.md): {a, b, size_delta_bytes, compressed_delta_bytes,
// build_time_delta_s, layer_count_delta, context_delta_bytes, files: {added, removed, changed},
// config_changes, findings: {fixed, introduced}, layers, cache, estimated: true}.
nlohmann::json diff_json(const sim::BuildResult& a, const sim::BuildResult& b, const Diff& d);

// One side's summary: `dfplay build --json`'s image object without its file list, plus ok,
// target, cold_seconds, layer_count, context_sent_bytes and findings (count).
nlohmann::json side_json(const sim::BuildResult& b, const Figures& f);

}  // namespace dfplay::compare
