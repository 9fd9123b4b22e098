// PipelineJob: the pipeline in slices gives dfplay::run's result (and Session::preview's cache
// report), whatever the slicing, and a job can be abandoned at any point.
#include "pipeline_job.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "context/build_context.h"
#include "examples/examples.h"
#include "report/build_json.h"
#include "report/json.h"
#include "../../tests/unit/shared_dir.h"
#include "workspace.h"

namespace {

using namespace dfplay;

// An input: the text, its context and options (a built-in example or a file of ../shared).
struct Input {
  std::string name, text, path = "Dockerfile";
  context::BuildContext context;
  BuildOptions options;
  Request request() const {
    Request r;
    r.dockerfile = text;
    r.dockerfile_path = path;
    r.context = &context;
    r.options = options;
    return r;
  }
};

std::vector<Input> inputs() {
  std::vector<Input> out;
  for (const auto& ex : examples::builtin()) {
    Input in;
    in.name = ex.id;
    in.text = ex.dockerfile;
    in.path = ex.dockerfile_path;
    context::ContextBuilder b;
    for (const auto& f : ex.files) b.add_file(f.path, f.content, f.mode);
    in.context = b.build();
    in.options.target = ex.target;
    in.options.build_args = ex.build_args;
    out.push_back(std::move(in));
  }
  const auto big = dfplay::testing::shared_dir() / "bench" / "big.Dockerfile";
  if (std::ifstream f(big, std::ios::binary); f) {
    std::stringstream ss;
    ss << f.rdbuf();
    Input in;
    in.name = "big.Dockerfile";
    in.text = ss.str();
    out.push_back(std::move(in));
  }
  Input bad;  // diagnostics, no stage
  bad.name = "no FROM";
  bad.text = "RUN echo hi\nCOPY --chmod=bad . .\n";
  out.push_back(std::move(bad));
  return out;
}

std::string json_of(const PipelineResult& r, std::string_view file) {
  nlohmann::json j = {{"analysis", report::analysis_json(*r.analysis)},
                      {"build", report::build_json(*r.build)},
                      {"checks", checks::to_json(r.checks, file)}};
  return j.dump();
}

// The pipeline composed by hand from the modules' one-shot entries (analyze, simulate_build,
// run_checks): what a job must give, however it is sliced. dfplay::run is itself a job stepped
// to the end, so comparing with run() alone would compare the job with itself.
PipelineResult one_shot(const Request& request, uint64_t nonce) {
  PipelineResult p;
  p.analysis = analyze(request);
  p.build = sim::simulate_build(p.analysis, nonce);
  p.checks = checks::run_checks({*p.analysis, p.build.get(), {}});
  return p;
}

}  // namespace

TEST_SUITE("pipeline_job") {
  TEST_CASE("the instructions and the evaluation in pieces of any size: analyze()'s analysis") {
    for (const auto& in : inputs()) {
      const std::string want = report::analysis_json(*analyze(in.request())).dump();
      for (size_t cut : {size_t{1}, size_t{3}, size_t{1000}}) {
        auto a = begin_analysis(in.request());
        analysis_step(*a, 0);
        ins::ProgramBuilder program(a->dockerfile);
        while (!program.step(cut)) {
        }
        analysis_program(*a, program.take());
        analysis_step(*a, 2);
        stages::EvaluationJob eval(a->program, a->graph, a->options, *a->catalog, a->dockerfile.escape);
        int steps = 1;
        while (!eval.step(cut)) ++steps;
        CHECK(steps == static_cast<int>(std::max<size_t>(1, (a->program.stages.size() + cut - 1) / cut)));
        analysis_evaluated(*a, eval.take());
        CHECK_MESSAGE(report::analysis_json(*a).dump() == want, in.name, " cut ", cut);
      }
    }
  }

  TEST_CASE("a job's result is the pipeline composed by hand (and dfplay::run's), one unit per step, for the examples and big.Dockerfile") {
    for (const auto& in : inputs()) {
      CAPTURE(in.name);
      const std::string expected = json_of(one_shot(in.request(), 3), in.path);
      CHECK(json_of(run(in.request(), {.nonce = 3}), in.path) == expected);
      PipelineJob job(in.request(), {.nonce = 3});
      size_t calls = 0;
      while (!job.step(0)) ++calls;  // budget 0: exactly one unit per call
      ++calls;
      CHECK(job.done());
      CHECK(job.units().size() == calls);
      CHECK(job.step(0));  // done: nothing more to do
      CHECK(job.units().size() == calls);
      JobResult r = job.take();
      CHECK_FALSE(r.cache.has_value());  // no session given
      CHECK(json_of(r.pipeline, in.path) == expected);
    }
  }

  TEST_CASE("the units of a job, in order") {
    auto all = inputs();
    Input& in = all.front();
    PipelineJob job(in.request());
    while (!job.step(0)) {
    }
    std::vector<std::string> names;
    for (const auto& u : job.units()) {
      names.emplace_back(u.what);
      CHECK(u.ms >= 0);
    }
    const size_t built = run(in.request()).build->stages.size();
    REQUIRE(names.size() >= 8);
    CHECK(names[0] == "parse");
    CHECK(names[1] == "instructions");
    CHECK(names[2] == "graph");
    CHECK(names[3] == "evaluation");
    CHECK(names[4] == "context");
    // The checks in parts (checks::CheckJob: configuration, BuildKit's, best practices), last.
    size_t checks = 0;
    while (checks < names.size() && names[names.size() - 1 - checks] == "checks") ++checks;
    CHECK(checks == 3);
    CHECK(names[names.size() - 1 - checks] == "image");
    const size_t stages = static_cast<size_t>(std::count(names.begin(), names.end(), std::string("stage")));
    CHECK(stages >= 1);
    CHECK(stages <= built);
  }

  TEST_CASE("stopped after every unit and finished with take(), or abandoned there: the same result") {
    for (const auto& in : inputs()) {
      if (in.name == "big.Dockerfile") continue;  // the examples cover every kind of stop point
      CAPTURE(in.name);
      sim::RunCache runs;
      const std::string expected = json_of(one_shot(in.request(), 1), in.path);
      PipelineJob whole(in.request(), {.nonce = 1});
      while (!whole.step(0)) {
      }
      const size_t n = whole.units().size();
      for (size_t k = 0; k <= n; ++k) {
        CAPTURE(k);
        {
          PipelineJob abandoned(in.request(), {.nonce = 1, .run_cache = &runs});
          for (size_t i = 0; i < k; ++i) abandoned.step(0);
        }  // dropped midway: nothing of it is left but the RUN effects it stored in `runs`
        PipelineJob job(in.request(), {.nonce = 1, .run_cache = &runs});
        for (size_t i = 0; i < k; ++i) job.step(0);
        CHECK(json_of(job.take().pipeline, in.path) == expected);
      }
    }
  }

  TEST_CASE("with a session, the cache preview is Session::preview's") {
    auto all = inputs();
    Input& in = all.front();
    cache::Session session;
    auto first = run(in.request(), {.nonce = 1});
    session.record(*first.build);
    in.text += "RUN echo changed\n";
    auto second = run(in.request(), {.nonce = 2});
    const auto expected = report::rebuild_json(*second.build, session.preview(*second.build)).dump();
    PipelineJob job(in.request(), {.nonce = 2}, &session);
    while (!job.step(0)) {
    }
    bool saw_cache = false;
    for (const auto& u : job.units()) saw_cache |= std::string(u.what) == "cache";
    CHECK(saw_cache);
    JobResult r = job.take();
    REQUIRE(r.cache.has_value());
    CHECK(report::rebuild_json(*r.pipeline.build, *r.cache).dump() == expected);
  }

  TEST_CASE("checks off: no checks unit, as run(request, {.checks = false})") {
    auto all = inputs();
    Input& in = all.front();
    PipelineJob job(in.request(), {.checks = false});
    while (!job.step(0)) {
    }
    CHECK(std::string(job.units().back().what) == "image");
    CHECK(job.take().pipeline.checks.findings.empty());
  }

  TEST_CASE("a large budget finishes in one call") {
    auto all = inputs();
    Input& in = all.front();
    PipelineJob job(in.request());
    CHECK(job.step(1e9));
  }
}

TEST_SUITE("workspace") {
  TEST_CASE("in slices: last() shows the previous result while pending, step() ends on result()'s") {
    const auto all = inputs();
    const Input& a = all[0];
    const Input& b = all[1];
    Workspace ws;
    ws.set_dockerfile(a.text);
    CHECK(ws.pending());
    const uint64_t rev = ws.last().revision;  // no result yet: computed now
    CHECK_FALSE(ws.pending());
    const std::string shown = report::build_json(*ws.last().build).dump();

    ws.set_dockerfile(b.text);
    CHECK(ws.pending());
    CHECK(ws.job() == nullptr);  // nothing starts before step()
    CHECK(ws.last().revision == rev);  // the old result, whole
    CHECK(report::build_json(*ws.last().build).dump() == shown);
    CHECK_FALSE(ws.step(0));  // one unit
    REQUIRE(ws.job() != nullptr);
    CHECK(ws.last().revision == rev);
    // An edit midway: the job is dropped, the next step starts on the latest text.
    ws.set_dockerfile(b.text + "RUN echo later\n");
    CHECK(ws.job() == nullptr);
    size_t steps = 1;
    while (!ws.step(0)) ++steps;
    CHECK(steps > 5);
    CHECK_FALSE(ws.pending());
    CHECK(ws.last().revision == rev + 1);  // the abandoned job never became a result
    CHECK(ws.last().analysis->text == b.text + "RUN echo later\n");

    Workspace fresh;
    fresh.set_dockerfile(b.text + "RUN echo later\n");
    auto sliced = workspace_json(ws, ws.last()), whole = workspace_json(fresh, fresh.result());
    sliced.erase("revision");  // 2 against 1: the workspaces' own counts
    whole.erase("revision");
    CHECK(sliced.dump() == whole.dump());
  }

  TEST_CASE("result() finishes a job under way; build() records the current input") {
    const auto all = inputs();
    const Input& a = all[0];
    Workspace ws;
    ws.set_dockerfile(a.text);
    ws.step(0);
    ws.step(0);
    const auto& r = ws.result();
    CHECK_FALSE(ws.pending());
    CHECK(r.analysis->text == a.text);
    ws.set_dockerfile(a.text + "RUN echo x\n");
    ws.step(0);
    ws.build();
    CHECK(ws.builds() == 1);
    CHECK(ws.pending());  // a build invalidates (the next preview compares against it)
    while (!ws.step(0)) {
    }
    CHECK(ws.last().cache.run == 0);  // everything cached against the build just recorded
  }

  TEST_CASE("a result keeps the context and catalog it was made with while newer ones replace them") {
    Workspace ws;
    ws.set_dockerfile("FROM scratch\nCOPY a /a\n");
    ws.set_files({{"a", "one"}});
    const WorkspaceResult& r = ws.last();
    const context::BuildContext* before = r.context.get();
    REQUIRE(before != nullptr);
    ws.set_files({{"a", "two"}, {"b", "x"}});
    ws.add_images_json(R"({"images": []})");
    ws.step(0);  // the new context is made; the shown result still points into the old one
    CHECK(ws.last().context.get() == before);
    CHECK(ws.last().analysis->context == before);
    while (!ws.step(0)) {
    }
    CHECK(ws.last().context.get() != before);
  }

  TEST_CASE("big.Dockerfile: the parse in units of kParseLines lines, the checks in three") {
    auto all = inputs();
    auto it = std::find_if(all.begin(), all.end(), [](const Input& i) { return i.name == "big.Dockerfile"; });
    if (it == all.end()) {
      MESSAGE("[dfplay-skipped] big.Dockerfile is absent");
      return;
    }
    PipelineJob job(it->request());
    while (!job.step(0)) {
    }
    const size_t lines = static_cast<size_t>(std::count(it->text.begin(), it->text.end(), '\n')) + 1;
    size_t parse = 0, checks = 0;
    for (const auto& u : job.units()) {
      parse += std::string_view(u.what) == "parse";
      checks += std::string_view(u.what) == "checks";
    }
    CHECK(parse >= lines / PipelineJob::kParseLines);
    CHECK(parse <= lines / PipelineJob::kParseLines + 2);
    CHECK(checks == 3);
    CHECK(std::string_view(job.units()[parse].what) == "instructions");
  }
}
