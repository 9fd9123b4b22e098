// libFuzzer target: the whole pipeline on a Dockerfile and a small generated build context
// (Workspace::result: parse, instructions, stages, simulated build, checks, cache preview, JSON).
// The input: the Dockerfile, optionally followed by "\0\0" and a .dockerignore, and by another
// "\0\0" and the bytes of `app.tar` (so that `ADD app.tar /x` reads a fuzzed archive).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/json.h"
#include "workspace.h"

namespace {
std::string_view cut(std::string_view& rest) {
  size_t sep = rest.find(std::string_view("\0\0", 2));
  std::string_view part = rest.substr(0, sep);
  rest = sep == std::string_view::npos ? std::string_view() : rest.substr(sep + 2);
  return part;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view dockerfile = cut(rest);
  std::string_view ignore = cut(rest);
  std::string_view tar = rest;
  std::vector<dfplay::WorkspaceFile> files = {
      {"Dockerfile", std::string(dockerfile)},
      {"package.json", "{\"name\": \"app\", \"dependencies\": {\"express\": \"^4\"}}\n"},
      {"package-lock.json", "{}\n"},
      {"src/app.ts", "console.log('hi')\n"},
      {"src/lib/util.ts", "export const x = 1\n"},
      {"go.mod", "module example.com/app\n\ngo 1.22\n"},
      {"main.go", "package main\nfunc main() {}\n"},
      {"requirements.txt", "flask==3.0\n"},
      {"README.md", "# app\n"},
      {"bin/run.sh", "#!/bin/sh\necho run\n", 0755},
  };
  if (!ignore.empty()) files.push_back({".dockerignore", std::string(ignore)});
  if (!tar.empty()) files.push_back({"app.tar", std::string(tar)});
  dfplay::Workspace ws;
  ws.set_dockerfile(std::string(dockerfile));
  ws.set_files(std::move(files));
  const auto& r = ws.result();
  (void)dfplay::report::dump(dfplay::workspace_json(ws, r));
  return 0;
}
