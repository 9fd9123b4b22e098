// Parser conformance against BuildKit's own vectors (../shared/conformance): the AST dump must
// equal BuildKit's byte for byte, and the negative files must be rejected.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "syntax/parser.h"
#include "../unit/shared_dir.h"

namespace fs = std::filesystem;
using dfplay::syntax::dump;
using dfplay::syntax::parse;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("parser conformance: buildkit/parser dumps equal BuildKit's") {
  DFPLAY_REQUIRE_SHARED("conformance/buildkit/parser");
  int checked = 0;
  for (const auto& dir : sorted_entries(dfplay::testing::shared_dir() / "conformance/buildkit/parser")) {
    if (!fs::exists(dir / "Dockerfile") || !fs::exists(dir / "result")) continue;
    CAPTURE(dir.filename().string());
    auto df = parse(slurp(dir / "Dockerfile"));
    CHECK(dump(df) == slurp(dir / "result"));
    for (const auto& d : df.diagnostics.items()) CHECK_MESSAGE(d.severity != dfplay::Severity::Error, d.message);
    ++checked;
  }
  CHECK(checked > 0);
  MESSAGE(checked << " BuildKit parser vectors");
}

TEST_CASE("parser conformance: buildkit/parser-negative files are rejected") {
  DFPLAY_REQUIRE_SHARED("conformance/buildkit/parser-negative");
  int checked = 0;
  for (const auto& dir :
       sorted_entries(dfplay::testing::shared_dir() / "conformance/buildkit/parser-negative")) {
    if (!fs::exists(dir / "Dockerfile")) continue;
    CAPTURE(dir.filename().string());
    auto df = parse(slurp(dir / "Dockerfile"));
    CHECK(df.diagnostics.has_errors());
    ++checked;
  }
  CHECK(checked > 0);
}

TEST_CASE("parser conformance: real-world Dockerfiles dump like BuildKit") {
  DFPLAY_REQUIRE_SHARED("conformance/real");
  int checked = 0;
  for (const auto& e : fs::recursive_directory_iterator(dfplay::testing::shared_dir() / "conformance/real")) {
    const auto& p = e.path();
    if (p.extension() != ".Dockerfile") continue;
    fs::path result = p;
    result.replace_extension(".result");
    if (!fs::exists(result)) continue;
    CAPTURE(p.string());
    auto df = parse(slurp(p));
    CHECK(dump(df) == slurp(result));
    CHECK_FALSE(df.diagnostics.has_errors());
    ++checked;
  }
  CHECK(checked > 0);
  MESSAGE(checked << " real-world files");
}
