// The what-ifs made in the smallest slices (one unit of work per step) are the ones made at once
// (ready_what_ifs), and each effect is the one measured alone: a fresh comparison of the input
// with that variant, and the edit probe on fresh workspaces.
#include "compare/whatif_job.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "compare/compare_test_util.h"

namespace {

using namespace dfplay;
using namespace dfplay::compare;
using compare::test::example_input;
using compare::test::without_file;

std::string dump(const std::vector<WhatIf>& list) {
  return what_ifs_json(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The rebuild after one byte is appended to `path`, `in` built first (a fresh workspace).
double edit_seconds(const WorkspaceInput& in, const std::string& path) {
  Workspace ws;
  apply_input(ws, in);
  ws.build();
  WorkspaceInput e = in;
  for (auto& f : e.files)
    if (f.path == path) f.content += "\n";
  apply_input(ws, std::move(e));
  return ws.result().cache.seconds;
}

std::vector<WorkspaceInput> inputs() {
  std::vector<WorkspaceInput> v;
  for (const char* id : {"node-naive", "dotnet-multistage", "cache-order-naive", "build-arg"}) v.push_back(example_input(id));
  // A single-stage Go build with its module download after `COPY . .`.
  WorkspaceInput go = example_input("go-distroless");
  go.dockerfile = "FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go mod download\n"
                  "RUN CGO_ENABLED=0 GOOS=linux go build -o /app/server ./cmd/server\nEXPOSE 8080\nENTRYPOINT [\"/app/server\"]\n";
  v.push_back(go);
  WorkspaceInput ignore = without_file(example_input("node-multistage"), ".dockerignore");
  ignore.files.push_back({"node_modules/express/index.js", std::string(2000, 'x'), 0644});
  ignore.files.push_back({".git/HEAD", "ref: refs/heads/main\n", 0644});
  v.push_back(ignore);
  return v;
}

TEST_CASE("WhatIfJob: stepped to the end == at once == each what-if measured alone") {
  for (const auto& in : inputs()) {
    CAPTURE(in.dockerfile.substr(0, 60));
    WhatIfJob job(in);
    size_t steps = 1;
    while (!job.step(0.0)) {
      CHECK_FALSE(job.done());
      CHECK(job.take().empty());  // nothing before it is done
      ++steps;
    }
    std::vector<WhatIf> stepped = job.take();
    REQUIRE_FALSE(stepped.empty());
    CHECK(steps > 10 * stepped.size());  // never a whole build in one step
    const std::vector<WhatIf> at_once = ready_what_ifs(in);
    CHECK(dump(stepped) == dump(at_once));

    // Alone: the input as the workspace holds it (the Dockerfile's context file holds its text).
    Workspace ws;
    apply_input(ws, in);
    WorkspaceInput a = in;
    a.files = ws.files();
    const std::string probe = edit_probe_file(a);
    const double a_edit = probe.empty() ? 0 : edit_seconds(a, probe);
    for (const WhatIf& w : stepped) {
      CAPTURE(w.id);
      Comparer c;
      c.set_a(a);
      c.set_b(w.variant);
      const Diff& d = c.finish();
      CHECK(w.effect.evaluated);
      CHECK(w.effect.ok);
      CHECK(w.effect.size_delta == d.size_delta);
      CHECK(w.effect.time_delta == d.time_delta);
      CHECK(w.effect.cached == d.cache.cached);
      CHECK(w.effect.run == d.cache.run);
      CHECK(w.effect.rebuild_seconds == d.cache.seconds);
      CHECK(w.effect.fixed == d.fixed.size());
      CHECK(w.effect.introduced == d.introduced.size());
      CHECK(w.effect.files_added == d.added);
      CHECK(w.effect.edited_file == probe);
      if (!probe.empty()) {
        CHECK(w.effect.a_edit_seconds == a_edit);
        CHECK(w.effect.b_edit_seconds == edit_seconds(w.variant, probe));
      }
    }
  }
}

TEST_CASE("WhatIfJob: none for a broken or empty Dockerfile, done after its analysis") {
  WorkspaceInput broken;
  broken.dockerfile = "FROM\n";
  for (const WorkspaceInput& in : {broken, WorkspaceInput{}}) {
    WhatIfJob job(in);
    job.finish();
    CHECK(job.done());
    CHECK(job.take().empty());
    CHECK(job.step(0.0));  // nothing left
  }
}

}  // namespace
