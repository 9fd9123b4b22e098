#include "analysis.h"

#include "catalog/catalog.h"
#include "syntax/parser.h"

namespace dfplay {

std::shared_ptr<Analysis> begin_analysis(const Request& request) {
  auto a = std::make_shared<Analysis>();
  a->file_name = request.dockerfile_path.empty() ? "Dockerfile" : request.dockerfile_path;
  a->text = std::string(request.dockerfile);
  a->options = request.options;
  a->context = request.context;
  a->catalog = request.catalog ? request.catalog : &catalog::Catalog::builtin();
  a->platform = stages::target_platform(a->options);
  a->build_platform = stages::build_platform(a->options);
  return a;
}

void analysis_parsed(Analysis& a, syntax::Dockerfile df) {
  a.dockerfile = std::move(df);
  for (const auto& n : a.dockerfile.nodes) {
    ++a.instruction_count;
    if (n.keyword == syntax::Keyword::From) ++a.stage_count;
  }
  for (const auto& d : a.dockerfile.diagnostics) a.diagnostics.add(d);
}

void analysis_program(Analysis& a, ins::Program program) {
  a.program = std::move(program);
  for (const auto& d : a.program.diagnostics) a.diagnostics.add(d);
}

void analysis_evaluated(Analysis& a, stages::Evaluation ev) {
  a.eval = std::move(ev);
  for (const auto& d : a.eval.diagnostics) a.diagnostics.add(d);
}

void analysis_step(Analysis& a, int step) {
  switch (step) {
    case 0:
      analysis_parsed(a, syntax::parse(a.text));
      break;
    case 1:
      analysis_program(a, ins::build_program(a.dockerfile));
      break;
    case 2:
      a.graph = stages::build_graph(a.program, a.options, a.dockerfile.escape);
      for (const auto& d : a.graph.diagnostics) a.diagnostics.add(d);
      break;
    case 3:
      analysis_evaluated(a, stages::evaluate(a.program, a.graph, a.options, *a.catalog, a.dockerfile.escape));
      break;
    default:
      break;
  }
}

std::shared_ptr<const Analysis> analyze(const Request& request) {
  auto a = begin_analysis(request);
  for (int i = 0; i < kAnalysisSteps; ++i) analysis_step(*a, i);
  return a;
}

}  // namespace dfplay
