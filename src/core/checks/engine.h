// The checks engine: BuildKit's build checks (docs/checks.md, sections 1-4) and dfplay's
// stage-aware best practices (docs/checks.md, section 7) over a parsed Dockerfile.
//
//   auto a = dfplay::analyze(request);          // analysis.h (or dfplay::run, pipeline.h)
//   auto b = sim::simulate_build(a);
//   auto result = checks::run_checks({*a, b.get()});  // result.findings sorted by position
//
// The engine reads the analysis's stage graph (built for the requested target) and options, the
// build's .dockerignore, and walks every dispatched stage once (ARG/ENV/SHELL/WORKDIR state per
// stage chain), so it is linear in the number of instructions. No I/O.
#pragma once
#include <functional>
#include <memory>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "checks/directive.h"
#include "checks/rules.h"
#include "syntax/ast.h"
#include "syntax/diagnostic.h"
#include "syntax/source.h"

namespace dfplay {
struct Analysis;
}
namespace dfplay::sim {
struct BuildResult;
}

namespace dfplay::checks {

// A text edit the UI can apply: replace the bytes of `range` with `text` (an empty range
// inserts).
struct Replacement {
  Range range;
  std::string text;
};

struct Finding {
  std::string id;  // BuildKit rule name ("StageNameCasing") or best-practice id ("RootUser")
  Severity severity = Severity::Warning;
  std::string message;
  Range range;        // where the finding points (BuildKit: the instruction)
  std::string stage;  // stage label ("build", "stage-1"); "" for file-level findings
  std::string why;    // why it matters (one or two sentences)
  std::string fix;    // what to do
  std::optional<Replacement> replacement;
  std::string url;    // documentation page
  bool buildkit = false;  // a BuildKit build check (vs a dfplay best practice)

  uint32_t line() const { return range.begin.line; }
};

// What an image provides, for base-image checks. Unknown fields stay empty.
struct ImageFacts {
  std::vector<std::string> platforms;  // empty: every platform
  std::vector<std::string> env;        // "KEY=value"; nullopt-like empty: default PATH
  bool has_env = false;                // env given (else the default PATH only)
  std::string user;
  bool has_shell_config = false;       // the image config sets SHELL
};

struct CheckInput {
  const Analysis& analysis;  // the Dockerfile, graph, evaluation and the request's options
  // The simulated build of that analysis: the .dockerignore it read (CopyIgnoredFile). nullptr:
  // no build (rules that need one are skipped).
  const sim::BuildResult* build = nullptr;
  // Image facts by reference as written in FROM after expansion; overrides the catalog (tests
  // of BuildKit's corpus describe their images this way).
  std::function<std::optional<ImageFacts>(std::string_view ref)> image_facts;
};

struct CheckResult {
  std::vector<Finding> findings;  // sorted by position (line, column), then emission order
  ResolvedCheckConfig config;
  // The build error `docker build --call=check` reports next to the warnings: a malformed check
  // configuration, `lint violation found for rules: ...` (error=true), or a conversion error we
  // detect (blank base name, bad --platform). "" when none.
  std::string build_error;
  // Exit status of `docker build --call=check`: 1 when a BuildKit warning or a build error is
  // reported, else 0. Best practices do not change it.
  int exit_status = 0;

  size_t buildkit_count() const;
};

CheckResult run_checks(const CheckInput& input);

// run_checks() in parts, for a caller that must not block for long (pipeline_job.h): the
// configuration, BuildKit's checks, then the best practices and the sorted result. step() does
// one part and says whether the result is complete; take() finishes and returns it, the same as
// run_checks(input)'s. The analysis and the build the input points to must outlive the job.
class CheckJob {
 public:
  explicit CheckJob(CheckInput input);
  ~CheckJob();
  CheckJob(const CheckJob&) = delete;
  CheckJob& operator=(const CheckJob&) = delete;
  bool step();
  bool done() const;
  CheckResult take();  // once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Best-practice ids, in the order of docs/checks.md section 7.
std::span<const std::string_view> best_practice_ids();

// "Dockerfile:3:1: warning: message (RuleName)"
std::string format_finding(const Finding& f, std::string_view file);

// The JSON form (docs/checks.md, section 8).
nlohmann::json to_json(const Finding& f);
nlohmann::json to_json(const CheckResult& r, std::string_view file);

namespace detail {
// Internal: implemented in buildkit_checks.cpp and practices.cpp.
struct Engine;
void run_buildkit_checks(Engine& e);
void run_best_practices(Engine& e);
}  // namespace detail

}  // namespace dfplay::checks
