// The one request every front end makes: a Dockerfile, its build context and the build options
// (`docker build`'s flags). The pipeline (pipeline.h) turns it into one analysis (analysis.h),
// the simulated build (sim/build.h), the checks (checks/engine.h) and the cache report
// (cache/session.h); each reads the options it needs from here. Plain data, no behaviour.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfplay {

namespace context {
class BuildContext;
}
namespace catalog {
class Catalog;
}

// `docker build`'s options, as the user gave them (the app's Build options, the JS API's
// `options`, the CLI's flags).
struct BuildOptions {
  std::string target;                                          // --target; "" = the last stage
  std::vector<std::pair<std::string, std::string>> build_args;  // --build-arg NAME=VALUE, in order
  std::string platform = "linux/amd64";                        // --platform (target platform)
  // --platform was passed explicitly (the CLI): BuildKit's InvalidBaseImagePlatform then checks
  // the base against it even when it equals the build platform. A platform other than the build
  // platform is explicit in any case (explicit_platform()).
  bool platform_given = false;
  std::string build_platform = "linux/amd64";                   // the builder's platform
  bool no_cache = false;                                        // --no-cache
  std::vector<std::string> no_cache_filter;                     // --no-cache-filter stage names
  std::string network = "default";                              // --network
  bool best_practices = true;                                   // dfplay's checks next to BuildKit's
  // "Pull a newer base": FROM reference as written (or canonical) -> digest.
  std::map<std::string, std::string> digest_overrides;

  bool explicit_platform() const { return platform_given || platform != build_platform; }
};

struct Request {
  std::string_view dockerfile;                    // the Dockerfile's text (the caller keeps it alive)
  std::string dockerfile_path = "Dockerfile";     // its path in the context (selects <name>.dockerignore)
  const context::BuildContext* context = nullptr;  // nullptr: an empty context
  const catalog::Catalog* catalog = nullptr;       // nullptr: the built-in catalog
  BuildOptions options;
};

}  // namespace dfplay
