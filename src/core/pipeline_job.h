// The pipeline (pipeline.h) in slices, for a front end that must not block while it analyses (the
// app draws a frame between two slices): a job made from a Request advances with step(budget)
// through the analysis (the parse, kParseLines lines at a time; instructions, stage graph,
// evaluation), the simulation (the context, then one built stage at a time, then the image
// summary), the cache preview and the checks (in three parts: checks::CheckJob). Its result is the same as dfplay::run's (and the cache preview the same as
// Session::preview's) for the same request and options, however it was sliced.
//
//   PipelineJob job(request, {.nonce = 1, .run_cache = &runs}, &session);
//   while (!job.step(8.0)) { ... draw a frame ... }   // about 8 ms of work per call
//   JobResult r = job.take();                           // r.pipeline, r.cache
//
// The job copies the Dockerfile's text at construction; the context, the catalog, the run cache
// and the session must outlive it (or the job is dropped first: a job can be abandoned at any
// point, e.g. when the input changed meanwhile, and destroying it is all it takes).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis.h"
#include "cache/session.h"
#include "checks/engine.h"
#include "pipeline_result.h"
#include "request.h"
#include "sim/build.h"
#include "syntax/parser.h"

namespace dfplay {

struct JobResult {
  PipelineResult pipeline;            // as dfplay::run's
  std::optional<cache::Report> cache;  // the build previewed against the session (when one was given)
};

// One unit of work done: what it was and how long it took (for benchmarks: bench/results.md).
struct JobUnit {
  const char* what;  // "parse", "instructions", "graph", "evaluation", "context", "stage", "image", "cache", "checks"
  double ms;
};

class PipelineJob {
 public:
  explicit PipelineJob(const Request& request, const RunOptions& options = {}, const cache::Session* preview = nullptr);
  ~PipelineJob();
  PipelineJob(const PipelineJob&) = delete;
  PipelineJob& operator=(const PipelineJob&) = delete;

  // Does one unit of work, then more while less than `budget_ms` has passed since the call;
  // returns done(). A unit is never split: the longest (a stage with many steps, a part of the
  // checks of a big file) sets how long a call can take (bench/results.md measures them).
  bool step(double budget_ms);
  bool done() const { return phase_ == Phase::Done; }
  // The result (runs what is left first). Once.
  JobResult take();

  const std::vector<JobUnit>& units() const { return units_; }  // the units done so far, in order

  // The parse's unit: this many lines (whole instructions; syntax::StepParser).
  static constexpr uint32_t kParseLines = 1000;
  // The instructions' unit: this many nodes (ins::ProgramBuilder).
  static constexpr size_t kInstructionNodes = 1000;
  // The evaluation's unit: this many stages (stages::EvaluationJob).
  static constexpr size_t kEvaluationStages = 16;

 private:
  enum class Phase { Analysis, Simulation, Cache, Checks, Done };
  void unit();  // one unit of work

  std::shared_ptr<Analysis> analysis_;  // being built (phase Analysis)
  int analysis_step_ = 0;
  std::unique_ptr<syntax::StepParser> parser_;  // analysis step 0, under way
  std::unique_ptr<ins::ProgramBuilder> program_;  // analysis step 1, under way
  std::unique_ptr<stages::EvaluationJob> eval_;  // analysis step 3, under way
  std::unique_ptr<checks::CheckJob> checks_;     // phase Checks, under way
  RunOptions options_;
  const cache::Session* preview_ = nullptr;
  std::optional<sim::Simulation> sim_;
  bool sim_started_ = false;
  JobResult result_;
  Phase phase_ = Phase::Analysis;
  std::vector<JobUnit> units_;
};

}  // namespace dfplay
