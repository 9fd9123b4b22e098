// StepParser (parser.h): parse() in steps gives the same Dockerfile as one parse(), whatever the
// steps: the whole AST as JSON (instructions, ranges, comments, heredocs, directives, empty
// continuation lines, diagnostics) compared after stopping after every line, every few lines and
// every 1,000 lines, on the conformance inputs, big.Dockerfile and inputs chosen to cut across
// what carries over between steps.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "pipeline_limits.h"
#include "syntax/ast_json.h"
#include "syntax/parser.h"
#include "../../../tests/unit/shared_dir.h"

namespace {

using dfplay::syntax::ast_json;
using dfplay::syntax::parse;
using dfplay::syntax::StepParser;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string stepped(const std::string& text, uint32_t lines, size_t* steps = nullptr) {
  StepParser p(text);
  size_t n = 1;
  while (!p.step(lines)) ++n;
  CHECK(p.done());
  if (steps) *steps = n;
  return ast_json(p.take()).dump();
}

void same_for_every_cut(const std::string& text, std::initializer_list<uint32_t> cuts = {1, 2, 3, 7, 1000}) {
  const std::string one = ast_json(parse(text)).dump();
  for (uint32_t lines : cuts) {
    CAPTURE(lines);
    CHECK(stepped(text, lines) == one);
  }
}

}  // namespace

TEST_CASE("StepParser: the same AST as parse() on inputs that cut across its state") {
  const char* inputs[] = {
      "",
      "\n\n",
      "# only a comment\n",
      "FROM alpine",
      "FROM alpine\nRUN echo hi\n",
      "\xEF\xBB\xBF# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine\nRUN echo `\n  hi\n",
      "# a comment\n\n# two\n# lines\nFROM alpine AS base\n# about RUN\nRUN a \\\n  # dropped\n\n  b\n",
      "FROM alpine\nRUN <<EOF\nline 1\nline 2\nEOF\nCOPY <<A <<B /x\na\nA\nb\nB\n",
      "FROM alpine\nRUN <<EOF\nnever ends\n",
      "FROM alpine\r\nRUN echo crlf\r\n\r\nCMD [\"a\", \"b\"]\r\n",
      "FROM\nRUN\nNOPE x\nONBUILD RUN echo\nHEALTHCHECK --interval=1s CMD true\n",
      "FROM alpine\nRUN echo \\\n",
  };
  for (const char* in : inputs) {
    CAPTURE(in);
    same_for_every_cut(in);
  }
  // A step reads whole instructions: a 5-line instruction is one step even with a 1-line budget.
  size_t steps = 0;
  stepped("FROM a\nRUN a \\\n b \\\n c \\\n d\nRUN e\n", 1, &steps);
  CHECK(steps == 4);  // FROM, the RUN of 4 lines, RUN e, then the end of the text
  // Over the size limit: one step, the limit's diagnostic, as parse().
  std::string huge(dfplay::limits::kMaxInputBytes + 1, '#');
  size_t huge_steps = 0;
  CHECK(stepped(huge, 1, &huge_steps) == ast_json(parse(huge)).dump());
  CHECK(huge_steps == 1);
  // Too many instructions: stops where parse() stops.
  std::string many = "FROM alpine\n";
  for (size_t i = 0; i <= dfplay::limits::kMaxInstructions; ++i) many += "RUN true\n";
  same_for_every_cut(many, {1, 999});
}

TEST_CASE("StepParser: the same AST as parse() on the conformance inputs and big.Dockerfile") {
  DFPLAY_REQUIRE_SHARED("conformance/buildkit");
  size_t files = 0;
  for (const char* dir : {"conformance/buildkit/parser", "conformance/buildkit/parser-negative"}) {
    for (const auto& e : std::filesystem::directory_iterator(dfplay::testing::shared_dir() / dir)) {
      const auto df = e.path() / "Dockerfile";
      if (!std::filesystem::exists(df)) continue;
      CAPTURE(df.string());
      same_for_every_cut(read(df), {1, 3});
      ++files;
    }
  }
  CHECK(files > 20);
  DFPLAY_REQUIRE_SHARED("bench/big.Dockerfile");
  same_for_every_cut(read(dfplay::testing::shared_dir() / "bench/big.Dockerfile"), {1, 100, 1000});
}
