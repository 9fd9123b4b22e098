// The configuration of BuildKit's build checks: the `# check=` parser directive and the
// BUILDKIT_DOCKERFILE_CHECK build arg, `skip=<names|all>;error=<bool>;experimental=<names|all>`.
// Parsing follows BuildKit's linter.ParseLintOptions exactly, including its quirks (at most three
// `;`-separated options, the directive cut at its first space); see docs/checks.md, section 2.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checks/rules.h"
#include "syntax/diagnostic.h"
#include "syntax/source.h"

namespace dfplay::checks {

struct CheckConfig {
  bool skip_all = false;
  std::vector<std::string> skip;          // names as given (trimmed; may hold unknown or "")
  bool experimental_all = false;
  std::vector<std::string> experimental;  // names as given (trimmed)
  bool error = false;                     // error=true: warnings fail the build

  // BuildKit's Linter.Run gate: an experimental rule runs only when enabled by `experimental`
  // (whatever `skip` says); any other rule runs unless skipped.
  bool runs(RuleId id) const;
  bool runs(const Rule& r) const { return runs(r.id); }
};

struct CheckOptionsResult {
  CheckConfig config;
  std::string error;  // "" on success, else BuildKit's reason, e.g. `invalid check option "x"`
  bool ok() const { return error.empty(); }
};

// linter.ParseLintOptions: the value of the build arg, or the effective directive value.
CheckOptionsResult parse_check_options(std::string_view text);

// The part of a `# check=` directive's value that BuildKit parses: everything before the first
// space (BuildKit reads the directive with the helper it uses for `# syntax=`).
std::string_view effective_directive_value(std::string_view directive_value);

// A `# check=` comment directly above an instruction (among its PrevComment lines, the
// comments since the previous instruction): BuildKit's WithMergedConfigFromComments
// (moby/buildkit#6334, Dockerfile frontend releases from late 2025). The first comment shaped
// like a `check` directive counts, cut at its first space like the directive; nullopt when
// there is none or its value does not parse (the instruction then keeps the file's configuration).
std::optional<CheckConfig> comment_check_config(const std::vector<std::string>& comments);

// `base` with `extra`'s skip and experimental settings added (union; `error` stays base's).
CheckConfig merge_check_config(const CheckConfig& base, const CheckConfig& extra);

enum class CheckConfigSource { Default, Directive, BuildArg };

struct ResolvedCheckConfig {
  CheckConfig config;  // the default configuration when `diagnostic` is set
  CheckConfigSource source = CheckConfigSource::Default;
  // Set when the chosen value is malformed; BuildKit fails the build with this message:
  //   failed to parse check options: <reason>                          (directive)
  //   failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: <reason>    (build arg)
  std::optional<Diagnostic> diagnostic;
};

// Chooses and parses the configuration like BuildKit: the build arg, when present (even
// empty), replaces the directive, which is then not parsed at all; else the directive's
// effective value; else the default. `directive_range` locates the directive's diagnostic; the
// build arg's diagnostic has an empty range.
ResolvedCheckConfig resolve_check_config(std::optional<std::string_view> directive_value,
                                         Range directive_range,
                                         std::optional<std::string_view> build_arg_value);

// `docker build --call=check` exits 1 when it reported anything (a warning or a build error),
// else 0.
inline int check_call_exit_status(size_t warnings, bool build_error) {
  return (warnings > 0 || build_error) ? 1 : 0;
}

}  // namespace dfplay::checks
