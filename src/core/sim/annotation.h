// Author annotations: a tutorial author states a RUN step's effect in a comment right above it,
// which overrides the recognition of its commands (docs/effects.md, "Annotations"):
//
//   # dfplay: adds /app/node_modules 180MB, 45s
//   # dfplay: effect path=/app/node_modules size=180MB time=45s warm=5s
//   # dfplay: removes /var/lib/apt/lists, writes /etc/motd 120B
//   # dfplay: nothing
//   # dfplay: non-reproducible
//   RUN ...
//
// Clauses are separated by commas or semicolons; several `# dfplay:` lines add up. Paths may be
// relative to the WORKDIR. Sizes: 120B, 12kB/KB, 180MB, 1.5GB (powers of 1000), KiB/MiB/GiB
// (powers of 1024). Durations: 500ms, 45s, 2m, 1m30s, 1h (Go's time.ParseDuration units;
// also "min", "sec").
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/diagnostic.h"

namespace dfplay::sim {

struct AnnotatedPath {
  enum class Kind : uint8_t { Add, Remove };
  Kind kind = Kind::Add;
  std::string path;              // as written (relative paths resolve against the WORKDIR)
  std::optional<uint64_t> size;  // bytes (Add); absent = 0 bytes
  bool file = false;             // `writes`/`type=file`: a file; otherwise a directory subtree
};

struct Annotation {
  std::vector<AnnotatedPath> paths;
  std::optional<double> seconds;       // duration of the step, nothing cached
  std::optional<double> seconds_warm;  // duration with warm cache mounts
  bool non_reproducible = false;       // output changes on every run
  bool reproducible = false;           // explicitly reproducible (overrides detection)
  bool nothing = false;                // the step writes nothing
  uint32_t line = 0;                   // first annotation line (1-based), 0 if unknown

  // True when the annotation states the filesystem effect (which then replaces recognition);
  // otherwise it only adjusts time or reproducibility.
  bool states_effect() const { return nothing || !paths.empty(); }
};

// Parses annotation lines. `comments` are comment texts (after '#', trimmed), as in
// syntax::Node::comments; lines that do not start with "dfplay:" are ignored. Returns nullopt
// when no line is an annotation. Malformed clauses are skipped and described in `errors`.
std::optional<Annotation> parse_annotation(const std::vector<std::string>& comments,
                                           std::vector<std::string>* errors = nullptr);

// Finds the block of comment lines directly above the instruction that starts at byte
// `instruction_offset` of `text` (no blank line in between) and parses its `# dfplay:` lines.
// Malformed clauses are reported as warnings (code "annotation/...") at their exact position.
std::optional<Annotation> find_annotation(std::string_view text, uint32_t instruction_offset,
                                          Diagnostics* diags = nullptr);

// "180MB" -> 180000000, "1.5GiB", "512 B"; nullopt if not a size.
std::optional<uint64_t> parse_size(std::string_view text);
// "45s", "1m30s", "500ms", "2min" -> seconds; nullopt if not a duration.
std::optional<double> parse_duration(std::string_view text);

}  // namespace dfplay::sim
