// The simulated build of a target: every built stage evaluated (stages/eval.h) and executed
// step by step on a virtual filesystem (sim/vfs.h), BuildKit's COPY/ADD rules (docs/scenarios.md),
// RUN effects (sim/effects.h), layers with wasted bytes, the final image (files, config, sizes),
// the naive single-stage alternative, estimated build times, and for every step the cache key
// BuildKit would compute (the layer cache in cache/session.h compares them between builds).
//
// Cache keys (our model of BuildKit's vertex digests; docs/cache.md):
//   FROM image   hash(resolved digest, platform)        FROM <stage>: that stage's last key
//   WORKDIR p    hash(parent, mkdir p, USER)            (WORKDIR "/" makes no vertex)
//   RUN          hash(parent, argv, env incl. ARGs with values (proxy args excepted), USER,
//                     cwd, network, security, platform, mounts: bind content, cache target
//                     [+ id/sharing only for a default mount], secret id+target)
//   COPY/ADD     hash(parent, COPY|ADD, dest (absolute), --chown, --chmod, sources as written,
//                     content+mode+name+link target of every selected entry)  -- from the
//                     context after .dockerignore, or from another stage's files (content based)
//   COPY --link  link_key = the same without the parent (the reusable copy), key = merge(parent, link)
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis.h"
#include "catalog/catalog.h"
#include "context/build_context.h"
#include "context/dockerignore.h"
#include "context/filter.h"
#include "instructions/instructions.h"
#include "sim/effects.h"
#include "sim/vfs.h"
#include "stages/eval.h"
#include "stages/graph.h"
#include "syntax/ast.h"

namespace dfplay::sim {

// RUN effects of earlier builds, to reuse. simulate_run is a pure function of its inputs
// (sim/effects.h): a RUN that sees exactly the same inputs as in an earlier build (command,
// environment, user, mounts, annotation, layer and the whole filesystem, Vfs::fingerprint) gets
// that build's effect without being simulated again. The caller keeps one next to its
// cache::Session and passes it to every build (simulate_build's run_cache): a rebuild after an edit
// then re-simulates only the RUNs the edit reaches. Copies share the effects (cheap to copy).
// Bounded: two generations of up to kGeneration effects; an effect used again moves to the
// current generation, the older one is dropped when the current one is full.
class RunCache {
 public:
  static constexpr size_t kGeneration = 1024;
  // The effect stored under `key` (nullptr if none); used by simulate_build.
  std::shared_ptr<const Effect> find(uint64_t key);
  void store(uint64_t key, std::shared_ptr<const Effect> effect);
  size_t size() const { return now_.size() + before_.size(); }
  void clear();

 private:
  std::unordered_map<uint64_t, std::shared_ptr<const Effect>> now_, before_;
};

enum class StepKind : uint8_t { From, Run, Copy, Add, Workdir };
std::string_view step_kind_name(StepKind k);

// What went into a step's key, kept to explain cache misses.
struct KeyParts {
  std::string op;                  // canonical operation text (argv, dest, flags...)
  // RUN: environment in the key (ENV, then the ARGs with values), and which names are ARGs;
  // shared by the RUNs of a stage that see the same ENV and ARGs (read-only).
  stages::Shared<stages::Vars> env;
  stages::Shared<std::vector<std::string>> arg_names;
  std::string user, workdir, shell, mounts;
  std::string input_from;          // COPY/ADD: "context", stage label, or image; RUN: bind sources
  std::vector<std::pair<std::string, uint64_t>> inputs;  // selected entries -> content identity
  std::string base_ref, base_digest;  // FROM
};

struct Step {
  size_t id = 0;  // index in BuildResult::steps
  size_t stage = 0;
  StepKind kind = StepKind::Run;
  const ins::Instruction* instruction = nullptr;  // nullptr for FROM (see stage's FROM)
  std::string text;  // as written (every physical line, heredoc bodies included)
  uint32_t line = 0;
  Range range;
  size_t vertex = 0, vertices = 0;  // [stage vertex/vertices] for the progress output
  bool built = false;               // its stage is built for the target
  bool failed = false;              // the real build fails here
  // RUN: some command's effect is not modelled (what it wrote is unknown, not absent). COPY: it
  // copied something such a step may have produced (unknown size/content).
  bool unmodelled = false;
  uint64_t key = 0, parent_key = 0, link_key = 0;
  size_t parent_step = SIZE_MAX;  // previous vertex of the chain (SIZE_MAX: none)
  std::vector<size_t> source_stages;  // COPY --from / mount from: stages whose files it reads
  KeyParts parts;
  // RUN: bytes its layer holds under each package-manager download directory (kDownloadDirs:
  // apt's package lists...) at the end of the step, for the directories where that is not 0.
  // A later step that deletes them does not make the layer smaller.
  std::vector<std::pair<std::string, uint64_t>> downloads_left;
  double seconds = 0;       // estimated duration when it runs
  double seconds_warm = 0;  // with warm cache mounts
  std::vector<std::string> cache_mounts;  // cache mount identities (for warm re-runs)
  std::string time_source;
  uint64_t layer_bytes = 0, wasted_bytes = 0;
  bool estimated = false;
  std::vector<std::string> notes;
};

// Directories where package managers download what they install from (indexes, archives); a
// layer that keeps files there ships bytes the image does not need.
inline constexpr std::string_view kDownloadDirs[] = {"/var/lib/apt/lists"};

struct Layer {
  size_t stage = 0, step = 0;
  std::string instruction;  // first line
  uint64_t size_bytes = 0;
  uint64_t wasted_bytes = 0;  // bytes of earlier layers this layer overwrites or deletes
  bool estimated = false;
  bool unknown = false;  // holds content of unknown size (an unmodelled RUN, or a copy of its output)
  std::string source;
};

struct StageResult {
  size_t index = 0;
  std::string name, label;  // label: name or index as a string
  bool built = false;
  std::vector<size_t> depends_on;
  std::string base;  // image reference, "scratch" or the parent stage label
  bool base_estimated = false;
  std::string base_reason;
  uint64_t base_bytes = 0, base_compressed_bytes = 0;
  uint64_t size_bytes = 0;  // base + layers
  int level = -1;
  double seconds = 0, finish_seconds = 0;  // own steps; finish time on the critical path
  std::vector<size_t> steps;
  std::vector<Layer> layers;  // including those inherited from a parent stage
  Vfs fs;
  std::string os_family;
};

struct ImageFile {
  std::string path;
  NodeType type = NodeType::File;
  uint64_t size = 0;
  uint32_t mode = 0, uid = 0, gid = 0;
  std::string link;
  size_t layer = 0;  // 1-based index in image.layers (0 = base)
  bool summary = false, estimated = false;
  bool unknown = false;  // produced by an unmodelled step: size/content unknown (see source)
  std::string source;    // set for unknown entries: which step
};

// What the build sends as its context: totals before and after .dockerignore, and the excluded
// paths (an excluded directory is listed once, not its contents).
struct ContextSummary {
  std::string ignore_file;  // ".dockerignore", "Dockerfile.dockerignore", "" when none
  context::ContextStats before, after;
  std::vector<std::string> excluded;  // at most kMaxListed, in path order
  size_t excluded_count = 0;          // every excluded top entry (the list may be shorter)
  static constexpr size_t kMaxListed = 200;
};

struct BuildResult {
  // What was built: the analysis of the request (pointers below refer into it).
  std::shared_ptr<const Analysis> analysis;
  // The context's .dockerignore as the build read it (empty rules when none; never null).
  std::shared_ptr<const context::IgnoreFile> ignore;
  // The context as the build sends it (.dockerignore applied once, BuildKit's walk): refers to
  // the analysis's context and to `ignore`. Also made when nothing is built (no FROM); null only
  // without a context.
  std::shared_ptr<const context::FilteredContext> sent;

  size_t target = stages::npos;
  std::vector<StageResult> stages;
  std::vector<Step> steps;  // every step of every stage, file order
  Diagnostics diagnostics;
  bool ok = true;  // false when the real build would fail

  // The image of the target stage.
  uint64_t size_bytes = 0, compressed_size_bytes = 0, wasted_bytes = 0;
  double efficiency = 1.0;
  double compression_ratio = 0.45;
  std::vector<Layer> layers;
  std::vector<ImageFile> files;  // non-base entries
  stages::StageConfig config;
  // The naive single-stage alternative.
  size_t single_stage = stages::npos;
  uint64_t single_stage_size_bytes = 0;
  uint64_t saving_bytes = 0;
  // Cold build time, parallel stages honoured (critical path) and plain sum.
  double cold_seconds = 0, serial_seconds = 0;
  std::vector<std::string> estimates;  // where the estimated figures come from
  ContextSummary context;
};

// Simulates the build the analysis describes (its options, context and catalog). `nonce` differs
// between builds (identity of non-reproducible outputs); `run_cache` (nullptr: simulate every
// RUN; results are the same either way) holds RUN effects of earlier builds to reuse.
// Diagnostics: the analysis's, then the build's own.
std::unique_ptr<BuildResult> simulate_build(std::shared_ptr<const Analysis> analysis, uint64_t nonce = 0,
                                            RunCache* run_cache = nullptr);

// simulate_build in steps, for a front end that must not block (pipeline_job.h): each step() does
// one part of the build (the .dockerignore, the context summary and the layout of every step;
// then one built stage per step, dependencies first; then the image summary) and says whether
// more is left. take() runs what is left and returns the result, the same as simulate_build's.
class Simulation {
 public:
  explicit Simulation(std::shared_ptr<const Analysis> analysis, uint64_t nonce = 0, RunCache* run_cache = nullptr);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  bool step();  // false once the build is simulated (and then does nothing)
  bool done() const;
  std::unique_ptr<BuildResult> take();  // once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dfplay::sim
