#include "report/progress.h"

#include <doctest/doctest.h>

#include "cache/session.h"
#include "context/build_context.h"
#include "pipeline.h"
#include "sim/build.h"

namespace {

using namespace dfplay;

std::unique_ptr<sim::BuildResult> build(const char* df) {
  context::ContextBuilder cb;
  cb.add_file("app.py", "print('hi')\n");
  static context::BuildContext ctx;
  ctx = cb.build();
  Request in;
  in.dockerfile = df;
  in.context = &ctx;
  return simulate(in);
}

}  // namespace

TEST_SUITE("report/progress") {
  TEST_CASE("unnamed stages, the normalised FROM, a merged step printed once (as the engine printed it)") {
    // tests/scenarios/405-unnamed-stages-python-merged: BuildKit v0.13.2 printed
    //   [stage-0 1/4] FROM docker.io/library/python:3.12-slim
    //   [stage-0 2/4] WORKDIR /app
    //   [stage-0 3/4] COPY app.py .
    //   [stage-0 4/4] RUN mkdir -p out && cp app.py out/
    //   [stage-1 4/4] COPY --from=0 /app/out ./out
    auto b = build(
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nRUN mkdir -p out && cp app.py out/\n"
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCOPY --from=0 /app/out ./out\n");
    REQUIRE(b->ok);
    cache::Session s;
    auto lines = report::progress_lines(*b, s.build(*b));
    std::vector<std::string> names;
    for (const auto& l : lines) names.push_back(l.name);
    CHECK(names == std::vector<std::string>{"[stage-0 1/4] FROM docker.io/library/python:3.12-slim",
                                            "[stage-0 2/4] WORKDIR /app", "[stage-0 3/4] COPY app.py .",
                                            "[stage-0 4/4] RUN mkdir -p out && cp app.py out/",
                                            "[stage-1 4/4] COPY --from=0 /app/out ./out"});
    REQUIRE(lines.size() == 5);
    CHECK(lines[1].merged.size() == 1);  // stage-1's WORKDIR is the same vertex
  }

  TEST_CASE("named and single stages, padding, continuation lines") {
    // Continuations as the engine printed them: `RUN echo a     && echo b`, `RUN echo "x"   y`.
    auto one = build("FROM alpine\nRUN echo a \\\n    && echo b\nRUN echo \"x\" \\\n# comment\n  y\n");
    CHECK(report::progress_name(*one, one->steps[0]) == "[1/3] FROM docker.io/library/alpine:latest");
    CHECK(report::progress_name(*one, one->steps[1]) == "[2/3] RUN echo a     && echo b");
    CHECK(report::progress_name(*one, one->steps[2]) == "[3/3] RUN echo \"x\"   y");
    std::string many = "FROM alpine:3.20 AS base\n";
    for (int i = 0; i < 10; ++i) many += "RUN echo " + std::to_string(i) + "\n";
    many += "FROM base\nRUN echo z\n";
    auto b = build(many.c_str());
    CHECK(report::progress_name(*b, b->steps[1]) == "[base  2/11] RUN echo 0");
    CHECK(report::progress_name(*b, b->steps[10]) == "[base 11/11] RUN echo 9");
  }
}
