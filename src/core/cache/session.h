// The layer cache across builds: a Session keeps the cache keys of every earlier build (like
// BuildKit's local cache, any earlier build can hit) and reports, for a new build, every step as
// CACHED, RUN or SKIPPED with the reason of each first miss (docs/cache.md).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/build.h"

namespace dfplay::cache {

enum class Status : uint8_t { Cached, Run, Skipped };
std::string_view status_name(Status s);  // "cached", "run", "skipped"

// Why a step missed. Kinds as in tests/scenarios/*/expect.json: context-files-changed,
// instruction-changed, build-arg-changed, env-changed, user-changed, workdir-changed,
// shell-changed, base-image-changed, mount-content-changed, stage-output-changed, no-cache,
// parent-missed, new-step (no earlier build had a step here).
struct Reason {
  std::string kind;
  std::string field;                // instruction-changed: command, destination, --chown, ...
  std::vector<std::string> paths;   // files that differ
  std::string change;               // context-files-changed: added / removed / modified
  std::string name, before, after;  // build arg / env variable / base image
  std::string from_stage;           // stage-output-changed
  size_t follows = SIZE_MAX;        // parent-missed: the first missed step of the chain
  std::string message;              // one readable sentence
};

struct StepReport {
  size_t step = 0;  // index in BuildResult::steps
  Status status = Status::Run;
  double seconds = 0;  // estimated time of this step in this build (0 when cached)
  bool first_miss = false;
  bool link_reused = false;  // COPY --link: the copied layer is reused, only the merge re-runs
  bool merged = false;       // same vertex as an earlier step of this build (another stage)
  std::optional<Reason> reason;
};

struct Report {
  size_t build_number = 0;  // 1 = first build of the session
  std::vector<StepReport> steps;
  size_t cached = 0, run = 0, skipped = 0;
  double seconds = 0;       // estimated duration of this build (parallel stages honoured)
  double cold_seconds = 0;  // the same build with an empty cache
  double saved_seconds = 0;
};

class Session {
 public:
  // Reports `build` against the cache of earlier builds, then adds its steps to the cache.
  // --no-cache and --no-cache-filter come from the build's request (build.analysis->options).
  Report build(const sim::BuildResult& build);
  // The report `build` would give, without adding the build to the cache (a what-if: the app
  // shows it live while the user edits, and records it when the user builds).
  Report preview(const sim::BuildResult& build) const;
  // Adds a build's steps to the cache (what `build` does after reporting).
  void record(const sim::BuildResult& build);
  void clear();  // "clear cache": the next build is cold
  size_t builds() const { return builds_; }
  size_t size() const { return size_; }  // distinct cache keys

 private:
  struct Record {
    std::string stage;
    sim::StepKind kind;
    std::string text;
    uint32_t line;
    uint64_t key;
    sim::KeyParts parts;  // RUN: parts.op is left empty, op_hash stands for it
    uint64_t op_hash = 0;
  };
  // What one recorded build added. Immutable once recorded: copies of a Session share them, so
  // copying a Session costs one pointer per build (see kMaxGenerations).
  struct Generation {
    std::unordered_set<uint64_t> keys;
    std::unordered_set<uint64_t> link_keys;
    std::unordered_set<std::string> warm_mounts;
    std::unordered_map<uint64_t, std::vector<Record>> by_parent;  // records not in earlier builds
    std::unordered_map<std::string, Record> from_by_stage;
  };
  // Beyond this many generations, record() merges them into one (lookups visit each).
  static constexpr size_t kMaxGenerations = 8;

  const Record* previous(uint64_t parent_key, const std::string& stage, sim::StepKind kind, const std::string& text) const;
  Reason explain(const sim::BuildResult& b, const sim::Step& st) const;
  // explain()'s parts: a FROM, a step after a changed FROM, then per kind against the earlier record.
  Reason from_reason(const sim::BuildResult& b, const sim::Step& st) const;
  std::optional<Reason> base_changed_reason(const sim::BuildResult& b, const sim::Step& st) const;
  static Reason run_reason(const sim::Step& st, const Record& prev);
  static Reason copy_reason(const sim::Step& st, const Record& prev);
  static Reason workdir_reason(const sim::Step& st, const Record& prev);
  bool has_key(uint64_t key) const;
  bool has_link_key(uint64_t key) const;
  bool is_warm(const std::string& mount) const;
  const Record* from_record(const std::string& stage) const;  // the latest FROM of `stage`
  void compact();

  std::vector<std::shared_ptr<const Generation>> gens_;  // oldest first
  size_t size_ = 0;
  size_t builds_ = 0;
};

}  // namespace dfplay::cache
