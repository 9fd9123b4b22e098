#include "pipeline_job.h"

#include <chrono>

namespace dfplay {

namespace {
using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }
constexpr const char* kAnalysisUnits[kAnalysisSteps] = {"parse", "instructions", "graph", "evaluation"};
}  // namespace

PipelineJob::PipelineJob(const Request& request, const RunOptions& options, const cache::Session* preview)
    : analysis_(begin_analysis(request)), options_(options), preview_(preview) {}

PipelineJob::~PipelineJob() = default;

void PipelineJob::unit() {
  const auto t0 = Clock::now();
  const char* what = "";
  switch (phase_) {
    case Phase::Analysis:
      what = kAnalysisUnits[analysis_step_];
      if (analysis_step_ == 0) {  // the parse, in pieces (the same Dockerfile as syntax::parse's)
        if (!parser_) parser_ = std::make_unique<syntax::StepParser>(analysis_->text);
        if (!parser_->step(kParseLines)) break;
        analysis_parsed(*analysis_, parser_->take());
        parser_.reset();
      } else if (analysis_step_ == 1) {  // the instructions, in pieces (the same Program as build_program's)
        if (!program_) program_ = std::make_unique<ins::ProgramBuilder>(analysis_->dockerfile);
        if (!program_->step(kInstructionNodes)) break;
        analysis_program(*analysis_, program_->take());
        program_.reset();
      } else if (analysis_step_ == 3) {  // the evaluation, a few stages at a time (the same as evaluate's)
        Analysis& a = *analysis_;
        if (!eval_) eval_ = std::make_unique<stages::EvaluationJob>(a.program, a.graph, a.options, *a.catalog, a.dockerfile.escape);
        if (!eval_->step(kEvaluationStages)) break;
        analysis_evaluated(a, eval_->take());
        eval_.reset();
      } else {
        analysis_step(*analysis_, analysis_step_);
      }
      if (++analysis_step_ == kAnalysisSteps) {
        result_.pipeline.analysis = analysis_;
        sim_.emplace(std::move(analysis_), options_.nonce, options_.run_cache);
        phase_ = Phase::Simulation;
      }
      break;
    case Phase::Simulation: {
      const bool first = !sim_started_;
      sim_started_ = true;
      const bool more = sim_->step();
      what = first ? "context" : more ? "stage" : "image";
      if (!more) {
        result_.pipeline.build = sim_->take();
        sim_.reset();
        phase_ = preview_ ? Phase::Cache : options_.checks ? Phase::Checks : Phase::Done;
      }
      break;
    }
    case Phase::Cache:
      what = "cache";
      result_.cache = preview_->preview(*result_.pipeline.build);
      phase_ = options_.checks ? Phase::Checks : Phase::Done;
      break;
    case Phase::Checks:  // in parts (the same result as checks::run_checks's)
      what = "checks";
      if (!checks_)
        checks_ = std::make_unique<checks::CheckJob>(checks::CheckInput{*result_.pipeline.analysis, result_.pipeline.build.get(), {}});
      if (!checks_->step()) break;
      result_.pipeline.checks = checks_->take();
      checks_.reset();
      phase_ = Phase::Done;
      break;
    case Phase::Done:
      return;
  }
  units_.push_back({what, ms_since(t0)});
}

bool PipelineJob::step(double budget_ms) {
  const auto t0 = Clock::now();
  do unit();
  while (!done() && ms_since(t0) < budget_ms);
  return done();
}

JobResult PipelineJob::take() {
  while (!done()) unit();
  return std::move(result_);
}

}  // namespace dfplay
