// Compare mode and what-ifs in the app: "Compare" pins the current input as A; the editor keeps
// editing B; both are analysed live and the Compare and Timeline panels show them. The analysis
// is compare::Comparer's (A recorded in B's layer cache, B previewed against it, compare::diff)
// made in slices (CompareSession below): redraw.js steps it after the editor's own analysis
// (AppState::analyse), so that entering compare mode or typing into B never blocks the page;
// meanwhile the panels show the last comparison made ("analysing…" as for the editor's results). The ready what-ifs (compare/whatif.h) are computed for the current input when a panel
// asks for them; accepting one loads its variant through AppState::load (the same path as
// window.dfplay.load), entering compare mode first so that A is what the user had.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.h"
#include "compare/comparer.h"
#include "compare/diff.h"
#include "compare/whatif.h"

namespace dfplay::app {

// The current input of the app (the editor's Dockerfile, the context files, the options).
WorkspaceInput current_input(AppState& s);

// A comparison analysed in slices: the same results as compare::Comparer's for the same A and B
// (A analysed; A's build recorded in B's workspace, then B previewed against it; the diff).
//   CompareSession c;  c.set_a(a);  c.set_b(b);      // nothing is analysed here
//   while (!c.step(8.0)) { ... draw with c.diff() (the last comparison made, or none) ... }
// A change of B between two slices drops B's unfinished analysis (Workspace::step); a new A is a
// new session. diff(), a_result() and b_result() are the last comparison's (consistent with
// each other) and never compute anything.
class CompareSession {
 public:
  void set_a(WorkspaceInput a);
  void set_b(WorkspaceInput b);  // nothing happens when B is the same
  const WorkspaceInput& a_input() const { return a_in_; }
  bool pending() const;          // the comparison shown is not the current A and B's (or none yet)
  bool step(double budget_ms);   // about budget_ms of work (at least one unit); true once not pending
  void finish();                 // runs what is left at once (the page API's compare())
  bool has_diff() const { return diff_.has_value(); }
  const compare::Diff& diff() const { return *diff_; }  // has_diff() only
  const WorkspaceResult& a_result() { return a_.last(); }  // has_diff() only: A's result, as in diff()
  const WorkspaceResult& b_result() { return b_.last(); }  // has_diff() only: B's result, as in diff()

 private:
  Workspace a_, b_;  // b_ first analyses A and records its build, then B
  WorkspaceInput a_in_, b_in_;
  bool a_recorded_ = false;
  bool diff_due_ = false;  // B's analysis is done, the diff not made yet
  std::optional<compare::Diff> diff_;
  uint64_t a_rev_ = 0, b_rev_ = 0;
};

bool compare_on();
// Pins the current input as A (again, when already on).
void compare_start(AppState& s);
void compare_stop();
// The comparison with B synced to the current input; nullptr when compare mode is off.
CompareSession* comparer(AppState& s);
// Compare mode is on and its comparison is not the current input's yet (AppState::analysing);
// one slice of it (AppState::analyse).
bool compare_pending(const AppState& s);
bool compare_step(AppState& s, double budget_ms);

// window.dfplay.compare(arg): {a?: {dockerfile, files, options}, b?: {...}} enters compare mode
// (A: the given one, else the current input; B: loaded like dfplay.load when given); false/null
// or {off: true} leaves it. Returns "" or an error message (nothing changes on error).
std::string compare_json_call(AppState& s, std::string_view json_text);

// The ready what-ifs of the current input with their effects (recomputed when the input changed).
// Evaluating them runs several builds per what-if (tens to hundreds of milliseconds in wasm), so
// the Compare panel passes `may_compute` false while the user is typing: the last list is
// returned and what_ifs_stale() says it is not the current input's.
const std::vector<compare::WhatIf>& current_what_ifs(AppState& s, bool may_compute = true);
bool what_ifs_stale(AppState& s);
// Accepts a what-if by id: enters compare mode (A = the input before) unless on, then loads the
// variant. "" or an error message.
std::string accept_what_if(AppState& s, std::string_view id);

// state().compare: null when off, else {a: {dockerfile, dockerfile_path, files, options},
// diff: (docs/diff-json.md; the last comparison made, null before the first one is done),
// analysing: (the comparison is not the current input's yet), what_ifs: [...] (without their
// variants)}.
nlohmann::json compare_state_json(AppState& s);
// state().timeline: {cold: timeline JSON, next: timeline of the next build against the cache (or
// B's build after A's in compare mode), null when nothing is cached}.
nlohmann::json timeline_state_json(AppState& s);

}  // namespace dfplay::app
