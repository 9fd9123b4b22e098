// The wasm side of the page API (window.dfplay, defined in page_api.js): JSON in, JSON out.
#include <emscripten/emscripten.h>

#include <string>

#include "app.h"

extern "C" {

// The state snapshot as JSON (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_state() {
  static std::string out;
  out = dfplay::app::state().to_json();
  return out.c_str();
}

// Replaces the content from {"dockerfile": ..., "files": ...}; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* dfplay_app_load(const char* json, size_t length) {
  static std::string error;
  error = dfplay::app::state().load_json(std::string_view(json, length));
  return error.c_str();
}

}  // extern "C"
