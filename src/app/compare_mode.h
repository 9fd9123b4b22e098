// Compare mode and what-ifs in the app: "Compare" pins the current input as A; the editor keeps
// editing B; both are analysed live (compare::Comparer) and the Compare and Timeline panels show
// them. The ready what-ifs (compare/whatif.h) are computed for the current input when a panel
// asks for them; accepting one loads its variant through AppState::load (the same path as
// window.dfplay.load), entering compare mode first so that A is what the user had.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.h"
#include "compare/comparer.h"
#include "compare/whatif.h"

namespace dfplay::app {

// The current input of the app (the editor's Dockerfile, the context files, the options).
WorkspaceInput current_input(AppState& s);

bool compare_on();
// Pins the current input as A (again, when already on).
void compare_start(AppState& s);
void compare_stop();
// The comparer with B synced to the current input; nullptr when compare mode is off.
compare::Comparer* comparer(AppState& s);

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
// diff: (docs/diff-json.md), what_ifs: [...] (without their variants)}.
nlohmann::json compare_state_json(AppState& s);
// state().timeline: {cold: timeline JSON, next: timeline of the next build against the cache (or
// B's build after A's in compare mode), null when nothing is cached}.
nlohmann::json timeline_state_json(AppState& s);

}  // namespace dfplay::app
