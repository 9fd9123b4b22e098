// The wasm side of the page API (window.dfplay, defined in page_api.js): JSON in, JSON out.
// Every function returns a pointer to a static string valid until the next call of the same function.
#include <emscripten/emscripten.h>

#include <string>

#include "app.h"
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

// Merges options; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_set_options(const char* json, size_t length) {
  static std::string error;
  error = dfplay::app::state().set_options_json(view(json, length));
  return error.c_str();
}

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
  const auto& r = s.result();
  auto j = dfplay::report::rebuild_json(*r.build, r.cache);
  s.build();
  out = dfplay::report::dump(j);
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE void dfplay_app_clear_cache() { dfplay::app::state().clear_cache(); }

// The built-in examples: [{id, title, description, ...}] (examples::to_json).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_examples() {
  static std::string out;
  if (out.empty()) out = dfplay::examples::to_json();
  return out.c_str();
}

}  // extern "C"
