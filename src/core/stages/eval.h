// Per-stage evaluation, the way BuildKit's dockerfile2llb dispatches instructions: the state of
// each stage (ENV, ARGs, WORKDIR, USER, SHELL, image config) instruction after instruction, and
// every word expanded exactly where Docker expands it.
//
// Rules (dockerfile2llb/convert.go, frontend 1.7; facts checked with the oracle in
// docs/scenarios.md):
// - A stage starts from its base image's config (catalog: env, user, workdir, entrypoint, cmd,
//   ports, volumes, stop signal; PATH defaults to the Linux default when the image has none), or
//   from the final state of its parent stage for `FROM <stage>`.
// - `ARG NAME[=default]`: the value is --build-arg NAME (the default is then still expanded, as
//   the oracle's BuildKit 0.13.2 does: an expansion error in it fails the build; its references
//   are not recorded, so no UndefinedVar, as in BuildKit >= 0.14 / frontend 1.8, PR 4856, which
//   does not expand it at all), else the default (expanded), else the
//   value of the global ARG of the same name, else the predefined platform value; no value when
//   none of these exist. Every ARG of the stage with a value reaches the environment of later
//   RUNs (and their cache key), unless an ENV of the same name shadows it.
// - A stage `FROM <stage>` starts with that stage's ARGs (values and declared names), as BuildKit's
//   dispatchState.init copies the parent's LLB state (whose env holds the ARG values) and its
//   buildArgs (oracle: `ARG X=hello` in the parent, `WORKDIR /w$X` in the child makes /whello).
// - Expanded: ENV, ARG, LABEL, WORKDIR, USER, VOLUME, STOPSIGNAL, EXPOSE (split into words),
//   COPY/ADD sources, destination, --chown, --chmod, --from, RUN --mount values, heredoc bodies of
//   COPY/ADD when the delimiter is unquoted. NOT expanded: shell-form RUN/CMD/ENTRYPOINT (the
//   shell sees them), exec forms, HEALTHCHECK, SHELL.
// - WORKDIR is resolved against the previous working directory; USER is kept as written.
// - Each instruction records the variables it referenced and those that were undefined, with the
//   range of the word and whether the name was a declared ARG at that point; the checks' dispatch
//   rules (UndefinedVar, WorkdirRelativePath, SecretsUsedInArgOrEnv, CopyIgnoredFile, Expose*)
//   read these records, they expand nothing themselves.
// - Word order within an instruction is BuildKit's: COPY/ADD --chown, ADD --checksum, the sources,
//   the destination, then the flags BuildKit expands elsewhere (--chmod, --from, --exclude), then
//   the heredoc bodies (ExpandRaw).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "instructions/instructions.h"
#include "shell/expand.h"
#include "stages/graph.h"

namespace dfplay::stages {

struct VarRef {
  std::string name;
  Range range;  // the word the variable is written in
  bool defined = true;
  bool declared = false;  // an ARG of the stage (chain) declared before, with or without a value
};

struct HealthConfig {
  std::vector<std::string> test;
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  int retries = 0;
};

// The image config of a stage (OCI config fields).
struct StageConfig {
  std::string user;     // "" = root
  std::string workdir;  // "" = "/"
  Vars env;             // in image order
  std::vector<std::string> entrypoint, cmd, shell;
  std::vector<std::string> exposed_ports;  // "3000/tcp", sorted, unique
  std::map<std::string, std::string> labels;
  std::vector<std::string> volumes;  // sorted, unique
  std::string stop_signal;
  std::optional<HealthConfig> healthcheck;
  std::vector<std::string> onbuild;
};

struct ExpandedMount {
  ins::MountType type = ins::MountType::Bind;
  std::string from, source, target, id, env;
  ins::Sharing sharing = ins::Sharing::Shared;
  bool sharing_set = false;
  bool readonly = true;
  std::string spec;
};

// An immutable value shared by consecutive steps: most instructions leave ENV, the ARGs and
// SHELL as they were, so a stage holds one copy per change instead of one per instruction.
// Reads like a `const T&` (converts implicitly, iterates, compares).
template <class T>
class Shared {
 public:
  Shared() = default;
  Shared(T value) : p_(std::make_shared<const T>(std::move(value))) {}  // NOLINT: implicit by design
  const T& get() const { return p_ ? *p_ : empty_value(); }
  operator const T&() const { return get(); }  // NOLINT: implicit by design
  const T* operator->() const { return &get(); }
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }
  size_t size() const { return get().size(); }
  bool empty() const { return get().empty(); }
  decltype(auto) operator[](size_t i) const { return get()[i]; }
  friend bool operator==(const Shared& a, const Shared& b) { return a.get() == b.get(); }
  friend bool operator==(const Shared& a, const T& b) { return a.get() == b; }
  // Identity of the shared value (equal ids => same value; nullptr for the empty default).
  const void* id() const { return p_.get(); }

 private:
  static const T& empty_value() {
    static const T e{};
    return e;
  }
  std::shared_ptr<const T> p_;
};

// One instruction of a stage with the state in effect when it runs.
struct StepEval {
  const ins::Instruction* instruction = nullptr;
  ins::Keyword keyword = ins::Keyword::Unknown;
  // State before the instruction takes effect.
  Shared<Vars> env;   // ENV in effect
  Shared<Vars> args;  // ARGs of the stage with a value, not shadowed by ENV (in declaration order)
  Vars proxy_args;    // undeclared proxy --build-args passed to RUN (kept out of cache keys)
  std::string workdir = "/";
  std::string user;  // "" = root
  Shared<std::vector<std::string>> shell;
  std::vector<VarRef> refs;  // referenced variables (each word, each name once per word)
  // Expanded values (depending on the instruction).
  std::vector<std::string> words;  // COPY/ADD sources, EXPOSE ports, VOLUME paths
  std::vector<Range> word_ranges;  // range of the word each of `words` came from
  std::string dest;                // COPY/ADD destination (expanded, not yet resolved)
  std::string chown, chmod, from;  // COPY/ADD flags (expanded)
  std::string checksum;            // ADD --checksum (expanded)
  std::vector<std::string> keys;   // ENV: the names as expanded, in order
  std::string path;                // WORKDIR: the path as expanded, before it is resolved
  std::vector<std::string> excludes;
  std::vector<ins::InlineSource> inline_sources;  // heredoc sources, bodies expanded
  std::vector<ExpandedMount> mounts;               // RUN --mount (values expanded)
  std::string value;                               // WORKDIR (resolved), USER, STOPSIGNAL
};

struct StageEval {
  size_t index = 0;
  std::string name;
  Shared<catalog::Resolution> base;  // for an image base (or scratch); shared by equal references
  bool from_stage = false;
  size_t base_stage = npos;
  StageConfig initial;  // config when the stage starts (from the base)
  StageConfig config;   // final config
  Vars args;            // final ARGs with values
  std::vector<std::string> declared;  // ARG names declared in the stage (chain), with or without a value
  std::vector<StepEval> steps;  // one per instruction after FROM
};

// What a FROM line expands to in BuildKit's lint scope, recorded once by evaluate() for the
// FROM rules (checks/buildkit_checks.cpp: InvalidDefaultArgInFrom, UndefinedArgInFrom,
// RedundantTargetPlatform, FromPlatformFlagConstDisallowed), which expand nothing themselves.
// The file's escape character applies.
struct FromEval {
  // The base word with the global ARGs' defaults only (no --build-arg; the platform ARGs as the
  // options give them). nullopt when it, an earlier FROM's or a global ARG's default failed to
  // expand: BuildKit then abandons InvalidDefaultArgInFrom for the rest of the file.
  std::optional<std::string> base_defaults;
  // The base word and the --platform word in the FROM scope (FromScope below): the words, the
  // variables referenced and those that were not set, or the expansion error.
  shell::Expansion base;
  std::optional<shell::Expansion> platform;  // when the FROM has --platform
};

// The scope FROM lines expand in for the rules: the platform ARGs (BUILDOSVERSION,
// TARGETOSVERSION and TARGETSTAGE empty), then the global ARGs with values (Graph::meta_vars:
// --build-args applied).
struct FromScope {
  shell::Env env;
  std::vector<FromEval> stages;  // one per stage
};

struct Evaluation {
  std::vector<StageEval> stages;
  Diagnostics diagnostics;  // expansion errors (code "eval/expand")
  FromScope from;           // the FROM lines (see FromEval)
};

// Fills ev.from (from_eval.cpp; evaluate() calls it). One expansion budget
// (pipeline_limits.h) for all of them: over it, an expansion fails.
void evaluate_from_lines(Evaluation& ev, const ins::Program& program, const Graph& graph,
                         const BuildOptions& options, char escape);

// Default PATH of a Linux container (BuildKit's system.DefaultPathEnvUnix).
inline constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Evaluates every stage (built or not). `escape` is the Dockerfile's escape character.
Evaluation evaluate(const ins::Program& program, const Graph& graph, const BuildOptions& options,
                    const catalog::Catalog& catalog, char escape = '\\');

// evaluate() in pieces (the app analyses a big file in short slices): the same Evaluation, however
// the stages are cut. The arguments must outlive the job.
//   EvaluationJob j(program, graph, options, catalog, escape);  while (!j.step(16)) { ... }
//   Evaluation ev = j.take();
class EvaluationJob {
 public:
  EvaluationJob(const ins::Program& program, const Graph& graph, const BuildOptions& options,
                const catalog::Catalog& catalog, char escape = '\\');
  ~EvaluationJob();
  bool step(size_t stages);  // evaluates up to `stages` more stages (then the FROM lines); true once done
  Evaluation take();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Value of a name in a Vars list (last wins); nullptr when absent.
const std::string* find_var(const Vars& vars, std::string_view name);
void set_var(Vars& vars, std::string_view name, std::string_view value);

}  // namespace dfplay::stages
