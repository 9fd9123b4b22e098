// The wasm side of the page API (window.dfplay, defined in page_api.js): JSON in, JSON out.
// Every function returns a pointer to a static string valid until the next call of the same function.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "app.h"
#include "compare_mode.h"
#include "examples/examples.h"
#include "report/build_json.h"
#include "report/json.h"

namespace {
std::string_view view(const char* text, size_t length) { return {text, length}; }
}  // namespace

extern "C" {

// The state snapshot as JSON.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_state() {
  static std::string out;
  out = dfplay::app::state().to_json();
  return out.c_str();
}

// Replaces the content from {"dockerfile", "files", "options"}; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_load(const char* json, size_t length) {
  static std::string error;
  error = dfplay::app::state().load_json(view(json, length));
  return error.c_str();
}

// The same with the Dockerfile's text as bytes beside the JSON (which then has no "dockerfile").
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_load_text(const char* json, size_t length, const char* text, size_t text_length) {
  static std::string error;
  error = dfplay::app::state().load_json(view(json, length), view(text, text_length));
  return error.c_str();
}

// Merges options; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_set_options(const char* json, size_t length) {
  static std::string error;
  error = dfplay::app::state().set_options_json(view(json, length));
  return error.c_str();
}

// One slice (about budget_ms) of the current input's analysis, run by redraw.js in a task after
// the frame: 1 while more is left, 0 once the results are current (AppState::analyse).
EMSCRIPTEN_KEEPALIVE int dfplay_app_analyse(double budget_ms) { return dfplay::app::state().analyse(budget_ms) ? 0 : 1; }
// Frees the result the last analysis replaced (redraw.js: after the frame that shows the new one).
EMSCRIPTEN_KEEPALIVE void dfplay_app_release_previous() { dfplay::app::state().workspace().release_previous(); }
// The units of work of the last finished analysis, [[what, ms], ...] (bench/responsiveness.mjs).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_analysis_units() {
  static std::string out;
  out = "[";
  for (const auto& u : dfplay::app::state().workspace().last_units())
    out += fmt::format(R"({}["{}",{}])", out.size() > 1 ? "," : "", u.what, u.ms);
  out += ']';
  return out.c_str();
}
// The Dockerfile's size in bytes (benchmarks: a cheap check that a paste arrived).
EMSCRIPTEN_KEEPALIVE double dfplay_app_text_bytes() { return static_cast<double>(dfplay::app::state().dockerfile().size()); }
// 1 while the current input's analysis is not done (the results shown are older), or the what-ifs
// the Compare tab asked for (compare_mode.h): redraw.js's task loop runs while it is 1.
EMSCRIPTEN_KEEPALIVE int dfplay_app_analysing() {
  auto& s = dfplay::app::state();
  return s.analysing() || dfplay::app::what_ifs_pending(s) ? 1 : 0;
}

// 1 while the current input's own analysis is not done (not the comparison or the what-ifs after
// it): redraw.js holds settling frames back meanwhile, so that its slices run back to back.
EMSCRIPTEN_KEEPALIVE int dfplay_app_input_pending() { return dfplay::app::state().workspace().pending() ? 1 : 0; }

// Loads a built-in example; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_load_example(const char* id, size_t length) {
  static std::string error;
  error = dfplay::app::state().load_example(view(id, length));
  return error.c_str();
}

// Records the current build in the cache; returns the recorded build's report (rebuild JSON).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_build() {
  static std::string out;
  auto& s = dfplay::app::state();
  s.build();  // the current content's (its analysis is finished first: the caller gets its report)
  out = dfplay::report::dump(s.last_build_report());
  return out.c_str();
}

// Compare mode: {a?, b?} enters it, false/null/{off: true} leaves it; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_compare(const char* json, size_t length) {
  static std::string error;
  error = dfplay::app::compare_json_call(dfplay::app::state(), view(json, length));
  return error.c_str();
}

// The ready what-ifs of the current input, with their variants and effects (JSON array): made at
// once when the list is not the current input's yet (the Compare tab makes it in slices).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_what_ifs() {
  static std::string out;
  auto& s = dfplay::app::state();
  out = dfplay::compare::what_ifs_json(dfplay::app::current_what_ifs(s))
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}

// Accepts a what-if by id; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_accept_what_if(const char* id, size_t length) {
  static std::string error;
  error = dfplay::app::accept_what_if(dfplay::app::state(), view(id, length));
  return error.c_str();
}

EMSCRIPTEN_KEEPALIVE void dfplay_app_clear_cache() { dfplay::app::state().clear_cache(); }

// The state's revision (bumps on every change): page_api.js polls it to keep its copy of the
// user's content fresh (see dfplay_app_load_content_rest).
EMSCRIPTEN_KEEPALIVE uint32_t dfplay_app_revision() { return static_cast<uint32_t>(dfplay::app::state().revision()); }

// The user's content as dfplay.load() takes it, {dockerfile_path, files, options}, without the
// Dockerfile: page_recovery.js keeps the last one in JavaScript memory with the Dockerfile, which
// it reads from the wasm memory itself (dfplay_app_dockerfile: no JSON of megabytes made in wasm
// and decoded after each change), so that nothing is lost if the module aborts: a fresh app is
// started with it. The context file at the Dockerfile's path is left out too and
// "dockerfile_file": true says it is there (AppState::content_json; page_recovery.js puts the
// text back into `files`).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_load_content_rest() {
  static std::string out;
  out = dfplay::app::state().content_json(/*with_dockerfile=*/false, /*with_ui=*/false);
  return out.c_str();
}

// Aborts the module (what a failure nothing else catches does): for the browser test of the
// recovery in page_api.js.
EMSCRIPTEN_KEEPALIVE void dfplay_app_abort_for_testing() { std::abort(); }

// The built-in examples: [{id, title, description, ...}] (examples::to_json).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_examples() {
  static std::string out;
  if (out.empty()) out = dfplay::examples::to_json();
  return out.c_str();
}

}  // extern "C"
