#include <doctest/doctest.h>

#include "analysis.h"
#include "stages/eval.h"

using namespace dfplay;

namespace {

std::shared_ptr<const Analysis> analysis_of(std::string_view text, BuildOptions opts = {}) {
  Request req;
  req.dockerfile = text;
  req.options = std::move(opts);
  return analyze(req);
}

}  // namespace

TEST_CASE("stages/from_eval: each FROM line as the rules read it, expanded once") {
  BuildOptions opts;
  opts.build_args = {{"TAG", "3.20"}};
  auto a = analysis_of(
      "ARG TAG=3.19\nARG REG\nFROM alpine:${TAG} AS base\nFROM --platform=$BUILDPLATFORM ${REG}busybox:$NOPE\n"
      "FROM --platform=$TARGETPLATFORM base\n",
      opts);
  const auto& from = a->eval.from;
  REQUIRE(from.stages.size() == 3);
  // Defaults only (no --build-arg): TAG is 3.19.
  CHECK(from.stages[0].base_defaults == std::optional<std::string>("alpine:3.19"));
  // With the build args: TAG is 3.20; REG is declared without a value, NOPE is not declared.
  CHECK(from.stages[0].base.ok);
  CHECK(from.stages[0].base.word == "alpine:3.20");
  CHECK(from.stages[0].base.referenced == std::vector<std::string>{"TAG"});
  CHECK_FALSE(from.stages[0].platform);
  CHECK(from.stages[1].base.word == "busybox:");
  CHECK(from.stages[1].base.undefined == std::vector<std::string>{"REG", "NOPE"});
  REQUIRE(from.stages[1].platform);
  CHECK(from.stages[1].platform->referenced == std::vector<std::string>{"BUILDPLATFORM"});
  CHECK(from.stages[1].platform->undefined.empty());
  REQUIRE(from.stages[2].platform);
  CHECK(from.stages[2].platform->word == *from.env.find("TARGETPLATFORM"));
  // The lint scope defines the OS-version and stage ARGs (empty).
  CHECK(from.env.find("TARGETSTAGE"));
  CHECK(from.env.find("BUILDOSVERSION"));
}

TEST_CASE("stages/from_eval: a default that fails to expand ends the defaults-only words") {
  auto a = analysis_of("ARG BAD=${X:?no}\nFROM alpine\nFROM busybox\n");
  const auto& from = a->eval.from;
  REQUIRE(from.stages.size() == 2);
  CHECK_FALSE(from.stages[0].base_defaults);
  CHECK_FALSE(from.stages[1].base_defaults);
  CHECK(from.stages[0].base.ok);  // the FROM scope does not stop there
  CHECK(from.stages[0].base.word == "alpine");
  auto b = analysis_of("FROM alpine:${X:?no}\nFROM busybox\n");
  CHECK_FALSE(b->eval.from.stages[0].base_defaults);
  CHECK_FALSE(b->eval.from.stages[1].base_defaults);
  CHECK_FALSE(b->eval.from.stages[0].base.ok);
}

TEST_CASE("stages/from_eval: a repeated FROM word gets the same record as its first") {
  auto a = analysis_of("ARG B=debian\nFROM ${B:-x}:${T:-12}-slim AS one\nFROM ${B:-x}:${T:-12}-slim AS two\n");
  const auto& from = a->eval.from;
  REQUIRE(from.stages.size() == 2);
  for (const auto& fe : from.stages) {
    CHECK(fe.base_defaults == std::optional<std::string>("debian:12-slim"));
    CHECK(fe.base.ok);
    CHECK(fe.base.word == "debian:12-slim");
    CHECK(fe.base.referenced == std::vector<std::string>{"B", "T"});
    CHECK(fe.base.undefined == std::vector<std::string>{"T"});
  }
}
