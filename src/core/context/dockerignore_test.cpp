#include "context/dockerignore.h"

#include <doctest/doctest.h>

#include <string>

#include "pipeline_limits.h"

using namespace dfplay;
using namespace dfplay::context;

TEST_CASE(".dockerignore lines are read like BuildKit's ReadAll") {
  // BuildKit's own ReadAll test content, plus our additions
  IgnoreFile f = parse_dockerignore(
      "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! \n");
  REQUIRE(f.rules.size() == 7);
  CHECK(f.rules[0].pattern == "test1");
  CHECK(f.rules[1].pattern == "test2");
  CHECK(f.rules[2].pattern == "a/file/here");
  CHECK(f.rules[3].pattern == "lastfile");
  CHECK(f.rules[4].pattern == "!inverted/abs/path");
  CHECK(f.rules[5].pattern == "!");
  CHECK(f.rules[6].pattern == "!");
  CHECK(f.rules[4].line == 7);
  CHECK(f.rules[4].exclusion());
  // the lone "!" lines are errors with their line numbers
  REQUIRE(f.diagnostics.size() == 2);
  CHECK(f.diagnostics.items()[0].severity == Severity::Error);
  CHECK(f.diagnostics.items()[0].code == "dockerignore/invalid-pattern");
  CHECK(f.diagnostics.items()[0].range.begin.line == 8);
  CHECK(f.diagnostics.items()[1].range.begin.line == 9);
  CHECK(format_diagnostic(f.diagnostics.items()[0], ".dockerignore") ==
        ".dockerignore:8:1: error: invalid pattern \"!\": illegal exclusion pattern: \"!\"");
  CHECK(f.matcher.size() == 5);
}

TEST_CASE(".dockerignore: BOM, CRLF, comments only at column 1, cleaning") {
  IgnoreFile f = parse_dockerignore("\xEF\xBB\xBF# comment\r\n  # not a comment\r\n./a//b/\r\n*.md\t\r\n!./keep/../KEEP.md\n/\n");
  REQUIRE(f.rules.size() == 5);
  CHECK(f.rules[0].pattern == "# not a comment");
  CHECK(f.rules[0].line == 2);
  CHECK(f.rules[1].pattern == "a/b");
  CHECK(f.rules[2].pattern == "*.md");
  CHECK(f.rules[3].pattern == "!KEEP.md");
  CHECK(f.rules[4].pattern == "/");  // a lone "/" stays and never matches
  CHECK(f.diagnostics.empty());
  // offsets and columns of a rule
  CHECK(f.rules[1].range.begin.line == 3);
  CHECK(f.rules[1].range.begin.column == 1);
}

TEST_CASE(".dockerignore: invalid patterns are errors with line and column") {
  IgnoreFile f = parse_dockerignore("ok\nsrc/[a-\n[z-a]*\n");
  REQUIRE(f.diagnostics.size() == 2);
  CHECK(f.diagnostics.items()[0].range.begin.line == 2);
  CHECK(f.diagnostics.items()[0].message.find("syntax error in pattern") != std::string::npos);
  CHECK(f.diagnostics.items()[1].range.begin.line == 3);
  CHECK(f.matcher.size() == 1);
  CHECK(f.diagnostics.has_errors());
}

TEST_CASE(".dockerignore: a line over 64 KiB stops BuildKit's reader") {
  std::string text = "a\n" + std::string(70000, 'x') + "\nb\n";
  IgnoreFile f = parse_dockerignore(text);
  REQUIRE(f.diagnostics.size() == 1);
  CHECK(f.diagnostics.items()[0].code == "dockerignore/line-too-long");
  CHECK(f.diagnostics.items()[0].range.begin.line == 2);
}

TEST_CASE("<Dockerfile>.dockerignore wins over .dockerignore") {
  ContextBuilder b;
  b.add_file(".dockerignore", "a.txt\n");
  b.add_file("sub/x.Dockerfile", "FROM scratch\n");
  b.add_file("sub/x.Dockerfile.dockerignore", "b.txt\n");
  b.add_file("Dockerfile.dockerignore", "");
  b.add_file("a.txt", "A");
  b.add_file("b.txt", "B");
  BuildContext ctx = b.build();
  CHECK(select_dockerignore(ctx, "sub/x.Dockerfile") == "sub/x.Dockerfile.dockerignore");
  CHECK(select_dockerignore(ctx, "./sub/x.Dockerfile") == "sub/x.Dockerfile.dockerignore");
  CHECK(select_dockerignore(ctx, "other.Dockerfile") == ".dockerignore");
  // an empty Dockerfile.dockerignore still takes precedence (and ignores nothing)
  CHECK(select_dockerignore(ctx, "Dockerfile") == "Dockerfile.dockerignore");
  IgnoreFile f = load_dockerignore(ctx, "sub/x.Dockerfile");
  REQUIRE(f.rules.size() == 1);
  CHECK(f.rules[0].pattern == "b.txt");
  CHECK(load_dockerignore(ctx, "Dockerfile").empty());

  ContextBuilder none;
  none.add_file("Dockerfile", "FROM scratch\n");
  BuildContext c2 = none.build();
  CHECK(select_dockerignore(c2) == "");
  CHECK(load_dockerignore(c2).path == "");
}

TEST_CASE("an ignore file known only by size cannot be applied") {
  ContextBuilder b;
  b.add_file_meta(".dockerignore", 10);
  BuildContext ctx = b.build();
  IgnoreFile f = load_dockerignore(ctx);
  CHECK(f.path == ".dockerignore");
  CHECK(f.empty());
  REQUIRE(f.diagnostics.size() == 1);
  CHECK(f.diagnostics.items()[0].severity == Severity::Warning);
}

TEST_CASE(".dockerignore: patterns past limits::kMaxIgnorePatterns are left out, with an error at the first") {
  std::string text = "# many patterns\n";
  for (size_t i = 0; i < limits::kMaxIgnorePatterns + 50; ++i) text += "dir" + std::to_string(i) + "/**\n";
  IgnoreFile f = parse_dockerignore(text);
  CHECK(f.rules.size() == limits::kMaxIgnorePatterns);
  CHECK(f.matcher.size() == limits::kMaxIgnorePatterns);
  REQUIRE(f.diagnostics.size() == 1);
  const Diagnostic& d = *f.diagnostics.begin();
  CHECK(d.severity == Severity::Error);
  CHECK(d.code == "limits/dockerignore-patterns");
  CHECK(d.range.begin.line == limits::kMaxIgnorePatterns + 2);  // the comment is line 1
  CHECK(d.range.begin.column == 1);
  CHECK(d.message.find("more than 1000 patterns") != std::string::npos);
  // exactly at the limit: no error
  std::string at_limit;
  for (size_t i = 0; i < limits::kMaxIgnorePatterns; ++i) at_limit += "f" + std::to_string(i) + "\n";
  at_limit += "\n# a comment and blank lines do not count\n\n";
  CHECK(parse_dockerignore(at_limit).diagnostics.empty());
}

TEST_CASE(".dockerignore: a pattern over limits::kMaxIgnorePatternBytes is left out, with an error at its line") {
  std::string longest(limits::kMaxIgnorePatternBytes, 'a');
  std::string too_long = "**/" + std::string(limits::kMaxIgnorePatternBytes, 'b');
  IgnoreFile f = parse_dockerignore("node_modules\n  " + too_long + "  \n" + longest + "\n!keep\n");
  REQUIRE(f.rules.size() == 3);
  CHECK(f.rules[0].pattern == "node_modules");
  CHECK(f.rules[1].pattern == longest);
  CHECK(f.rules[2].pattern == "!keep");
  REQUIRE(f.diagnostics.size() == 1);
  const Diagnostic& d = *f.diagnostics.begin();
  CHECK(d.code == "limits/dockerignore-pattern-length");
  CHECK(d.range.begin.line == 2);
  CHECK(d.message.find("4099 bytes") != std::string::npos);
  CHECK(f.matcher.matches_exact("node_modules"));
  CHECK_FALSE(f.matcher.matches_exact("x/" + std::string(limits::kMaxIgnorePatternBytes, 'b')));
}

TEST_CASE(".dockerignore: matching work past limits::kMaxIgnoreMatchWork leaves the rest of the patterns out") {
  // 20,000 files with ~30-byte paths; every pattern is run on the Pike VM (DFA off), so each
  // costs its program's size per path byte: only the first few fit in the budget.
  ContextBuilder b;
  std::string text = "# patterns\nkeep-me.txt\n";
  for (int i = 0; i < 200; ++i) text += "**/*.tmp" + std::to_string(i) + "\n";
  text += "!**/*.tmp199\n";
  b.add_file(".dockerignore", text);
  b.add_file("keep-me.txt", "x");
  for (int i = 0; i < 20000; ++i) b.add_file("src/mod" + std::to_string(i % 100) + "/f" + std::to_string(i) + ".tmp1", "x");
  BuildContext ctx = b.build();
  detail::dfa_enabled() = false;
  IgnoreFile f = load_dockerignore(ctx);
  detail::dfa_enabled() = true;
  REQUIRE(f.diagnostics.size() == 1);
  const auto& d = f.diagnostics.items()[0];
  CHECK(d.code == "limits/dockerignore-work");
  CHECK(d.severity == Severity::Error);
  const size_t kept = f.matcher.size();
  REQUIRE(kept >= 2);  // keep-me.txt and **/*.tmp0 at least
  REQUIRE(kept < 202);
  CHECK(d.range.begin.line == kept + 2);  // the first pattern left out (after the comment line)
  CHECK(d.message.find("left out") != std::string::npos);
  // The kept patterns fit in the budget and the next one would not.
  uint64_t entries = ctx.size(), bytes = 0, work = 0;
  for (uint32_t e = 1; e < ctx.size(); ++e) bytes += ctx.path(e).size();
  detail::dfa_enabled() = false;
  for (size_t k = 0; k < kept; ++k) work += entries + bytes * f.matcher.pattern(k).cost_per_byte();
  IgnoreFile all = parse_dockerignore(text);
  uint64_t next = entries + bytes * all.matcher.pattern(kept).cost_per_byte();
  detail::dfa_enabled() = true;
  CHECK(work <= limits::kMaxIgnoreMatchWork);
  CHECK(work + next > limits::kMaxIgnoreMatchWork);
  // The kept patterns still apply; the exception at the end was left out.
  CHECK(f.matcher.matches_exact("keep-me.txt"));
  CHECK_FALSE(f.matcher.has_exclusions());
  CHECK(all.matcher.has_exclusions());
}

TEST_CASE(".dockerignore: a small context keeps every pattern (no work limit reached)") {
  ContextBuilder b;
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "**/*.tmp" + std::to_string(i) + "\n";
  b.add_file(".dockerignore", text);
  for (int i = 0; i < 100; ++i) b.add_file("f" + std::to_string(i) + ".tmp7", "x");
  BuildContext ctx = b.build();
  IgnoreFile f = load_dockerignore(ctx);
  CHECK(f.diagnostics.empty());
  CHECK(f.matcher.size() == 1000);
  CHECK(f.matcher.matches_exact("f3.tmp7"));
}

TEST_CASE(".dockerignore: the DFA constructions of one file share one budget") {
  // Patterns whose DFA construction gives up after its own budget: with the file-wide budget the
  // later ones skip the construction and run on the Pike VM, with the same answers.
  std::string slow = "**/";
  for (int i = 0; i < 60; ++i) slow += "**/";
  for (int i = 0; i < 40; ++i) slow += "a*";
  slow += "b";
  std::string text;
  for (int i = 0; i < 30; ++i) text += slow + std::to_string(i) + "\n";
  IgnoreFile f = parse_dockerignore(text);
  REQUIRE(f.matcher.size() == 30);
  std::string hit = "x/y/" + std::string(45, 'a') + "b7";
  CHECK(f.matcher.matches_exact(hit));
  CHECK_FALSE(f.matcher.matches_exact("x/y/aaab99"));
  for (size_t k = 0; k < f.matcher.size(); ++k) CHECK(f.matcher.pattern(k).cost_per_byte() >= 1);
}
