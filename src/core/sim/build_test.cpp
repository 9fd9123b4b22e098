// The build engine's own rules, end to end on small inputs (the 40 oracle cases in
// tests/oracle-builds and the 90 cache scenarios cover the same rules against the real engine).
#include "sim/build.h"
#include "sim/build_test_util.h"
#include "pipeline_limits.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace {

using namespace dfplay;
using namespace dfplay::sim::testutil;

}  // namespace

TEST_SUITE("sim/build") {
  TEST_CASE("COPY puts context files in a layer; WORKDIR creates its directory") {
    auto ctx = ctx_of({{"a.txt", "hello"}, {"src/b.js", "x"}});
    auto b = sim_build("FROM alpine:3.20\nWORKDIR /srv/app\nCOPY a.txt src/ ./\n", &ctx);
    REQUIRE(b->ok);
    REQUIRE(file(*b, "/srv/app"));
    CHECK(file(*b, "/srv/app")->type == sim::NodeType::Dir);
    REQUIRE(file(*b, "/srv/app/a.txt"));
    CHECK(file(*b, "/srv/app/a.txt")->size == 5);
    CHECK(file(*b, "/srv/app/b.js"));  // a directory source copies its contents
    CHECK(b->layers.size() >= 2);
  }

  TEST_CASE("several sources onto a path without a slash: BuildKit copies each onto it, the last wins") {
    // The classic builder refused this; BuildKit 0.13 (checked on the real engine, oracle case 006)
    // does not: /dest is a file with the last source's content.
    auto ctx = ctx_of({{"a", "1"}, {"b", "22"}});
    auto b = sim_build("FROM alpine:3.20\nCOPY a b /dest\n", &ctx);
    CHECK(b->ok);
    REQUIRE(file(*b, "/dest"));
    CHECK(file(*b, "/dest")->type == sim::NodeType::File);
    CHECK(file(*b, "/dest")->size == 2);
  }

  TEST_CASE("a source leaving the context is resolved inside it and is missing") {
    auto ctx = ctx_of({{"a", "1"}});
    auto b = sim_build("FROM alpine:3.20\nCOPY ../../etc/passwd /x\n", &ctx);
    CHECK_FALSE(b->ok);
    bool positioned = false;
    for (const auto& d : b->diagnostics)
      if (d.severity == Severity::Error) positioned = positioned || d.range.begin.line == 2;
    CHECK(positioned);
  }

  TEST_CASE("deleting a file in a later layer does not shrink the image: wasted bytes") {
    auto ctx = ctx_of({{"big.bin", std::string(100000, 'x')}});
    auto b = sim_build("FROM alpine:3.20\nCOPY big.bin /big.bin\nRUN rm -f /big.bin\n", &ctx);
    REQUIRE(b->ok);
    CHECK(file(*b, "/big.bin") == nullptr);
    CHECK(b->wasted_bytes >= 100000);
    CHECK(b->efficiency < 1.0);
  }

  TEST_CASE("COPY --chown and --chmod set owner and mode") {
    auto ctx = ctx_of({{"s.sh", "echo"}});
    auto b = sim_build("FROM node:20-alpine\nCOPY --chown=node:node --chmod=755 s.sh /s.sh\n", &ctx);
    REQUIRE(b->ok);
    const auto* f = file(*b, "/s.sh");
    REQUIRE(f);
    CHECK(f->uid == 1000);
    CHECK(f->gid == 1000);
    CHECK(f->mode == 0755);
  }

  TEST_CASE("heredoc sources become files") {
    auto b = sim_build("FROM alpine:3.20\nCOPY <<EOF /etc/motd\nhello\nEOF\n");
    REQUIRE(b->ok);
    REQUIRE(file(*b, "/etc/motd"));
    CHECK(file(*b, "/etc/motd")->size == 6);
  }

  TEST_CASE("ADD of a URL has an estimated, flagged size") {
    auto b = sim_build("FROM alpine:3.20\nADD https://example.com/tool.tar.gz /opt/\n");
    REQUIRE(b->ok);
    bool estimated = false;
    for (const auto& l : b->layers) estimated = estimated || (l.estimated && l.size_bytes > 0);
    CHECK(estimated);
  }

  TEST_CASE("an unknown command is listed as unknown effect and not sized") {
    auto b = sim_build("FROM alpine:3.20\nRUN frobnicate --all\n");
    REQUIRE(b->ok);
    const auto& st = step_at_line(*b, 2);
    bool unknown = false;
    for (const auto& n : st.notes) unknown = unknown || n.starts_with("unknown effect");
    CHECK(unknown);
    CHECK(st.layer_bytes == 0);
  }

  TEST_CASE("a dfplay annotation states a step's effect exactly") {
    auto b = sim_build("FROM alpine:3.20\n# dfplay: adds /opt/tool 12MB, 30s\nRUN ./install-tool\n");
    REQUIRE(b->ok);
    const auto& st = step_at_line(*b, 3);
    CHECK(st.layer_bytes == 12000000);
    CHECK(st.seconds == doctest::Approx(30));
  }

  TEST_CASE("RUN effects of earlier builds are reused only for exactly the same inputs") {
    auto same = [](const sim::BuildResult& x, const sim::BuildResult& y) {
      REQUIRE(x.steps.size() == y.steps.size());
      for (size_t i = 0; i < x.steps.size(); ++i) {
        CHECK(x.steps[i].key == y.steps[i].key);
        CHECK(x.steps[i].layer_bytes == y.steps[i].layer_bytes);
        CHECK(x.steps[i].wasted_bytes == y.steps[i].wasted_bytes);
        CHECK(x.steps[i].seconds == y.steps[i].seconds);
        CHECK(x.steps[i].notes == y.steps[i].notes);
      }
      REQUIRE(x.files.size() == y.files.size());
      for (size_t i = 0; i < x.files.size(); ++i) {
        CHECK(x.files[i].path == y.files[i].path);
        CHECK(x.files[i].size == y.files[i].size);
        CHECK(x.files[i].layer == y.files[i].layer);
      }
    };
    sim::RunCache runs;
    auto cached = [&](std::string_view df, BuildOptions opts = {}) {
      Request in;
      in.dockerfile = df;
      in.options = std::move(opts);
      return simulate(in, 0, &runs);
    };
    const char* a = "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN apk add --no-cache curl\n";
    const char* b = "FROM alpine:3.20\nRUN apk add --no-cache git\nRUN apk add --no-cache curl\n";
    auto first = cached(a);
    CHECK(runs.size() == 2);
    CHECK(step_at_line(*first, 3).layer_bytes == 0);  // curl is installed already
    // Line 3 is unchanged, but it now runs on a filesystem without curl: simulated again.
    auto second = cached(b);
    CHECK(runs.size() == 4);
    CHECK(step_at_line(*second, 3).layer_bytes > 0);
    same(*second, *sim_build(b));
    same(*cached(a), *first);  // every RUN effect reused
    CHECK(runs.size() == 4);
    // The annotation is no part of the cache key but an input of the effect.
    auto n1 = cached("FROM alpine:3.20\n# dfplay: adds /opt/x 10MB\nRUN ./install\n");
    auto n2 = cached("FROM alpine:3.20\n# dfplay: adds /opt/x 20MB\nRUN ./install\n");
    CHECK(step_at_line(*n1, 3).key == step_at_line(*n2, 3).key);
    CHECK(step_at_line(*n1, 3).layer_bytes == 10000000);
    CHECK(step_at_line(*n2, 3).layer_bytes == 20000000);
    // Undeclared proxy args reach the RUN's environment, not its cache key.
    BuildOptions with_proxy;
    with_proxy.build_args = {{"HTTP_PROXY", "http://proxy:3128"}};
    auto p1 = cached("FROM alpine:3.20\nRUN echo \"$HTTP_PROXY\" > /proxy.txt\n");
    auto p2 = cached("FROM alpine:3.20\nRUN echo \"$HTTP_PROXY\" > /proxy.txt\n", with_proxy);
    CHECK(step_at_line(*p1, 2).key == step_at_line(*p2, 2).key);
    REQUIRE(p1->stages[0].fs.find("/proxy.txt"));
    REQUIRE(p2->stages[0].fs.find("/proxy.txt"));
    CHECK(p1->stages[0].fs.find("/proxy.txt")->size != p2->stages[0].fs.find("/proxy.txt")->size);
    // Bounded: two generations.
    sim::RunCache small;
    for (uint64_t k = 0; k < 3 * sim::RunCache::kGeneration; ++k) small.store(k, std::make_shared<const sim::Effect>());
    CHECK(small.size() == 2 * sim::RunCache::kGeneration);
    CHECK(small.find(0) == nullptr);
    CHECK(small.find(3 * sim::RunCache::kGeneration - 1) != nullptr);
    runs.clear();
    CHECK(runs.size() == 0);
  }

  TEST_CASE("global ARGs reach FROM only; a redeclared ARG takes the default; --build-arg overrides") {
    const char* df = "ARG TAG=3.19\nARG MSG=hi\nFROM alpine:${TAG}\nARG MSG\nENV OUT=$MSG\n";
    auto b = sim_build(df);
    REQUIRE(b->ok);
    CHECK(b->stages[0].base == "alpine:3.19");
    BuildOptions o;
    o.build_args = {{"TAG", "3.20"}, {"MSG", "yo"}};
    auto b2 = sim_build(df, nullptr, o);
    CHECK(b2->stages[0].base == "alpine:3.20");
    bool env = false;
    for (const auto& [k, v] : b2->config.env) env = env || (k == "OUT" && v == "yo");
    CHECK(env);
    // Without redeclaration, the global ARG is not visible in the stage.
    auto b3 = sim_build("ARG MSG=hi\nFROM alpine:3.20\nENV OUT=x$MSG\n");
    bool empty = false;
    for (const auto& [k, v] : b3->config.env) empty = empty || (k == "OUT" && v == "x");
    CHECK(empty);
  }

  TEST_CASE("predefined platform ARGs follow --platform") {
    BuildOptions o;
    o.platform = "linux/arm64";
    auto b = sim_build("FROM alpine:3.20\nARG TARGETARCH\nENV A=$TARGETARCH\n", nullptr, o);
    bool arm = false;
    for (const auto& [k, v] : b->config.env) arm = arm || (k == "A" && v == "arm64");
    CHECK(arm);
  }

  TEST_CASE("ENV and USER are inherited from the parent stage; config comes from the target") {
    auto b = sim_build(
        "FROM alpine:3.20 AS base\nENV A=1\nUSER nobody\nFROM base AS final\nEXPOSE 8080/tcp\n"
        "ENTRYPOINT [\"/bin/app\"]\n");
    REQUIRE(b->ok);
    CHECK(b->config.user == "nobody");
    bool a = false;
    for (const auto& [k, v] : b->config.env) a = a || (k == "A" && v == "1");
    CHECK(a);
    CHECK(b->config.exposed_ports == std::vector<std::string>{"8080/tcp"});
  }

  TEST_CASE("only the stages the target needs are built; parallel stages shorten the cold build") {
    const char* df =
        "FROM alpine:3.20 AS a\nRUN sleep 1\nFROM alpine:3.20 AS b\nRUN sleep 2\nFROM alpine:3.20 AS unused\n"
        "FROM alpine:3.20 AS final\nCOPY --from=a /etc/hostname /a\nCOPY --from=b /etc/hostname /b\n";
    auto b = sim_build(df);
    CHECK(b->stages[0].built);
    CHECK(b->stages[1].built);
    CHECK_FALSE(b->stages[2].built);
    CHECK(b->stages[3].built);
    CHECK(b->cold_seconds <= b->serial_seconds);
  }

  TEST_CASE("the naive single-stage alternative is the heaviest built stage") {
    auto ctx = ctx_of({{"go.mod", "module x\n\ngo 1.22\n"}, {"main.go", "package main\nfunc main(){}\n"}});
    auto b = sim_build(
        "FROM golang:1.22-alpine AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\n"
        "FROM scratch\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n",
        &ctx);
    REQUIRE(b->ok);
    CHECK(b->single_stage == 0);
    CHECK(b->single_stage_size_bytes > b->size_bytes);
    CHECK(b->saving_bytes == b->single_stage_size_bytes - b->size_bytes);
  }

  TEST_CASE("the seed's trailing '#' on COPY is more sources, and the build fails with a note") {
    auto ctx = ctx_of({{"package.json", "{}"}});
    auto b = sim_build(
        "FROM alpine:3.20 AS builder\nRUN mkdir -p /app/dist\nFROM alpine:3.20\n"
        "COPY --from=builder /app/dist ./dist # copy compiled output only\n",
        &ctx);
    CHECK_FALSE(b->ok);
    CHECK(has_diag(*b, "build/hash-not-comment"));
  }

  TEST_CASE("bad input stays bounded: cycles, a chain of the most stages allowed, deep globs") {
    // FROM names refer only to earlier stages, so a cycle needs COPY --from.
    auto cyc = sim_build("FROM alpine:3.20 AS a\nCOPY --from=b /x /x\nFROM alpine:3.20 AS b\nCOPY --from=a /y /y\n");
    CHECK_FALSE(cyc->ok);
    std::string chain = "FROM alpine:3.20 AS s0\n";
    const int n = static_cast<int>(limits::kMaxStages);
    for (int i = 1; i < n; ++i) chain += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\n";
    auto t0 = std::chrono::steady_clock::now();
    auto b = sim_build(chain);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK(b->stages.size() == limits::kMaxStages);
    CHECK(b->ok);
    MESSAGE(n << "-stage chain simulated in " << ms << " ms");
    // One more stage is refused at its FROM line, and the first kMaxStages are still simulated.
    auto over = sim_build(chain + "FROM s" + std::to_string(n - 1) + " AS s" + std::to_string(n) + "\n");
    CHECK(over->stages.size() == limits::kMaxStages);
    CHECK_FALSE(over->ok);
    CHECK(has_diag(*over, "limits/stages"));
    context::ContextBuilder cb;
    for (int i = 0; i < 20000; ++i) cb.add_file("d" + std::to_string(i % 20) + "/e/f/g" + std::to_string(i), "x");
    auto ctx = cb.build();
    auto g = sim_build("FROM alpine:3.20\nCOPY **/**/**/* /out/\n", &ctx);
    CHECK(g->ok);
  }
}

TEST_CASE("sim/build: the context summary counts what .dockerignore excludes") {
  auto ctx = sim::testutil::ctx_of({{".dockerignore", "node_modules\n*.md\n"},
                                    {"README.md", "# x"},
                                    {"docs/a.md", "anchored: not excluded"},
                                    {"node_modules/x/index.js", "module.exports = 1;"},
                                    {"src/app.js", "console.log(1)"}});
  auto b = sim::testutil::sim_build("FROM alpine:3.20\nCOPY . /app\n", &ctx);
  REQUIRE(b->ok);
  const auto& cs = b->context;
  CHECK(cs.ignore_file == ".dockerignore");
  CHECK(cs.before.files == 5);
  CHECK(cs.after.files == 3);  // .dockerignore, docs/a.md, src/app.js
  CHECK(cs.excluded == std::vector<std::string>{"README.md", "node_modules/"});
  CHECK(cs.excluded_count == 2);
  CHECK(sim::testutil::file(*b, "/app/docs/a.md"));
  CHECK_FALSE(sim::testutil::file(*b, "/app/README.md"));
}

TEST_CASE("sim/build: without FROM nothing is built, but the context is read as a build sends it") {
  auto ctx = sim::testutil::ctx_of({{".dockerignore", "node_modules\n*.md\n"},
                                    {"README.md", "# x"},
                                    {"node_modules/x/index.js", "module.exports = 1;"},
                                    {"src/app.js", "console.log(1)"}});
  auto b = sim::testutil::sim_build("# no stage here\nARG VERSION=1\n", &ctx);
  CHECK_FALSE(b->ok);
  CHECK(sim::testutil::has_diag(*b, "build/no-stage"));
  CHECK(b->stages.empty());
  // The .dockerignore and the walk the checks and the context panel read (BuildResult::sent).
  REQUIRE(b->ignore);
  CHECK(b->ignore->path == ".dockerignore");
  REQUIRE(b->sent);
  CHECK(&b->sent->context() == &ctx);
  CHECK(b->context.ignore_file == ".dockerignore");
  CHECK(b->context.before.files == 4);
  CHECK(b->context.after.files == 2);  // .dockerignore, src/app.js
  CHECK(b->context.excluded == std::vector<std::string>{"README.md", "node_modules/"});
  // Without a context there is nothing to walk: an empty ignore file, no walk.
  auto none = sim::testutil::sim_build("ARG VERSION=1\n");
  REQUIRE(none->ignore);
  CHECK(none->ignore->path.empty());
  CHECK_FALSE(none->sent);
  // Nor with stages: the builder walks an empty context of its own, which the result must not
  // point into once the builder is gone.
  auto built = sim::testutil::sim_build("FROM alpine:3.20\nRUN echo hi\n");
  CHECK(built->ok);
  CHECK_FALSE(built->sent);
}
