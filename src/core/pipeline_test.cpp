#include "pipeline.h"

#include <doctest/doctest.h>

#include "report/json.h"

TEST_CASE("analyze counts instructions and stages") {
  auto a = dfplay::analyze("FROM alpine AS a\nRUN echo hi\n\nFROM scratch\nCOPY --from=a / /\n");
  CHECK(a.instruction_count == 4);
  CHECK(a.stage_count == 2);
  auto j = dfplay::report::analysis_json(a);
  CHECK(j["stage_count"] == 2);
  CHECK(j["instruction_count"] == 4);
}
