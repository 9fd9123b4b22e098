// dfplay rebuild BEFORE AFTER [--target T] [--build-arg N=V]... [--before-build-arg N=V]...
//                [--after-build-arg N=V]... [--no-cache] [--no-cache-filter S] [--json]
// A cold build of BEFORE, then a build of AFTER with BEFORE's cache: every step CACHED, RUN or
// SKIPPED, with the reason of each first miss (docs/rebuild-json.md).
#include <cstdio>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "cache/session.h"
#include "command.h"
#include "build_files.h"
#include "options.h"
#include "pipeline.h"
#include "report/build_json.h"
#include "report/progress.h"
#include "report/json.h"

namespace dfplay::cli {
namespace {

void print_text(const sim::BuildResult& b, const cache::Report& r) {
  // BuildKit's plain progress: one line per vertex (a step merged across stages once), named
  // as dockerfile2llb names it (report/progress.h); skipped stages are not printed by BuildKit,
  // they are listed after the steps.
  size_t n = 0;
  for (const auto& line : report::progress_lines(b, r)) {
    const auto& sr = r.steps[line.step];
    const auto& st = b.steps[sr.step];
    ++n;
    std::cout << fmt::format("#{} {}\n", n, line.name);
    for (size_t m : line.merged)
      std::cout << fmt::format("#{}   (also stage {}'s line {}: the same vertex)\n", n, b.stages[b.steps[m].stage].label,
                               b.steps[m].line);
    switch (sr.status) {
      case cache::Status::Cached: std::cout << fmt::format("#{} CACHED\n", n); break;
      case cache::Status::Skipped: break;
      case cache::Status::Run:
        std::cout << fmt::format("#{} DONE {:.1f}s (estimated){}\n", n, sr.seconds,
                                 sr.link_reused ? " (copied layer reused, merge re-run)" : "");
        break;
    }
    if (st.unmodelled)
      std::cout << fmt::format("#{}   unknown: {}\n", n,
                               st.kind == sim::StepKind::Run ? "a command's effect is not modelled (its outputs are unknown)"
                                                             : "copies output of an unmodelled step");
    if (sr.reason) {
      const auto& rs = *sr.reason;
      if (rs.kind == "parent-missed") {
        if (rs.follows < b.steps.size())
          std::cout << fmt::format("#{}   re-run: follows the miss at line {}\n", n, b.steps[rs.follows].line);
      } else {
        std::cout << fmt::format("#{}   why: {} ({}){}\n", n, rs.message, rs.kind,
                                 sr.first_miss ? fmt::format(" at line {}", st.line) : "");
      }
    }
  }
  std::vector<std::string> skipped;
  for (const auto& stage : b.stages)
    if (!stage.built) skipped.push_back(stage.label);
  if (!skipped.empty())
    std::cout << fmt::format("SKIPPED: stage(s) {} (not needed for the target)\n", fmt::join(skipped, ", "));
  std::cout << fmt::format("{} cached, {} run, {} skipped; estimated {:.1f}s (cold {:.1f}s, saved {:.1f}s)\n", r.cached,
                           r.run, r.skipped, r.seconds, r.cold_seconds, r.saved_seconds);
}

int run(const Args& args) {
  CommandLine cl;
  if (int status = parse_command_line("rebuild", args,
                                      kJson | kTarget | kBuildArg | kSideBuildArgs | kPlatform | kNoCache |
                                          kNoCacheFilter | kNetwork | kNewerBase,
                                      2, cl);
      status >= 0)
    return status;
  bool json = cl.json;
  BuildFiles before, after;
  if (!load_build_files(cl.positional[0], "", "", before) || !load_build_files(cl.positional[1], "", "", after)) return 2;
  cache::Session session;
  sim::RunCache runs;  // the second build re-simulates only the RUNs the change reaches
  BuildOptions b_opts = cl.options;
  for (auto& kv : cl.before_args) b_opts.build_args.push_back(kv);
  auto b1 = simulate(before.request(b_opts), 1, &runs);
  session.build(*b1);
  BuildOptions a_opts = cl.options;
  for (auto& kv : cl.after_args) a_opts.build_args.push_back(kv);
  for (const auto& ref : cl.newer_bases)
    a_opts.digest_overrides[ref] = fmt::format("sha256:{:016x}{:048x}", std::hash<std::string>{}(ref + "@newer"), 0);
  auto b2 = simulate(after.request(a_opts), 2, &runs);
  auto rep = session.build(*b2);
  if (json) {
    auto j = report::rebuild_json(*b2, rep);
    j["before_ok"] = b1->ok;
    std::cout << report::dump(j, 2) << "\n";
    return 0;
  }
  for (const auto& d : b2->diagnostics) std::cerr << format_diagnostic(d, after.dockerfile_file) << "\n";
  print_text(*b2, rep);
  return 0;
}

const Registration reg{"rebuild",
                       "rebuild BEFORE AFTER [--target T] [--build-arg N=V]... [--before-build-arg N=V]... "
                       "[--after-build-arg N=V]... [--network MODE] [--no-cache] [--no-cache-filter STAGE] [--newer-base REF] "
                       "[--json]",
                       run};

}  // namespace
}  // namespace dfplay::cli
