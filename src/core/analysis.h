// The analysis of one request, made once and shared by everything after it: the Dockerfile
// parsed (syntax/), its typed instructions (instructions/), the stage graph for the target and
// every stage evaluated (ARG/ENV scoping, expansion: stages/). The simulation (sim/build.h) and
// the checks (checks/engine.h) read it; neither parses or evaluates again.
//
//   auto a = dfplay::analyze(request);     // shared, immutable
//   a->graph.target, a->eval.stages[i].steps[j].env, a->diagnostics ...
#pragma once
#include <cstddef>
#include <memory>
#include <string>

#include "instructions/instructions.h"
#include "request.h"
#include "stages/eval.h"
#include "stages/graph.h"
#include "syntax/ast.h"

namespace dfplay {

struct Analysis {
  Analysis() = default;
  Analysis(const Analysis&) = delete;  // the parts point into each other and into `text`
  Analysis& operator=(const Analysis&) = delete;

  // The request (the context and catalog are the caller's: they outlive the analysis).
  std::string file_name;  // the Dockerfile's path in the context
  std::string text;
  BuildOptions options;
  const context::BuildContext* context = nullptr;  // nullptr: an empty context
  const catalog::Catalog* catalog = nullptr;       // never null (the built-in one by default)
  stages::Platform platform, build_platform;       // the options' platforms, parsed

  syntax::Dockerfile dockerfile;
  ins::Program program;
  stages::Graph graph;
  stages::Evaluation eval;
  size_t instruction_count = 0;  // top-level instructions (ONBUILD counts once)
  size_t stage_count = 0;        // FROM instructions
  Diagnostics diagnostics;       // parse, instructions, graph, evaluation (in that order)
};

std::shared_ptr<const Analysis> analyze(const Request& request);

// analyze() in steps (pipeline_job.h): begin_analysis() copies the request, then
// analysis_step(a, 0 .. kAnalysisSteps - 1) parses, builds the instructions, the stage graph and
// the evaluation, in that order. analyze() is exactly these calls.
inline constexpr int kAnalysisSteps = 4;
std::shared_ptr<Analysis> begin_analysis(const Request& request);
void analysis_step(Analysis& a, int step);
// Step 0 with the Dockerfile parsed elsewhere (syntax::StepParser, by PipelineJob): what
// analysis_step(a, 0) does with syntax::parse(a.text)'s result.
void analysis_parsed(Analysis& a, syntax::Dockerfile df);
// Step 1 given its Program (an ins::ProgramBuilder's, run in pieces): what analysis_step(a, 1) does
// with ins::build_program(a.dockerfile)'s result.
void analysis_program(Analysis& a, ins::Program program);
// Step 3 given its Evaluation (a stages::EvaluationJob's, run in pieces).
void analysis_evaluated(Analysis& a, stages::Evaluation ev);

}  // namespace dfplay
