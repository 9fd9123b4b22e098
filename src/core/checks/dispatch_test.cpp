// BuildKit's dispatch-time rules read the evaluation (stages/eval.h): one case for each place where
// the checks' former evaluator and the evaluation disagreed, with the side BuildKit takes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis.h"
#include "checks/engine.h"
#include "pipeline.h"

using namespace dfplay;

namespace {

std::vector<checks::Finding> findings(std::string_view text, BuildOptions opts = {}) {
  Request req;
  req.dockerfile = text;
  req.options = std::move(opts);
  std::vector<checks::Finding> out;  // BuildKit's rules only (no best practices)
  for (auto& f : dfplay::run(req).checks.findings)
    if (f.buildkit) out.push_back(std::move(f));
  return out;
}

size_t count(const std::vector<checks::Finding>& fs, std::string_view id) {
  size_t n = 0;
  for (const auto& f : fs)
    if (f.id == id) ++n;
  return n;
}

std::shared_ptr<const Analysis> analysis(std::string_view text, BuildOptions opts = {}) {
  Request req;
  req.dockerfile = text;
  req.options = std::move(opts);
  return analyze(req);
}

bool has_code(const Diagnostics& d, std::string_view code) {
  for (const auto& x : d)
    if (x.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("dispatch rules: UndefinedVar comes from the evaluation's references") {
  auto fs = findings("FROM alpine:3.20\nARG DECLARED\nENV A=$NOPE B=$DECLARED C=$PATH\nWORKDIR /$MISSING\n");
  REQUIRE(count(fs, "UndefinedVar") == 2);
  CHECK(fs[0].message.find("$NOPE") != std::string::npos);
  CHECK(fs[0].range.begin.line == 3);
  CHECK(fs[1].message.find("$MISSING") != std::string::npos);
  CHECK(fs[1].range.begin.line == 4);
}

TEST_CASE("dispatch rules: a FROM <stage> child inherits the parent's ARG values (BuildKit copies the LLB state)") {
  // Oracle (BuildKit 0.13.2): the child's WORKDIR /w$X made /whello and its RUN saw X=hello.
  const char* df = "FROM alpine:3.20 AS base\nARG X=hello\nFROM base\nWORKDIR /w$X\nRUN echo \"$X\"\n";
  auto a = analysis(df);
  REQUIRE(a->eval.stages.size() == 2);
  const auto& child = a->eval.stages[1];
  REQUIRE(child.steps.size() == 2);
  CHECK(child.steps[0].value == "/whello");
  const std::string* x = stages::find_var(child.steps[1].args, "X");
  REQUIRE(x != nullptr);
  CHECK(*x == "hello");
  CHECK(count(findings(df), "UndefinedVar") == 0);
  // A relative WORKDIR built from the inherited value: the rule sees the expanded path.
  auto fs = findings("FROM alpine:3.20 AS base\nARG D=app\nFROM base\nWORKDIR $D\n");
  REQUIRE(count(fs, "WorkdirRelativePath") == 1);
  CHECK(fs[0].message.find("app") != std::string::npos);
}

TEST_CASE("dispatch rules: words BuildKit expands outside the instruction's Expand report nothing") {
  // COPY --chmod, --from and EXPOSE are expanded without UndefinedVar (the evaluation still records
  // the references); the former dispatcher agreed, the evaluation's raw records did not.
  CHECK(count(findings("FROM alpine:3.20\nCOPY --chmod=$MODE a /a\n"), "UndefinedVar") == 0);
  CHECK(count(findings("FROM alpine:3.20\nCOPY --from=$IMG /a /a\n"), "UndefinedVar") == 0);
  CHECK(count(findings("FROM alpine:3.20\nEXPOSE $PORT\n"), "UndefinedVar") == 0);
  // --chown and ADD --checksum go through Expand: reported (the evaluation did not expand
  // --checksum before).
  CHECK(count(findings("FROM alpine:3.20\nCOPY --chown=$WHO a /a\n"), "UndefinedVar") == 1);
  CHECK(count(findings("FROM alpine:3.20\nADD --checksum=$SUM https://example.com/a /a\n"), "UndefinedVar") == 1);
  // RUN --mount values, env= included (the evaluation did not expand env= before).
  CHECK(count(findings("FROM alpine:3.20\nRUN --mount=type=secret,id=tok,env=$VAR true\n"), "UndefinedVar") == 1);
}

TEST_CASE("dispatch rules: ARG reports its secret name before the undefined names of its default") {
  auto fs = findings("FROM alpine:3.20\nARG API_TOKEN=$NOPE\n");
  REQUIRE(fs.size() >= 2);
  CHECK(fs[0].id == "SecretsUsedInArgOrEnv");
  CHECK(fs[1].id == "UndefinedVar");
}

TEST_CASE("ARG: a --build-arg replaces the default; the default's expansion error still fails the build, its variables give no UndefinedVar") {
  // The oracle's BuildKit 0.13.2 still expands an overridden default and fails the build on
  // `${NOPE:?mustbeset}` even with --build-arg V=given; BuildKit >= 0.14 (frontend 1.8, moby/buildkit
  // PR 4856, dispatchArg) does not expand it, and its lint rules (0.14 on) see no reference in it.
  const char* df = "FROM alpine:3.20\nARG V=${NOPE:?mustbeset}\nARG W=$UNDEFINED\nRUN echo \"$V $W\"\n";
  BuildOptions given;
  given.build_args = {{"V", "given"}, {"W", "w"}};
  auto a = analysis(df, given);
  CHECK(has_code(a->eval.diagnostics, "eval/expand"));
  const auto& run = a->eval.stages[0].steps[2];
  REQUIRE(stages::find_var(run.args, "V") != nullptr);
  CHECK(*stages::find_var(run.args, "V") == "given");
  CHECK(count(findings(df, given), "UndefinedVar") == 0);

  // Without the build args the defaults are expanded: the error and the warnings ($NOPE, $UNDEFINED)
  // are back.
  auto b = analysis(df);
  CHECK(has_code(b->eval.diagnostics, "eval/expand"));
  CHECK(count(findings(df), "UndefinedVar") == 2);
}
