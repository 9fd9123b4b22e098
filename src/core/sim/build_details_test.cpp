// BuildKit details of issue 16, each checked against the real engine where the oracle can show it
// (tests/scenarios/091-096 and tests/oracle-builds/041-043 record the engine's answers).
#include "sim/build.h"
#include "sim/build_test_util.h"

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace dfplay;
using namespace dfplay::sim::testutil;

}  // namespace

TEST_SUITE("sim/build BuildKit details") {
  TEST_CASE("WORKDIR /app/: kept for the RUN's working directory and the config, cleaned for mkdir and COPY") {
    auto ctx = ctx_of({{"a.txt", "x"}});
    auto plain = sim_build("FROM alpine:3.20\nWORKDIR /app\nCOPY a.txt .\nRUN cat a.txt\n", &ctx);
    auto slash = sim_build("FROM alpine:3.20\nWORKDIR /app/\nCOPY a.txt .\nRUN cat a.txt\n", &ctx);
    REQUIRE(plain->ok);
    REQUIRE(slash->ok);
    CHECK(slash->config.workdir == "/app/");
    CHECK(plain->config.workdir == "/app");
    CHECK(step_at_line(*plain, 2).key == step_at_line(*slash, 2).key);  // the mkdir: the same vertex
    CHECK(step_at_line(*plain, 3).key == step_at_line(*slash, 3).key);  // COPY dest /app either way
    CHECK(step_at_line(*plain, 4).key != step_at_line(*slash, 4).key);  // RUN cwd "/app/" != "/app"
    CHECK(file(*slash, "/app/a.txt"));
    // A relative WORKDIR is joined and cleaned.
    auto rel = sim_build("FROM alpine:3.20\nWORKDIR /app/\nWORKDIR sub/\n");
    CHECK(rel->config.workdir == "/app/sub");
  }

  TEST_CASE("COPY --chmod=755 and --chmod=0755 are the same operation") {
    auto ctx = ctx_of({{"run.sh", "#!/bin/sh\n"}});
    auto a = sim_build("FROM alpine:3.20\nCOPY --chmod=755 run.sh /run.sh\n", &ctx);
    auto b = sim_build("FROM alpine:3.20\nCOPY --chmod=0755 run.sh /run.sh\n", &ctx);
    auto c = sim_build("FROM alpine:3.20\nCOPY --chmod=0700 run.sh /run.sh\n", &ctx);
    CHECK(step_at_line(*a, 2).key == step_at_line(*b, 2).key);
    CHECK(step_at_line(*a, 2).key != step_at_line(*c, 2).key);
    REQUIRE(file(*a, "/run.sh"));
    CHECK(file(*a, "/run.sh")->mode == 0755);
  }

  TEST_CASE("COPY --from=<image> of a path the catalog does not know: a file of estimated size when it looks like one") {
    auto b = sim_build("FROM alpine:3.20\nCOPY --from=busybox:1.36 /bin/busybox /usr/local/bin/busybox\n");
    REQUIRE(b->ok);
    const auto* f = file(*b, "/usr/local/bin/busybox");
    REQUIRE(f);
    CHECK(f->type == sim::NodeType::File);
    CHECK(f->size > 0);
    CHECK(f->estimated);
    CHECK(f->mode == 0755);
    // A directory the catalog lists: its size; one it does not: a directory of unknown contents.
    auto d = sim_build("FROM alpine:3.20\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\n");
    REQUIRE(file(*d, "/etc/nginx"));
    CHECK(file(*d, "/etc/nginx")->size == 100000);
    CHECK_FALSE(file(*d, "/etc/nginx")->unknown);
    auto u = sim_build("FROM alpine:3.20\nCOPY --from=nginx:alpine /usr/lib/nginx/modules /modules\n");
    REQUIRE(u->ok);
    REQUIRE(file(*u, "/modules"));
    CHECK(file(*u, "/modules")->unknown);
    CHECK(file(*u, "/modules")->type == sim::NodeType::Dir);
  }

  TEST_CASE("base images include their standard directories: a COPY into /usr/local/bin adds no parent") {
    auto ctx = ctx_of({{"tool.sh", "#!/bin/sh\n"}});
    auto b = sim_build("FROM alpine:3.20\nCOPY tool.sh /usr/local/bin/tool\n", &ctx);
    REQUIRE(b->ok);
    CHECK(file(*b, "/usr/local/bin/tool"));
    CHECK_FALSE(file(*b, "/usr/local/bin"));  // in the base, not in a layer
    CHECK_FALSE(file(*b, "/usr/local"));
  }
}
