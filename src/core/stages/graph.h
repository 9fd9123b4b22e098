// The stage graph: one stage per FROM, its base (external image, earlier stage, scratch),
// dependencies (FROM <stage>, COPY --from, RUN --mount=from=), the target, which stages
// BuildKit really builds for it, and the parallel levels.
//
// BuildKit's rules (dockerfile2llb):
// - FROM is expanded with the global ARGs (those before the first FROM, overridden by
//   --build-arg) and the predefined platform ARGs; a FROM name refers to an *earlier* stage.
// - COPY --from=N is a stage index; --from=name refers to any stage by name; anything else is
//   an external image. Cycles through COPY --from / mount from are errors.
// - Only stages reachable from the target (through bases and dependencies) are built.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "instructions/instructions.h"
#include "request.h"

namespace dfplay::stages {

constexpr size_t npos = static_cast<size_t>(-1);

struct Platform {
  std::string os = "linux";
  std::string arch = "amd64";
  std::string variant;

  std::string str() const;  // "linux/arm64/v8"
  // "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "amd64" (os defaults to linux). Lower-cased.
  static std::optional<Platform> parse(std::string_view s);
  friend bool operator==(const Platform&, const Platform&) = default;
};

using Vars = std::vector<std::pair<std::string, std::string>>;

// The build options are the request's (request.h): `BuildOptions` here is dfplay::BuildOptions.
// Its platforms parsed (an unparsable one falls back to linux/amd64; front ends report it).
Platform target_platform(const BuildOptions& options);
Platform build_platform(const BuildOptions& options);

// BuildKit's predefined platform ARGs (TARGETPLATFORM, TARGETOS, ..., BUILDVARIANT).
Vars platform_args(const BuildOptions& options);
// The names of BuildKit's predefined ARGs that need no declaration to be used in FROM.
bool is_predefined_arg(std::string_view name);
// Proxy build args: usable in RUN without a declaration, and kept out of the cache key.
bool is_proxy_arg(std::string_view name);

struct MetaArg {
  std::string name;
  std::optional<std::string> value;  // after --build-arg override and expansion
  const ins::Instruction* instruction = nullptr;
  size_t pair = 0;                   // which NAME[=value] of that ARG instruction
  bool overridden = false;           // value came from --build-arg
};

enum class BaseKind : uint8_t { Image, Stage, Scratch };
enum class DepKind : uint8_t { Base, CopyFrom, MountFrom };

struct Dependency {
  size_t stage = npos;
  DepKind kind = DepKind::Base;
  const ins::Instruction* instruction = nullptr;  // nullptr for the FROM base
  Range range;                                    // where the reference is written
};

struct ExternalImage {  // COPY --from=<image> or RUN --mount=from=<image>
  std::string ref;
  DepKind kind = DepKind::CopyFrom;
  const ins::Instruction* instruction = nullptr;
  Range range;
};

struct StageNode {
  size_t index = 0;
  const ins::Stage* stage = nullptr;
  std::string name;   // lower-case; "" when unnamed
  std::string label;  // BuildKit's progress label: the name, or "stage-N"; "" for a single stage
  BaseKind base_kind = BaseKind::Image;
  std::string base_ref;        // expanded FROM reference (image or stage name as written)
  size_t base_stage = npos;    // for BaseKind::Stage
  std::string platform;        // expanded --platform, "" when absent
  std::vector<std::string> from_undefined;  // variables in FROM that were not defined
  std::vector<Dependency> deps;             // stages this one needs (base first)
  std::vector<ExternalImage> images;
  bool built = false;  // reachable from the target
  int level = -1;      // parallel level among built stages (0 = no stage dependencies)
};

struct Graph {
  std::vector<MetaArg> meta_args;
  std::vector<StageNode> stages;
  size_t target = npos;
  std::vector<std::vector<size_t>> levels;  // built stages grouped by parallel level
  Diagnostics diagnostics;

  // Indices of the named stages sorted by name (equal names in file order); filled by
  // build_graph, used by find() (a linear scan when it does not match `stages`).
  std::vector<uint32_t> by_name;

  Vars meta_vars() const;  // global ARGs with values + platform ARGs, for FROM expansion
  // The first stage of that name (case-insensitive), else the stage of that index.
  const StageNode* find(std::string_view name_or_index) const;
};

// `escape` is the file's escape character (the `# escape=` directive): BuildKit expands the global
// ARGs and the FROM lines with the Dockerfile's own escape token.
Graph build_graph(const ins::Program& program, const BuildOptions& options, char escape);

}  // namespace dfplay::stages
