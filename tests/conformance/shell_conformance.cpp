// BuildKit's shell lexer vectors (frontend/dockerfile/shell/envVarTest and wordsTest), read the
// way BuildKit's own lex_test.go reads them.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../unit/shared_dir.h"
#include "shell/expand.h"
#include "shell/unicode.h"

namespace {

using dfplay::shell::go_trim_space;

// bufio.Scanner with ScanLines: split on '\n', drop one trailing '\r'.
std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, p - start));
    start = p + 1;
  }
}

std::string_view trim_left_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + dfplay::shell::go_quote(v[i]);
  return s + "]";
}

}  // namespace

TEST_CASE("shell conformance: BuildKit envVarTest (platforms A and U)") {
  DFPLAY_REQUIRE_SHARED("conformance/buildkit/shell/envVarTest");
  const auto lines = read_lines(dfplay::testing::shared_dir() / "conformance/buildkit/shell/envVarTest");
  const dfplay::shell::Env env{{"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}};
  int run = 0, passed = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.starts_with("#")) continue;
    line = go_trim_space(line);
    if (line.empty()) continue;
    const auto parts = split(line, '|');
    INFO("envVarTest line " << i + 1 << ": " << lines[i]);
    REQUIRE(parts.size() == 3);
    const std::string platform(go_trim_space(parts[0]));
    const std::string source(go_trim_space(parts[1]));
    const std::string expected(go_trim_space(parts[2]));
    REQUIRE((platform == "A" || platform == "U" || platform == "W"));
    if (platform == "W") continue;
    ++run;
    const auto e = dfplay::shell::expand_word(source, env);
    if (expected == "error") {
      CHECK_MESSAGE(!e.ok, "expected an error, got " << dfplay::shell::go_quote(e.word));
      if (!e.ok) ++passed;
    } else {
      CHECK_MESSAGE(e.ok, "unexpected error: " << e.error);
      CHECK(e.word == expected);
      if (e.ok && e.word == expected) ++passed;
    }
  }
  MESSAGE("envVarTest: " << passed << "/" << run << " vectors pass");
  CHECK(run > 100);
}

TEST_CASE("shell conformance: BuildKit wordsTest") {
  DFPLAY_REQUIRE_SHARED("conformance/buildkit/shell/wordsTest");
  const auto lines = read_lines(dfplay::testing::shared_dir() / "conformance/buildkit/shell/wordsTest");
  std::vector<std::string> envs;
  int run = 0, passed = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.starts_with("#")) continue;
    if (line.starts_with("ENV ")) {
      envs.emplace_back(trim_left_spaces(std::string_view(line).substr(3)));
      continue;
    }
    const auto parts = split(line, '|');
    INFO("wordsTest line " << i + 1 << ": " << line);
    REQUIRE(parts.size() == 2);
    const std::string test(go_trim_space(parts[0]));
    const auto expected = split(trim_left_spaces(parts[1]), ',');
    ++run;
    const auto e = dfplay::shell::expand_words(test, dfplay::shell::Env::from_strings(envs));
    const std::vector<std::string> result = e.ok ? e.words : std::vector<std::string>{"error"};
    CHECK_MESSAGE(result == expected, "got " << join(result) << ", want " << join(expected));
    if (result == expected) ++passed;
  }
  MESSAGE("wordsTest: " << passed << "/" << run << " vectors pass");
  CHECK(run > 10);
}
