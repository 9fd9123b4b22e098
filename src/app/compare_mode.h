// Compare mode and what-ifs in the app: "Compare" pins the current input as A; the editor keeps
// editing B; both are analysed live and the Compare and Timeline panels show them. The comparison
// is the core's compare::Comparer, stepped: redraw.js runs its slices after the editor's own
// analysis (AppState::analyse -> compare_step), so that entering compare mode or typing into B
// never blocks the page; meanwhile the panels show the last comparison made ("analysing…" as for
// the editor's results). The ready what-ifs (compare/whatif.h) of the current input are made the
// same way, in slices after the comparison (what_ifs_step: a compare::WhatIfJob), once a panel
// has asked for them (the Compare tab drawn); the last list is shown meanwhile, marked as
// updating. Accepting one loads its variant through AppState::load (the same path as
// window.dfplay.load), entering compare mode first so that A is what the user had.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.h"
#include "compare/comparer.h"
#include "compare/diff.h"
#include "compare/whatif.h"

namespace dfplay::app {

// The current input of the app (the editor's Dockerfile, the context files, the options).
WorkspaceInput current_input(AppState& s);

bool compare_on();
// Pins the current input as A (again, when already on).
void compare_start(AppState& s);
void compare_stop();
// The comparison with B synced to the current input; nullptr when compare mode is off.
compare::Comparer* comparer(AppState& s);
// Compare mode is on and its comparison is not the current input's yet (AppState::analysing);
// one slice of it (AppState::analyse).
bool compare_pending(const AppState& s);
bool compare_step(AppState& s, double budget_ms);

// window.dfplay.compare(arg): {a?: {dockerfile, files, options}, b?: {...}} enters compare mode
// (A: the given one, else the current input; B: loaded like dfplay.load when given); false/null
// or {off: true} leaves it. Returns "" or an error message (nothing changes on error).
std::string compare_json_call(AppState& s, std::string_view json_text);

// The ready what-ifs of the current input with their effects, as far as they are known: the last
// list made (possibly the previous content's: what_ifs_stale()). Nothing is computed here; the
// call asks for the current input's, which then follow in slices (what_ifs_step). The Compare
// panel calls it every frame it is drawn.
const std::vector<compare::WhatIf>& shown_what_ifs(AppState& s);
// The list is not the current input's.
bool what_ifs_stale(const AppState& s);
// A list was made (for some input): an empty stale list is then the previous content's.
bool what_ifs_known();
// While the current input's are being made: {evaluated, found} so far (none before its analysis).
std::optional<std::pair<size_t, size_t>> what_ifs_progress(const AppState& s);
// They were asked for at the current revision (or the panel is on screen: drawn in the last
// frame) and are not made yet: what_ifs_step has work (redraw.js's task loop runs while this or
// AppState::analysing() is true: page_api.cpp's dfplay_app_analysing).
bool what_ifs_pending(const AppState& s);
// One slice of their evaluation (about budget_ms, at least one unit of work: never a whole
// build of a big input); true once the list is the current input's or nothing was asked for.
// AppState::analyse calls it after the analysis and the comparison are done.
bool what_ifs_step(AppState& s, double budget_ms);
// The current input's list, made at once if it is not yet (the page API's whatIfs() and
// acceptWhatIf(), which return a result).
const std::vector<compare::WhatIf>& current_what_ifs(AppState& s);
// Accepts a what-if by id: enters compare mode (A = the input before) unless on, then loads the
// variant. "" or an error message.
std::string accept_what_if(AppState& s, std::string_view id);

// state().compare: null when off, else {a: {dockerfile, dockerfile_path, files, options},
// diff: (docs/diff-json.md; the last comparison made, null before the first one is done),
// analysing: (the comparison is not the current input's yet), what_ifs: [...] (without their
// variants; the last list made, nothing is computed for state()), what_ifs_current: (that list
// is the current input's)}.
nlohmann::json compare_state_json(AppState& s);
// state().timeline: {cold: timeline JSON, next: timeline of the next build against the cache (or
// B's build after A's in compare mode), null when nothing is cached}.
nlohmann::json timeline_state_json(AppState& s);

}  // namespace dfplay::app
