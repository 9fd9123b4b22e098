// libFuzzer target: the rebuild diff. A build of the BEFORE Dockerfile is recorded in the layer
// cache, then AFTER is previewed against it (CACHED / RUN and why), as `dfplay rebuild` and the
// app's live preview do. The input: BEFORE "\0\0" AFTER (without the separator, AFTER is
// BEFORE with its last byte dropped). The context is small and fixed, with one file that
// changes between the two builds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/build_json.h"
#include "report/json.h"
#include "workspace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t sep = in.find(std::string_view("\0\0", 2));
  std::string before(in.substr(0, sep));
  std::string after = sep == std::string_view::npos ? before.substr(0, before.empty() ? 0 : before.size() - 1)
                                                    : std::string(in.substr(sep + 2));
  auto files = [](const char* version) {
    return std::vector<dfplay::WorkspaceFile>{
        {"package.json", "{\"name\": \"app\"}\n"},
        {"src/app.ts", std::string("console.log('") + version + "')\n"},
        {"README.md", "# app\n"},
    };
  };
  dfplay::Workspace ws;
  ws.set_dockerfile(before);
  ws.set_files(files("before"));
  (void)ws.result();
  ws.build();
  ws.set_dockerfile(after);
  ws.set_files(files("after"));
  const auto& r = ws.result();
  (void)dfplay::report::dump(dfplay::report::rebuild_json(*r.build, r.cache));
  ws.build();
  ws.clear_cache();
  (void)ws.result();
  return 0;
}
