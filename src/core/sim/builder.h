// The builder behind sim::simulate_build (build.h), shared by the files that implement it:
// builder.cpp (set-up, stages, FROM and WORKDIR, layers, the image summary), build_run.cpp (RUN),
// build_copy.cpp (COPY and ADD); build.cpp drives it (simulate_build, Simulation). Internal to
// sim/: nothing outside it includes this header.
#pragma once
#include "sim/build.h"

#include <fmt/format.h>
#include <algorithm>
#include <deque>
#include <tuple>
#include <unordered_map>
#include "context/copy_source.h"
#include "context/dockerignore.h"
#include "context/remote_source.h"
#include "context/filter.h"
#include "context/glob.h"
#include "sim/accounts.h"
#include "sim/annotation.h"
#include "sim/archive_extract.h"
#include "sim/effects.h"

namespace dfplay::sim::detail {

using stages::Vars;

// Figures used by the estimates (documented in docs/build-json.md, "Estimates").
constexpr double kPullBytesPerSecond = 50e6;   // registry download + unpack
constexpr double kPullOverhead = 0.5;
constexpr double kCopyBytesPerSecond = 200e6;  // context transfer + copy
constexpr double kCopyOverhead = 0.1;
// A single file copied from an image the catalog does not describe file by file (dfplay estimate:
// static tools copied this way, busybox ~1 MB, tini ~0.8 MB, su-exec ~0.02 MB, are about 1 MB).
constexpr uint64_t kImageFileBytes = 1'000'000;
constexpr double kWorkdirSeconds = 0.05;
constexpr double kCompressionRatio = 0.45;  // gzip of typical layer content

inline uint64_t mix(uint64_t h, std::string_view s) { return hash_combine(h, s); }
inline uint64_t mix(uint64_t h, uint64_t v) { return hash_combine(h, v); }

inline std::string first_line(std::string_view s) {
  auto nl = s.find('\n');
  return std::string(nl == std::string_view::npos ? s : s.substr(0, nl));
}

// ---- RUN effects of earlier builds (RunCache) ------------------------------------------------
// The key of a RUN's effect: a hash of every field of its RunInput, the whole filesystem included
// (Vfs::fingerprint). Keep it in step with RunInput and Annotation: a field it leaves out would
// let a changed RUN reuse a stale effect.
uint64_t run_input_key(const RunInput& in);

// The context as the build sends it: reads its .dockerignore (r.ignore), walks it once (r.sent,
// returned), sums it up (r.context) and reports the ignore file's and the context's limit
// diagnostics. The Builder does this first; a Dockerfile without FROM builds nothing but still
// gets it (the checks and the context panel read r.sent).
std::shared_ptr<const context::FilteredContext> send_context(const Analysis& a, const context::BuildContext& ctx,
                                                             BuildResult& r);

// A RUN of the stage (or of a parent stage) whose effect is not (fully) modelled: what it
// wrote is unknown, not absent ("unknown is not absent", docs/effects.md).
struct Unmodelled {
  size_t step = 0;
  uint32_t line = 0;
  std::string command;             // the unknown command(s), as the notes name them
  std::vector<std::string> paths;  // where it most likely wrote (Effect::unknown_paths)
  std::string describe() const { return fmt::format("line {}: {}", line, command); }
};

struct StageState {
  std::vector<uint64_t> layer_ids;  // per layer index: identity used for content of unknown hash
  std::vector<Unmodelled> unmodelled;  // in step order
  uint64_t chain = 0;               // key of the last vertex
  size_t chain_step = SIZE_MAX;
  const catalog::Image* image = nullptr;  // base image (root ancestor)
  bool done = false;
};

class Builder {
 public:
  Builder(const Analysis& a, uint64_t nonce, RunCache* run_cache, BuildResult& r);

  void run() {
    prepare();
    while (simulate_next()) {
    }
    complete();
  }

  // run() in steps (Simulation, below): prepare() lays out every step, each simulate_next()
  // simulates one built stage (levels in order, dependencies first) and says whether one was
  // left, complete() sums the image up.
  void prepare();

  bool simulate_next() {
    if (next_ >= order_.size()) return false;
    simulate_stage(order_[next_++]);
    return true;
  }

  void complete() { finish(); }

 private:
  size_t add_step(size_t s, StepKind k, const ins::Instruction* ins);

  // ---- owners ------------------------------------------------------------------------------
  struct Owner {
    uint32_t uid = 0, gid = 0;
    bool ok = true;
  };

  std::optional<std::pair<uint32_t, uint32_t>> lookup_account(const StageResult& sr, const catalog::Image* img,
                                                              std::string_view name);
  Owner resolve_owner(const StageResult& sr, size_t s, std::string_view spec, Step& step);

  // ---- content identities ------------------------------------------------------------------
  uint64_t node_identity(const StageState& ss, const std::string& path, const FileNode& n) const;
  uint64_t subtree_identity(const StageState& ss, const Vfs& fs, const std::string& path,
                            std::vector<std::pair<std::string, uint64_t>>* inputs) const;
  uint64_t context_identity(uint32_t e) const;

  // ---- layers --------------------------------------------------------------------------------
  uint32_t open_layer(size_t s, Step& step);
  void close_layer(size_t s, Step& step, uint64_t bytes, uint64_t wasted, bool estimated, std::string source);

  template <class Path>  // a path to copy, or a std::string&& to take over
  void put(StageResult& sr, Path&& path, FileNode n, uint64_t& bytes, uint64_t& wasted) {
    const uint32_t layer = n.layer;
    if (!n.is_dir() || n.summary) bytes += n.size;
    Vfs::Replaced old;
    sr.fs.put(std::forward<Path>(path), std::move(n), &old);
    if (old.existed && old.layer < layer && (old.type != NodeType::Dir || old.summary)) wasted += old.size;
  }

  // ---- stages --------------------------------------------------------------------------------
  void simulate_stage(size_t s);

  // The filesystem of a stage based on `image` (from.key = digest + platform): the catalog's
  // directories as summaries, plus the directories every Linux image has. Stages with the same
  // base start from a copy of the first one's.
  const Vfs& base_fs(const catalog::Image& image, uint64_t from_key);

  void do_workdir(size_t s, Step& step, const stages::StepEval& ev);

  // `a + b + c` for hashing, without a new string each time.
  std::string_view joined(std::string_view a, std::string_view b, std::string_view c = {}) {
    buf_.assign(a);
    buf_.append(b);
    buf_.append(c);
    return buf_;
  }

  // A RUN's key environment: ENV, then the ARGs with values (and their names). Consecutive RUNs
  // that see the same ENV and ARGs snapshots (stages/eval.h) share one copy.
  void run_env(const stages::StepEval& ev, KeyParts& kp);

  void do_run(size_t s, Step& step, const stages::StepEval& ev);
  // do_run's parts (build_run.cpp).
  MountInfo run_mount(size_t s, Step& step, const stages::StepEval& ev, const stages::ExpandedMount& m,
                      std::vector<std::unique_ptr<Vfs>>& owned);
  uint64_t bind_context(const std::string& src, Vfs& v, std::vector<std::pair<std::string, uint64_t>>& inputs);
  void record_run_facts(size_t s, Step& step, const Effect& eff, uint32_t layer, uint64_t bytes, uint64_t wasted);

  // A COPY --from source the model of stage `from` lacks: the unmodelled step that could have
  // produced it (the last one whose likely paths contain it, else the last one), or nullptr when
  // every step of that stage is modelled (then the source is really missing).
  const Unmodelled* unmodelled_writer(size_t from, const std::string& src) const;

  // Entries of a stage filesystem selected by a COPY --from source.
  struct VfsRoot {
    std::string path;
    bool dir;
  };
  std::vector<VfsRoot> select_vfs(const Vfs& fs, const std::string& src, bool& found);

  void do_copy(size_t s, Step& step, const stages::StepEval& ev);

  // One COPY/ADD being simulated: what do_copy's parts share (build_copy.cpp).
  struct CopyJob {
    CopyJob(size_t s_, StageResult& sr_, Step& step_, const stages::StepEval& ev_, const ins::Copy& cp_, bool is_add_)
        : s(s_), sr(sr_), step(step_), ev(ev_), cp(cp_), is_add(is_add_) {}
    size_t s;
    StageResult& sr;
    Step& step;
    const stages::StepEval& ev;
    const ins::Copy& cp;
    bool is_add;
    std::string dest;        // cleaned, absolute
    bool dest_slash = false;  // written with a final slash (or `.`)
    bool dest_dir = false;    // dest_slash, or an existing directory
    uint32_t layer = 0;
    Owner owner;
    std::optional<uint32_t> chmod;
    uint64_t bytes = 0, wasted = 0;  // the layer's
    uint64_t content = 0x0c0b;       // the identity of what is copied (part of the key)
    bool failed = false;
    // Where a source lands: dest itself, or rel inside it (a directory source, a directory dest).
    std::string target_of(bool root_dir, std::string_view rel) const;
  };
  void copy_put(CopyJob& j, const std::string& t, FileNode n);  // put(), its parent directories made
  void note_hash_comment(CopyJob& j);
  void copy_heredocs(CopyJob& j);
  void copy_from_stage(CopyJob& j, size_t from);
  bool copy_unverified(CopyJob& j, size_t from, size_t i, const std::string& src, bool wild_empty);
  void copy_stage_root(CopyJob& j, size_t from, const VfsRoot& root);
  void copy_from_image(CopyJob& j);
  void copy_from_context(CopyJob& j);
  void add_remote(CopyJob& j, const std::string& w);
  void copy_context_source(CopyJob& j, const context::CopySource& src, const Range& range);

  // The image summary of the target (sizes, critical path, files, config, single-stage figures).
  void finish();

  const Analysis& a_;
  const BuildOptions& opts_;
  uint64_t nonce_ = 0;
  RunCache* run_cache_ = nullptr;
  BuildResult& r_;
  const catalog::Catalog* cat_ = nullptr;
  context::BuildContext empty_ctx_;
  const context::BuildContext* ctx_ = nullptr;
  std::shared_ptr<const context::FilteredContext> view_;
  std::vector<StageState> states_;
  std::vector<std::vector<size_t>> step_of_;
  std::vector<size_t> order_;  // the built stages in simulation order (prepare())
  size_t next_ = 0;            // order_[next_] is simulated next
  std::string platform_;  // a_.platform.str()
  std::string buf_;       // see joined()
  // See base_fs(): (image, from.key) -> the filesystem a stage on that base starts with.
  std::deque<std::tuple<const catalog::Image*, uint64_t, Vfs>> base_fs_;
  // See run_env(): the last key environment and the snapshots it was made from (the snapshots
  // live in a_.eval for the whole build, so their ids are not reused).
  bool run_env_valid_ = false;
  const void* run_env_ids_[2] = {nullptr, nullptr};
  stages::Shared<Vars> run_env_;
  stages::Shared<std::vector<std::string>> run_arg_names_;
};


}  // namespace dfplay::sim::detail