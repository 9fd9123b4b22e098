// dfplay build DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE] [--json]
// Simulates a BuildKit build of the context DIR: stages, layers, final image, sizes, times.
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "build_files.h"
#include "cache/session.h"
#include "command.h"
#include "report/build_json.h"
#include "options.h"
#include "pipeline.h"
#include "report/json.h"
#include "units.h"

namespace dfplay::cli {
namespace {

std::string human(uint64_t b) { return format_bytes(b); }

int run(const Args& args) {
  CommandLine cl;
  if (int status = parse_command_line("build", args, kFile | kImages | kJson | kTarget | kBuildArg | kPlatform | kNoCache, 1, cl);
      status >= 0)
    return status;
  bool json = cl.json;
  BuildFiles f;
  if (!load_build_files(cl.positional[0], cl.file, cl.images, f)) return 2;
  const std::string& df_path = f.dockerfile_file;
  auto b = simulate(f.request(cl.options));
  if (json) {
    std::cout << report::dump(report::build_json(*b), 2) << "\n";
    return b->ok ? 0 : 1;
  }
  for (const auto& d : b->diagnostics) std::cerr << format_diagnostic(d, df_path) << "\n";
  if (b->target >= b->stages.size()) return 1;
  std::cout << fmt::format("target: {}{}\n", b->stages[b->target].label, b->ok ? "" : "  (the real build would FAIL)");
  const auto& cs = b->context;
  std::cout << fmt::format("context: {} files, {} sent{}", cs.after.files, human(cs.after.bytes),
                           cs.ignore_file.empty() ? " (no .dockerignore)"
                                                  : fmt::format(" after {} ({} files, {} in the folder)", cs.ignore_file,
                                                                cs.before.files, human(cs.before.bytes)));
  if (cs.excluded_count) {
    std::string list;
    for (size_t i = 0; i < cs.excluded.size() && i < 8; ++i) list += (i ? ", " : "") + cs.excluded[i];
    std::cout << fmt::format("; excluded: {}{}", list, cs.excluded_count > 8 ? fmt::format(" (+{} more)", cs.excluded_count - 8) : "");
  }
  std::cout << "\n";
  std::cout << "stages:\n";
  for (const auto& s : b->stages) {
    std::cout << fmt::format("  [{}] {:<16} FROM {:<28} {}", s.index, s.label, s.base,
                             s.built ? fmt::format("{:>10}  level {}", human(s.size_bytes), s.level) : "skipped (not needed)");
    if (!s.depends_on.empty()) {
      std::string deps;
      for (size_t d : s.depends_on) deps += (deps.empty() ? "" : ", ") + b->stages[d].label;
      std::cout << "  needs " << deps;
    }
    std::cout << "\n";
  }
  std::cout << "layers of the final image:\n";
  std::cout << fmt::format("  {:>10}  base {}\n", human(b->stages[b->target].base_bytes), b->stages[b->target].base);
  for (const auto& l : b->layers)
    std::cout << fmt::format("  {:>10}  [{}] {}{}{}\n", human(l.size_bytes), b->stages[l.stage].label, l.instruction,
                             l.estimated ? "  (estimated)" : "",
                             l.wasted_bytes ? fmt::format("  wastes {}", human(l.wasted_bytes)) : "");
  const auto& c = b->config;
  std::cout << fmt::format("image: {} uncompressed, ~{} compressed (estimated, ratio {:.2f}), wasted {}, efficiency {:.1f}%\n",
                           human(b->size_bytes), human(b->compressed_size_bytes), b->compression_ratio,
                           human(b->wasted_bytes), b->efficiency * 100);
  std::cout << fmt::format("config: user {}, workdir {}, ports [{}], entrypoint [{}], cmd [{}]\n",
                           c.user.empty() ? "root" : c.user, c.workdir.empty() ? "/" : c.workdir,
                           fmt::join(c.exposed_ports, " "), fmt::join(c.entrypoint, " "), fmt::join(c.cmd, " "));
  if (b->single_stage < b->stages.size() && b->single_stage != b->target)
    std::cout << fmt::format("single-stage alternative (shipping {}): {}; multi-stage saves {}\n",
                             b->stages[b->single_stage].label, human(b->single_stage_size_bytes), human(b->saving_bytes));
  std::cout << fmt::format("estimated cold build: {:.1f} s (parallel stages), {:.1f} s serial\n", b->cold_seconds,
                           b->serial_seconds);
  return b->ok ? 0 : 1;
}

const Registration reg{"build",
                       "build DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE] [--json]", run};

}  // namespace
}  // namespace dfplay::cli
