#include "pipeline.h"

#include <doctest/doctest.h>

#include "report/json.h"

TEST_CASE("analyze counts instructions and stages") {
  dfplay::Request req;
  req.dockerfile = "FROM alpine AS a\nRUN echo hi\n\nFROM scratch\nCOPY --from=a / /\n";
  auto a = dfplay::analyze(req);
  CHECK(a->instruction_count == 4);
  CHECK(a->stage_count == 2);
  CHECK(a->program.stages.size() == 2);
  CHECK(a->graph.target == 1);
  CHECK(a->eval.stages.size() == 2);
  auto j = dfplay::report::analysis_json(*a);
  CHECK(j["stage_count"] == 2);
  CHECK(j["instruction_count"] == 4);
}

TEST_CASE("run: the build and the checks share one analysis") {
  dfplay::Request req;
  req.dockerfile = "FROM alpine AS Build\nRUN echo hi\n";
  req.options.target = "build";
  auto r = dfplay::run(req);
  REQUIRE(r.build);
  CHECK(r.build->analysis.get() == r.analysis.get());
  CHECK(r.build->ok);
  bool casing = false;
  for (const auto& f : r.checks.findings) casing |= f.id == "StageNameCasing";
  CHECK(casing);
}
