#include "compare/timeline.h"

#include <doctest/doctest.h>

#include "compare/compare_test_util.h"
#include "workspace.h"

namespace {

using namespace dfplay;
using namespace dfplay::compare;

TEST_CASE("timeline: the multi-stage example's cold build, lane by lane") {
  Workspace ws;
  apply_input(ws, test::example_input("node-multistage"));
  const auto& r = ws.result();
  Timeline t = timeline(*r.build);
  CHECK(t.cold);
  REQUIRE(t.lanes.size() == 2);
  CHECK(t.lanes[0].label == "builder");
  CHECK(t.lanes[1].label == "production");
  // production waits for builder (COPY --from=builder).
  CHECK(t.lanes[1].start == doctest::Approx(t.lanes[0].finish));
  CHECK(t.total == doctest::Approx(r.build->cold_seconds));
  CHECK(t.serial == doctest::Approx(r.build->serial_seconds));
  CHECK(t.critical_path == std::vector<size_t>{0, 1});
  // Bars one after the other inside a lane, every one run and sourced.
  for (const auto& lane : t.lanes) {
    double at = lane.start;
    for (const auto& bar : lane.bars) {
      CHECK(bar.start == doctest::Approx(at));
      CHECK(bar.status == cache::Status::Run);
      CHECK_FALSE(bar.source.empty());
      at += bar.seconds;
    }
    CHECK(lane.finish == doctest::Approx(at));
  }
  auto j = timeline_json(t, *r.build);
  CHECK(j["estimated"] == true);
  CHECK(j["critical_path"] == nlohmann::json::array({"builder", "production"}));
  CHECK(j["lanes"][1]["depends_on"] == nlohmann::json::array({"builder"}));
}

TEST_CASE("timeline: independent stages side by side, the slower one on the critical path") {
  WorkspaceInput in;
  in.dockerfile =
      "FROM alpine:3.20 AS a\nRUN sleep 1 && echo a > /a\n"
      "FROM alpine:3.20 AS b\nRUN apk add --no-cache build-base && echo b > /b\n"
      "FROM alpine:3.20\nCOPY --from=a /a /a\nCOPY --from=b /b /b\n";
  Workspace ws;
  apply_input(ws, in);
  const auto& r = ws.result();
  Timeline t = timeline(*r.build);
  REQUIRE(t.lanes.size() == 3);
  CHECK(t.lanes[0].start == 0);
  CHECK(t.lanes[1].start == 0);  // parallel
  CHECK(t.lanes[2].start == doctest::Approx(std::max(t.lanes[0].finish, t.lanes[1].finish)));
  CHECK(t.total < t.serial);
  REQUIRE(t.critical_path.size() == 2);
  size_t slower = t.lanes[0].finish > t.lanes[1].finish ? 0 : 1;
  CHECK(t.critical_path[0] == slower);
  CHECK(t.critical_path[1] == 2);
  CHECK(t.lanes[slower].critical);
  CHECK_FALSE(t.lanes[1 - slower].critical);
}

TEST_CASE("timeline: a rebuild after an edit: cached bars take no time, the total matches the report") {
  Workspace ws;
  WorkspaceInput in = test::example_input("node-multistage");
  apply_input(ws, in);
  ws.build();
  for (auto& f : in.files)
    if (f.path == "src/server.ts") f.content += "\n// edit\n";
  apply_input(ws, in);
  const auto& r = ws.result();
  Timeline warm = timeline(*r.build, &r.cache);
  Timeline cold = timeline(*r.build);
  CHECK_FALSE(warm.cold);
  CHECK(warm.total == doctest::Approx(r.cache.seconds));
  CHECK(warm.total < cold.total);
  size_t cached = 0;
  for (const auto& lane : warm.lanes)
    for (const auto& bar : lane.bars)
      if (bar.status == cache::Status::Cached) {
        ++cached;
        CHECK(bar.seconds == 0);
        CHECK_FALSE(bar.critical);
      }
  CHECK(cached == r.cache.cached);
}

TEST_CASE("timeline: stages the target does not need are skipped; an empty Dockerfile has no lanes") {
  WorkspaceInput in;
  in.dockerfile = "FROM alpine:3.20 AS unused\nRUN echo x\nFROM alpine:3.20\nRUN echo y\n";
  Workspace ws;
  apply_input(ws, in);
  Timeline t = timeline(*ws.result().build);
  REQUIRE(t.lanes.size() == 2);
  CHECK_FALSE(t.lanes[0].built);
  for (const auto& bar : t.lanes[0].bars) CHECK(bar.status == cache::Status::Skipped);
  CHECK(t.critical_path == std::vector<size_t>{1});
  Workspace empty;
  Timeline e = timeline(*empty.result().build);
  CHECK(e.lanes.empty());
  CHECK(e.total == 0);
}

}  // namespace
