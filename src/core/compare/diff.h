// Two analysed variants of a build side by side (A and B: a Dockerfile, its context and options,
// each simulated and checked): what B changes against A. The image figures (size, compressed
// size, layer count, estimated cold build time, context sent), the config changes (user, workdir,
// ports, entrypoint, cmd, env...), the findings B fixes and introduces, the image's file-tree
// diff (added / removed / changed, biggest first), the layers side by side (where the bytes
// moved) and what B's build reuses from A's cache (a cache::Report of B against a session that
// recorded A, made by the caller: cache::Session::build(A), then preview(B)).
//
//   cache::Session s;  s.record(*a);  auto rep = s.preview(*b);
//   compare::Diff d = compare::diff({*a, checks_a}, {*b, checks_b}, rep);
//
// Everything here is computed from the two results: nothing is re-simulated. Sizes and times are
// the simulation's estimates (sim/build.h) and stay labelled as such by the front ends.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "cache/session.h"
#include "checks/engine.h"
#include "sim/build.h"

namespace dfplay::compare {

struct Side {
  const sim::BuildResult& build;
  const checks::CheckResult& checks;
};

// One side's headline figures.
struct Figures {
  bool ok = true;
  std::string target, base;
  uint64_t size_bytes = 0, compressed_bytes = 0, base_bytes = 0, wasted_bytes = 0;
  size_t layers = 0;
  double cold_seconds = 0;
  uint64_t context_sent_bytes = 0;
  size_t context_sent_files = 0;
  size_t findings = 0;
};

enum class Change : uint8_t { Added, Removed, Changed };
std::string_view change_name(Change c);  // "added", "removed", "changed"

// One entry of the image's file-tree diff (entries above the base image: the layers' files).
// Directories count only as summaries (a directory the simulation models as one node, such as
// node_modules); plain directories are implied by their files.
struct FileChange {
  std::string path;
  Change change = Change::Changed;
  uint64_t a_size = 0, b_size = 0;  // 0 on the side where the entry is absent
  bool summary = false;             // a directory modelled as one node
  bool estimated = false;
  std::string what;                 // "symlink", "mode 0644 -> 0755", "owner 0:0 -> 1000:1000" (changed)
  int64_t delta() const { return static_cast<int64_t>(b_size) - static_cast<int64_t>(a_size); }
  uint64_t weight() const { return a_size > b_size ? a_size : b_size; }
};

struct ConfigChange {
  std::string field;  // "user", "workdir", "exposed_ports", "entrypoint", "cmd", "env.NODE_ENV", ...
  std::string a, b;   // display values ("" with a_set/b_set false: not set)
  bool a_set = false, b_set = false;
};

struct FindingRef {
  std::string id, message, severity;
  uint32_t line = 0;  // in the side's Dockerfile
};

// A row of the layer view: a layer of A, of B, or one in both (same instruction text, in order).
struct LayerRow {
  std::string instruction;  // first line of the instruction (A's when both)
  std::string a_stage, b_stage;
  bool in_a = false, in_b = false;
  uint64_t a_size = 0, b_size = 0;
  uint32_t a_line = 0, b_line = 0;
  bool base = false;  // the base image row (first)
  int64_t delta() const { return static_cast<int64_t>(b_size) - static_cast<int64_t>(a_size); }
};

struct Diff {
  Figures a, b;
  int64_t size_delta = 0, compressed_delta = 0, context_delta = 0;
  int64_t layer_delta = 0;
  double time_delta = 0;  // B's cold build minus A's (estimated seconds)
  std::vector<FileChange> files;  // biggest first (larger of the two sizes), then path
  size_t added = 0, removed = 0, changed = 0;
  uint64_t added_bytes = 0, removed_bytes = 0;
  std::vector<ConfigChange> config;
  std::vector<FindingRef> fixed, introduced;
  std::vector<LayerRow> layers;
  cache::Report cache;  // B against A's cache (copied from the caller)
};

Diff diff(const Side& a, const Side& b, const cache::Report& b_after_a);

// The figures of one side (also used for a single variant's summary).
Figures figures(const Side& s);

}  // namespace dfplay::compare
