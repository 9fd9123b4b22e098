// libFuzzer target: the .dockerignore reader and its pattern matcher (context::parse_dockerignore,
// PatternMatcher). The input: the ignore file, a NUL byte, then paths (one per line) matched
// against it, each with its parent directories.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "context/dockerignore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string_view text = in.substr(0, nul);
  auto ignore = dfplay::context::parse_dockerignore(text);
  if (nul == std::string_view::npos) return 0;
  std::string_view paths = in.substr(nul + 1);
  while (!paths.empty()) {
    size_t nl = paths.find('\n');
    std::string_view p = paths.substr(0, nl);
    int by = -1;
    (void)ignore.matcher.matches_exact(p);
    (void)ignore.matcher.matches_or_parent_matches(p, &by);
    (void)ignore.rule_of(by);
    if (nl == std::string_view::npos) break;
    paths = paths.substr(nl + 1);
  }
  return 0;
}
