#include "stages/graph.h"

#include <doctest/doctest.h>

#include "syntax/parser.h"
#include "pipeline_limits.h"

using namespace dfplay;

namespace {

struct G {
  syntax::Dockerfile df;
  ins::Program program;
  stages::Graph graph;
};

std::unique_ptr<G> graph(std::string_view text, BuildOptions opts = {}) {
  auto g = std::make_unique<G>();
  g->df = syntax::parse(text);
  g->program = ins::build_program(g->df);
  g->graph = stages::build_graph(g->program, opts, g->df.escape);
  return g;
}

std::string first_error(const G& g) {
  for (const auto& d : g.graph.diagnostics)
    if (d.severity == Severity::Error) return d.message;
  return "";
}

constexpr std::string_view kSeedNode = R"(FROM node:20-alpine AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
FROM node:20-alpine AS production
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --from=builder /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
)";

}  // namespace

TEST_CASE("seed Node example: two stages, production depends on builder") {
  auto g = graph(kSeedNode);
  REQUIRE(g->graph.diagnostics.empty());
  REQUIRE(g->graph.stages.size() == 2);
  CHECK(g->graph.target == 1);
  const auto& prod = g->graph.stages[1];
  CHECK(prod.base_kind == stages::BaseKind::Image);
  CHECK(prod.base_ref == "node:20-alpine");
  REQUIRE(prod.deps.size() == 1);
  CHECK(prod.deps[0].stage == 0);
  CHECK(prod.deps[0].kind == stages::DepKind::CopyFrom);
  CHECK(g->graph.stages[0].built);
  CHECK(prod.built);
  CHECK(g->graph.stages[0].level == 0);
  CHECK(prod.level == 1);
  REQUIRE(g->graph.levels.size() == 2);
}

TEST_CASE("--target builds only the stages the target needs") {
  BuildOptions o;
  o.target = "builder";
  auto g = graph(kSeedNode, o);
  CHECK(g->graph.target == 0);
  CHECK(g->graph.stages[0].built);
  CHECK_FALSE(g->graph.stages[1].built);
  o.target = "nope";
  CHECK(first_error(*graph(kSeedNode, o)) == "target stage \"nope\" could not be found");
}

TEST_CASE("unreachable stages are skipped; independent stages share a level") {
  auto g = graph(
      "FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\nFROM alpine AS unused\nRUN x\n"
      "FROM scratch\nCOPY --from=a /a /\nCOPY --from=b /b /\n");
  const auto& s = g->graph.stages;
  CHECK(s[0].built);
  CHECK(s[1].built);
  CHECK_FALSE(s[2].built);
  CHECK(s[3].built);
  CHECK(s[3].base_kind == stages::BaseKind::Scratch);
  REQUIRE(g->graph.levels.size() == 2);
  CHECK(g->graph.levels[0].size() == 2);
  CHECK(s[0].label == "a");
  CHECK(s[3].label == "stage-3");
}

TEST_CASE("FROM a stage, COPY --from by index, external image, mount from") {
  auto g = graph(
      "FROM golang AS build\nRUN go build\nFROM build AS test\nRUN go test\n"
      "FROM alpine\nCOPY --from=0 /x /x\nCOPY --from=nginx:alpine /etc/nginx /etc/nginx\n"
      "RUN --mount=from=test,target=/t true\n");
  const auto& s = g->graph.stages;
  CHECK(s[1].base_kind == stages::BaseKind::Stage);
  CHECK(s[1].base_stage == 0);
  REQUIRE(s[2].deps.size() == 2);
  CHECK(s[2].deps[0].stage == 0);
  CHECK(s[2].deps[1].stage == 1);
  CHECK(s[2].deps[1].kind == stages::DepKind::MountFrom);
  REQUIRE(s[2].images.size() == 1);
  CHECK(s[2].images[0].ref == "nginx:alpine");
  CHECK(s[1].built);
}

TEST_CASE("a FROM name refers only to earlier stages") {
  auto g = graph("FROM later AS first\nFROM alpine AS later\n");
  CHECK(g->graph.stages[0].base_kind == stages::BaseKind::Image);
}

TEST_CASE("cycles and bad indexes are errors") {
  CHECK(first_error(*graph("FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\n")) ==
        "circular dependency detected on stage: stage-0");
  CHECK(first_error(*graph("FROM busybox AS s0\nCOPY --from=s2 f /\nFROM busybox AS s1\nCOPY --from=s0 f /\n"
                           "FROM busybox AS s2\nCOPY --from=s1 f /\n"))
            .find("circular dependency detected on stage") == 0);
  CHECK(first_error(*graph("FROM a\nCOPY --from=3 /x /x\n")) == "invalid stage index 3: the Dockerfile has 1 stage");
}

TEST_CASE("global ARGs expand FROM; --build-arg overrides; platform ARGs are predefined") {
  auto g = graph("ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine AS builder\n");
  CHECK(g->graph.stages[0].base_ref == "node:20-alpine");
  BuildOptions o;
  o.build_args = {{"NODE_VERSION", "22"}};
  g = graph("ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine AS builder\n", o);
  CHECK(g->graph.stages[0].base_ref == "node:22-alpine");
  CHECK(g->graph.meta_args[0].overridden);
  o.platform = "linux/arm64";
  g = graph("FROM --platform=$BUILDPLATFORM golang:1.22 AS b\nFROM alpine:${TARGETARCH}\n", o);
  CHECK(g->graph.stages[0].platform == "linux/amd64");
  CHECK(g->graph.stages[1].base_ref == "alpine:arm64");
  g = graph("FROM alpine:${NOPE}\n");
  REQUIRE(g->graph.stages[0].from_undefined.size() == 1);
  CHECK(g->graph.stages[0].from_undefined[0] == "NOPE");
  CHECK(first_error(*graph("ARG X\nFROM ${X}\n")) == "base name (${X}) should not be blank");
}

TEST_CASE("the global ARGs and FROM are expanded with the file's escape character") {
  // BuildKit's converter expands them with shell.NewLex(dockerfile.EscapeToken): with
  // `# escape=`` ` a backslash is a plain character (Windows paths), a backtick escapes.
  auto g = graph("# escape=`\nARG DIR=C:\\tools\nARG TAG=`$1\nFROM alpine:3.20\n");
  REQUIRE(g->graph.meta_args.size() == 2);
  CHECK(g->graph.meta_args[0].value == std::optional<std::string>("C:\\tools"));
  CHECK(g->graph.meta_args[1].value == std::optional<std::string>("$1"));
  g = graph("ARG DIR=C:\\tools\nFROM alpine:3.20\n");
  CHECK(g->graph.meta_args[0].value == std::optional<std::string>("C:tools"));
}

TEST_CASE("platforms parse and normalise") {
  CHECK(stages::Platform::parse("linux/arm64/v8")->str() == "linux/arm64");
  CHECK(stages::Platform::parse("linux/arm")->str() == "linux/arm/v7");
  CHECK(stages::Platform::parse("amd64")->str() == "linux/amd64");
  CHECK_FALSE(stages::Platform::parse("linux//x"));
}

TEST_CASE("a chain of the most stages allowed finishes with no deep recursion") {
  const int n = static_cast<int>(limits::kMaxStages);
  std::string text = "FROM alpine AS s0\n";
  for (int i = 1; i < n; ++i) text += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\n";
  auto g = graph(text);
  CHECK(g->graph.diagnostics.empty());
  CHECK(g->graph.stages.back().level == static_cast<size_t>(n - 1));
  CHECK(g->graph.stages.front().built);
}

TEST_CASE("Graph::find: names case-insensitively (the first stage of a name), then indices") {
  auto g = graph("FROM alpine AS Build\nFROM alpine AS tools\nFROM alpine AS build\nFROM alpine\n");
  const auto& gr = g->graph;
  REQUIRE(gr.stages.size() == 4);
  REQUIRE(gr.find("build") != nullptr);
  CHECK(gr.find("build")->index == 0);
  CHECK(gr.find("BUILD")->index == 0);
  CHECK(gr.find("Tools")->index == 1);
  CHECK(gr.find("3")->index == 3);
  CHECK(gr.find("4") == nullptr);
  CHECK(gr.find("missing") == nullptr);
  CHECK(gr.find(std::string(100, 'x')) == nullptr);  // longer than the stack buffer
  // A graph assembled by hand (no name index) gives the same answers.
  stages::Graph copy = gr;
  copy.by_name.clear();
  CHECK(copy.find("BUILD")->index == 0);
  CHECK(copy.find("tools")->index == 1);
}
