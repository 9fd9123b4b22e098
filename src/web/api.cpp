// The headless JS API module (wasm, no ImGui): plain C exports wrapped by web/dfplay-api.js.
#include <emscripten/emscripten.h>

#include <string>

#include "pipeline.h"
#include "report/json.h"

extern "C" {

// analyze(text) as JSON: the same document as `dfplay analyze --json` (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* dfplay_analyze(const char* text, size_t length, const char* file_name) {
  static std::string out;
  dfplay::AnalyzeOptions options;
  if (file_name && *file_name) options.file_name = file_name;
  auto analysis = dfplay::analyze(std::string_view(text, length), options);
  out = dfplay::report::analysis_json(analysis).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* dfplay_version() { return DFPLAY_VERSION; }

}  // extern "C"
