// Internal state shared by buildkit_checks.cpp and practices.cpp (not a public header).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "catalog/catalog.h"
#include "pipeline_limits.h"
#include "checks/engine.h"
#include "context/build_context.h"
#include "context/dockerignore.h"
#include "context/remote_source.h"
#include "shell/expand.h"
#include "analysis.h"
#include "sim/build.h"
#include "stages/graph.h"

namespace dfplay::checks::detail {

struct Engine {
  const CheckInput& in;
  const syntax::Dockerfile& df;
  const ins::Program& program;
  const catalog::Catalog& cat;
  CheckConfig config;
  const BuildOptions& options;  // the request's
  const stages::Graph& graph;  // the analysis's, for the requested target (built = reachable)
  const stages::Evaluation& eval;  // the analysis's: every stage's steps, words expanded once
  std::vector<Finding> out;
  std::string build_error;
  bool stop_dispatch = false;  // a conversion error stopped BuildKit before dispatch
  // .dockerignore the build read (nullptr when no build or no ignore file).
  const context::IgnoreFile* ignore = nullptr;
  // The context as the build sends it (nullptr when no build).
  const context::FilteredContext* sent = nullptr;

  explicit Engine(const CheckInput& input)
      : in(input), df(input.analysis.dockerfile), program(input.analysis.program), cat(*input.analysis.catalog),
        options(input.analysis.options), graph(input.analysis.graph), eval(input.analysis.eval) {}
  const context::BuildContext* context() const { return in.analysis.context; }
  bool target_given() const { return !options.target.empty(); }

  // Per top-level instruction (df.nodes order): the file's configuration merged with a
  // `# check=` comment directly above it, when it has one (comment_check_config).
  std::vector<std::optional<CheckConfig>> node_configs;
  void prepare_node_configs();
  // The configuration that applies at `line`: that of the instruction holding it.
  const CheckConfig& config_at(uint32_t line) const;

  // BuildKit rule: emitted when the configuration runs it.
  void emit(RuleId id, Range range, std::string message, std::string_view stage = {});
  // Best practice: emitted unless skipped by name in the configuration.
  Finding* practice(std::string_view id, Severity sev, Range range, std::string message,
                    std::string_view stage, std::string why, std::string fix, std::string url);

  std::string stage_label(size_t i) const;
  // Image facts: options override, else the catalog (exact matches), else unknown (null). Worked
  // out once per reference (the rules ask for each stage's base; a big file has a few bases).
  const ImageFacts* image_facts(std::string_view ref) const;
  mutable std::unordered_map<std::string, std::optional<ImageFacts>> facts_by_ref;
  const catalog::Image* catalog_image(std::string_view ref) const;
};

// Helpers shared by both files.
bool contains_word(std::string_view text, std::string_view word);

}  // namespace dfplay::checks::detail
