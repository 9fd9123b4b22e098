#include "options.h"

#include <cstdio>
#include <cstdlib>

#include "stages/graph.h"

namespace dfplay::cli {
namespace {

// NAME=VALUE, or NAME alone: the value of the environment variable NAME (skipped when unset),
// as `docker build --build-arg NAME` does.
void add_build_arg(std::vector<std::pair<std::string, std::string>>& out, const std::string& v) {
  auto eq = v.find('=');
  if (eq != std::string::npos) {
    out.emplace_back(v.substr(0, eq), v.substr(eq + 1));
  } else if (const char* env = std::getenv(v.c_str())) {
    out.emplace_back(v, env);
  }
}

}  // namespace

int parse_command_line(const char* command, const Args& args, unsigned flags, size_t positional,
                       CommandLine& out) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string v;
    auto next = [&](std::string& into) {
      if (i + 1 >= args.size()) return false;
      into = args[++i];
      return true;
    };
    auto takes = [&](Flag f) { return (flags & f) != 0; };
    if (a == "--json" && takes(kJson)) out.json = true;
    else if ((a == "-f" || a == "--file") && takes(kFile)) { if (!next(out.file)) return usage_error(command); }
    else if (a == "--images" && takes(kImages)) { if (!next(out.images)) return usage_error(command); }
    else if (a == "--target" && takes(kTarget)) { if (!next(out.options.target)) return usage_error(command); }
    else if (a == "--build-arg" && takes(kBuildArg)) {
      if (!next(v)) return usage_error(command);
      add_build_arg(out.options.build_args, v);
    } else if ((a == "--before-build-arg" || a == "--after-build-arg") && takes(kSideBuildArgs)) {
      if (!next(v)) return usage_error(command);
      add_build_arg(a == "--before-build-arg" ? out.before_args : out.after_args, v);
    } else if (a == "--platform" && takes(kPlatform)) {
      if (!next(v)) return usage_error(command);
      if (!stages::Platform::parse(v)) {
        std::fprintf(stderr, "dfplay: invalid platform %s\n", v.c_str());
        return 2;
      }
      out.options.platform = v;
      out.options.platform_given = true;
    } else if (a == "--no-cache" && takes(kNoCache)) out.options.no_cache = true;
    else if (a == "--no-cache-filter" && takes(kNoCacheFilter)) {
      if (!next(v)) return usage_error(command);
      out.options.no_cache_filter.push_back(v);
    } else if (a == "--network" && takes(kNetwork)) { if (!next(out.options.network)) return usage_error(command); }
    else if (a == "--no-best-practices" && takes(kNoBestPractices)) out.options.best_practices = false;
    else if (a == "--newer-base" && takes(kNewerBase)) {
      if (!next(v)) return usage_error(command);
      out.newer_bases.push_back(v);
    } else if (out.positional.size() < positional && (a.empty() || a[0] != '-')) out.positional.push_back(a);
    else return usage_error(command);
  }
  if (out.positional.size() != positional) return usage_error(command);
  return -1;
}

}  // namespace dfplay::cli
