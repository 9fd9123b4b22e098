// What a RUN does to the filesystem and how long it takes, as a pure function of its inputs.
//
// The command line is split like the shell does (sim/shell/split.h) and executed symbolically:
// `&&`, `||`, `;`, pipes, subshells, `cd`, `export`, env prefixes, if/for/case, heredocs and
// redirections are followed. Each simple command is matched against the recognised tools
// (docs/effects.md lists them with the figures and their sources): npm/yarn/pnpm, tsc and the
// bundlers, go, pip/venv, apk/apt-get, dotnet, cargo, mvn/gradle, make, coreutils (rm, mkdir,
// cp, mv, chmod, chown, ln, touch, tar...), useradd & co, curl/wget, git clone. Sizes come from
// the filesystem (package.json, lock files, go.mod, requirements.txt, *.csproj, sources) and from
// documented figures; estimates carry `estimated = true` and a `source`.
//
// A command that is not recognised is never silently sized: it is listed in
// `unknown_commands`, `unknown` is set, and it writes nothing (size 0). A `# dfplay:` annotation
// right above the RUN (sim/annotation.h) states the effect exactly and overrides recognition.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/annotation.h"
#include "sim/vfs.h"

namespace dfplay::sim {

// A `RUN --mount`. Cache and tmpfs mounts hide what is below their target and take the writes
// under it (cache: kept across builds, reported in Effect::cache_bytes; tmpfs: discarded). Bind
// mounts show `source` of `source_fs` (the build context or another stage) at `target`; writes
// under them are discarded. Nothing under a mount target ends up in the layer.
struct MountInfo {
  enum class Kind : uint8_t { Cache, Bind, Tmpfs, Secret, Ssh };
  Kind kind = Kind::Cache;
  std::string target;              // absolute (relative targets resolve against the WORKDIR)
  const Vfs* source_fs = nullptr;  // Bind: where the content comes from (nullptr: nothing)
  std::string source = "/";        // Bind: the path in source_fs
  bool readonly = false;
};
using CacheMountInfo = MountInfo;

struct RunInput {
  // Shell form: the script the shell runs (see run_script() for heredocs). Exec form: ignored
  // when exec_args is set (else the args joined by spaces).
  std::string_view command;
  std::vector<std::string> exec_args;  // exec form args (empty for shell form)
  bool shell_form = true;
  const Vfs& fs;                       // filesystem before the step
  const std::vector<std::pair<std::string, std::string>>& env;  // ENV + ARGs visible
  std::string_view workdir = "/";
  std::string_view user;               // USER ("" = root); "name", "uid", "name:group"
  std::string_view os_family;          // "alpine", "debian", "ubuntu", "distroless", "scratch"...
  bool has_shell = true;
  std::string_view package_manager;    // "apk", "apt", "none", "" (unknown)
  std::vector<MountInfo> cache_mounts;  // all --mount=... of the RUN
  const Annotation* annotation = nullptr;  // author's stated effect (comment right above the RUN)
  // Earlier steps of this stage (and its parent stages) whose effects are not modelled
  // ("line 7: java -jar app.jar extract"): a path they could have written is unknown, not absent,
  // so a command reading it (`cp`, `tar -xf`, `./tool`) is not a certain failure.
  std::vector<std::string> unmodelled_before;
  uint32_t layer = 0;                  // index of the layer this RUN creates (stamped on nodes)
};

struct Recognised {
  std::string tool;     // "npm ci", "go build", "apt-get install"...
  std::string summary;  // "3 dependencies + 5 devDependencies from package.json -> 30.1 MB"
  std::string source;   // where the figures come from
};

struct Effect {
  std::vector<FileChange> changes;   // in order; nothing under mount targets
  double seconds_cold = 0;           // estimated duration, nothing cached
  double seconds_warm_mount = 0;     // with warm cache mounts (= cold when no mount helps)
  bool unknown = false;              // at least one command was not recognised (sized 0)
  std::vector<std::string> unknown_commands;
  // Where the unknown commands most likely wrote: their working directories and the paths named
  // in their arguments (absolute, clean; at most 32). Empty with `unknown`: anywhere.
  std::vector<std::string> unknown_paths;
  std::vector<Recognised> recognised;
  // Hash of the inputs that really determine the output content (tsc: the sources + tsconfig,
  // not README.md; npm ci: package.json + lock + flags). Equal keys => byte-identical outputs.
  // 0 = no such key (an unknown command, a network download, unpinned versions, a
  // non-reproducible or failing step): the engine must not reuse outputs by content.
  uint64_t output_key = 0;
  bool non_reproducible = false;     // output changes on every run (timestamps, random...)
  bool would_fail = false;           // the real build would fail at this step
  std::vector<std::string> failures;  // why (e.g. "npm ci needs a package-lock.json")
  std::vector<std::string> notes;
  uint64_t layer_bytes = 0;          // sum of the sizes written into the layer (Puts)
  uint64_t removed_bytes = 0;        // bytes removed from lower layers (still in the image)
  uint64_t cache_bytes = 0;          // bytes written to cache mounts (not in the layer)
  bool estimated = false;            // some size is an estimate
  bool annotated = false;            // the annotation replaced recognition
};

Effect simulate_run(const RunInput& in);

// simulate_run keeps the shell scripts it parsed (keyed by their text, bounded) for the next
// simulations; this empties that cache (benchmarks of a first simulation use it).
void clear_script_cache();

// BuildKit's rule for a RUN with heredocs (dockerfile2llb dispatchRun): a single heredoc that is
// the whole command line (`RUN <<EOF`) runs its body as the script (a `#!` body runs as a file
// with that interpreter: returned as-is); otherwise each body is appended to the command line
// as "\n" + body + delimiter, for the shell to read.
struct HeredocFile {
  std::string name;
  std::string content;
  bool chomp = false;  // <<-: strip leading tabs
};
std::string run_script(std::string_view cmdline, const std::vector<HeredocFile>& files);

}  // namespace dfplay::sim
