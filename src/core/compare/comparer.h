// Compare mode's session: variant A pinned, variant B edited, both analysed by the whole pipeline
// (dfplay::Workspace) and compared (compare/diff.h). B's cache report is a preview against a
// session that recorded A's build: what B's first build reuses from A's cache, and why the rest
// misses. The one comparison engine: the app keeps one Comparer while compare mode is on and
// steps it between frames; compare_inputs() (the JS API) and the what-ifs (whatif_job.h) run it
// to the end.
//
//   Comparer c;
//   c.set_a(input_a);              // pins A (nothing is analysed here)
//   c.set_b(input_b);              // on every edit of B (nothing happens when B is the same)
//   while (!c.step(8.0)) { ... draw with c.diff() when c.has_diff() (the last comparison made) ... }
//   const compare::Diff& d = c.finish();   // or all at once
//
// step() does about budget_ms of work (at least one unit: one slice of a workspace's analysis,
// Workspace::step), in this order: A analysed; A analysed in B's workspace and its build recorded
// there (B's layer cache); B analysed against it; the diff, made in the same call as B's last unit
// (so that diff(), a_result() and b_result() always belong together). A change of B between two
// steps drops B's unfinished analysis (the next step starts on the latest B); the last comparison
// stays readable meanwhile. A new A starts over (no comparison until it is made).
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
  // Pins A: a new comparison (the last one is dropped); A is analysed, and recorded in B's
  // layer cache, by the next steps.
  void set_a(WorkspaceInput a);
  // B: nothing happens when it is the same as the last one given; otherwise B's unfinished
  // analysis (if any) is dropped and the next steps analyse this one.
  void set_b(WorkspaceInput b);
  bool has_a() const { return has_a_; }
  const WorkspaceInput& a_input() const { return a_in_; }
  const WorkspaceInput& b_input() const { return b_in_; }

  // The comparison readable is not the current A and B's (or there is none yet); false without A.
  bool pending() const;
  // About budget_ms of work (at least one unit); true once not pending.
  bool step(double budget_ms);
  // Runs what is left at once and returns the comparison (has_a() only).
  const Diff& finish();

  // The last comparison made (has_diff() only); steps never leave it half made.
  bool has_diff() const { return diff_.has_value(); }
  const Diff& diff() const { return *diff_; }
  // A's and B's results as compared in diff() (has_diff() only; B analysed with A's build in its
  // cache: b_result().cache is B's report against A).
  const WorkspaceResult& a_result() { return a_->last(); }
  const WorkspaceResult& b_result() { return b_->last(); }
  const Workspace& a_workspace() const { return *a_; }
  const Workspace& b_workspace() const { return *b_; }
  uint64_t revision() const { return revision_; }  // bumps whenever a comparison is made

 private:
  std::unique_ptr<Workspace> a_, b_;  // b_ first analyses A and records its build, then B
  WorkspaceInput a_in_, b_in_;
  bool has_a_ = false, has_b_ = false;
  bool a_recorded_ = false;  // A's build is in b_'s cache and b_ holds B
  std::optional<Diff> diff_;
  uint64_t revision_ = 0;
};

// A against B once, a Comparer run to the end (the JS API's compare()): the JSON of
// docs/diff-json.md. (`dfplay diff` makes the same comparison of two directories it loads itself:
// A recorded in a cache, B previewed against it, compare::diff; src/cli/cmd_diff.cpp.)
nlohmann::json compare_inputs(WorkspaceInput a, WorkspaceInput b);

// The JSON of a comparison (docs/diff-json.md): {a, b, size_delta_bytes, compressed_delta_bytes,
// build_time_delta_s, layer_count_delta, context_delta_bytes, files: {added, removed, changed},
// config_changes, findings: {fixed, introduced}, layers, cache, estimated: true}.
nlohmann::json diff_json(const sim::BuildResult& a, const sim::BuildResult& b, const Diff& d);

// One side's summary: `dfplay build --json`'s image object without its file list, plus ok,
// target, cold_seconds, layer_count, context_sent_bytes and findings (count).
nlohmann::json side_json(const sim::BuildResult& b, const Figures& f);

}  // namespace dfplay::compare
