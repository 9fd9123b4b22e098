#include "context/dockerignore.h"

#include <doctest/doctest.h>

#include <string>

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
