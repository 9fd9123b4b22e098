// The flags the build commands share (build, check, rebuild, diff), parsed in one place into the
// request's options (request.h). Each command says which flags it takes; anything else is a usage
// error.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "command.h"
#include "request.h"

namespace dfplay::cli {

enum Flag : unsigned {
  kFile = 1u << 0,             // -f, --file FILE
  kImages = 1u << 1,           // --images FILE
  kJson = 1u << 2,             // --json
  kTarget = 1u << 3,           // --target T
  kBuildArg = 1u << 4,         // --build-arg N=V (N alone: the value of the environment variable N, if set)
  kPlatform = 1u << 5,         // --platform P (os/arch[/variant])
  kNoCache = 1u << 6,          // --no-cache
  kNoCacheFilter = 1u << 7,    // --no-cache-filter STAGE
  kNetwork = 1u << 8,          // --network MODE
  kNoBestPractices = 1u << 9,  // --no-best-practices
  kSideBuildArgs = 1u << 10,   // --before-build-arg / --after-build-arg N=V (rebuild)
  kNewerBase = 1u << 11,       // --newer-base REF (rebuild)
};

struct CommandLine {
  std::vector<std::string> positional;  // the directories
  std::string file, images;
  bool json = false;
  BuildOptions options;
  std::vector<std::pair<std::string, std::string>> before_args, after_args;
  std::vector<std::string> newer_bases;
};

// Parses `args` for `command` (its usage is printed on a usage error). Returns -1 when the
// command line is good, else the exit status to return (2).
int parse_command_line(const char* command, const Args& args, unsigned flags, size_t positional,
                       CommandLine& out);

}  // namespace dfplay::cli
