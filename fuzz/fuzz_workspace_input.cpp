// libFuzzer target: the JSON input reader of the app's page API and the JS API
// (workspace_input: {dockerfile, files, options}), then the workspace on what it accepted.
// Wrong types and shapes must give an error message, never an exception or a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "report/json.h"
#include "workspace.h"
#include "workspace_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  dfplay::WorkspaceInput in;
  if (!dfplay::input_from_json_text(text, in, "fuzz").empty()) return 0;
  dfplay::Workspace ws;
  dfplay::apply_input(ws, std::move(in));
  const auto& r = ws.result();
  (void)dfplay::report::dump(dfplay::workspace_json(ws, r));
  // Options and files alone, as setOptions / setFiles take them.
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_object()) {
    dfplay::WorkspaceOptions o;
    if (auto it = j.find("options"); it != j.end()) (void)dfplay::options_from_json(*it, o, "fuzz");
    std::vector<dfplay::WorkspaceFile> files;
    if (auto it = j.find("files"); it != j.end()) (void)dfplay::files_from_json(*it, files, "fuzz");
  }
  return 0;
}
