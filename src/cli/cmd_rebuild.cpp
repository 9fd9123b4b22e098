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
#include "context_loader.h"
#include "report/build_json.h"
#include "report/progress.h"
#include "sim/build.h"
#include "report/json.h"

namespace dfplay::cli {
namespace {

struct Side {
  std::string dir, text;
  context::BuildContext ctx;
};

bool load(Side& s) {
  namespace fs = std::filesystem;
  std::string df = (fs::path(s.dir) / "Dockerfile").string();
  if (!read_file(df, s.text)) {
    std::fprintf(stderr, "dfplay: cannot read %s\n", df.c_str());
    return false;
  }
  std::string err;
  if (!load_context_dir(s.dir, s.ctx, {}, nullptr, &err)) {
    std::fprintf(stderr, "dfplay: %s\n", err.c_str());
    return false;
  }
  return true;
}

bool add_arg(stages::Vars& v, const std::string& a) {
  auto eq = a.find('=');
  if (eq == std::string::npos) return false;
  v.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  return true;
}

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
  Side before, after;
  bool json = false;
  stages::BuildOptions common;
  stages::Vars b_args, a_args;
  cache::CacheOptions copts;
  std::string network = "default";
  std::vector<std::string> newer_bases;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto next = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    std::string v;
    if (a == "--json") json = true;
    else if (a == "--target") { if (!next(common.target)) return usage_error("rebuild"); }
    else if (a == "--build-arg") { if (!next(v) || !add_arg(common.build_args, v)) return usage_error("rebuild"); }
    else if (a == "--before-build-arg") { if (!next(v) || !add_arg(b_args, v)) return usage_error("rebuild"); }
    else if (a == "--after-build-arg") { if (!next(v) || !add_arg(a_args, v)) return usage_error("rebuild"); }
    else if (a == "--no-cache") copts.no_cache = true;
    else if (a == "--network") { if (!next(network)) return usage_error("rebuild"); }
    else if (a == "--newer-base") {  // what-if: REF was re-pulled and has a new digest in AFTER
      if (!next(v)) return usage_error("rebuild");
      newer_bases.push_back(v);
    }
    else if (a == "--no-cache-filter") { if (!next(v)) return usage_error("rebuild"); copts.no_cache_filter.push_back(v); }
    else if (a == "--platform") {
      if (!next(v)) return usage_error("rebuild");
      auto p = stages::Platform::parse(v);
      if (!p) return usage_error("rebuild");
      common.platform = *p;
    } else if (before.dir.empty() && !a.starts_with("-")) before.dir = a;
    else if (after.dir.empty() && !a.starts_with("-")) after.dir = a;
    else return usage_error("rebuild");
  }
  if (before.dir.empty() || after.dir.empty()) return usage_error("rebuild");
  if (!load(before) || !load(after)) return 2;
  cache::Session session;
  sim::BuildInput bi;
  bi.dockerfile = before.text;
  bi.context = &before.ctx;
  bi.options = common;
  for (auto& kv : b_args) bi.options.build_args.push_back(kv);
  bi.nonce = 1;
  sim::RunCache runs;  // the second build re-simulates only the RUNs the change reaches
  bi.run_cache = &runs;
  bi.network = network;
  auto b1 = sim::simulate_build(bi);
  session.build(*b1);
  sim::BuildInput ai = bi;
  ai.dockerfile = after.text;
  ai.context = &after.ctx;
  ai.options = common;
  for (auto& kv : a_args) ai.options.build_args.push_back(kv);
  ai.nonce = 2;
  for (const auto& ref : newer_bases)
    ai.digest_overrides[ref] = fmt::format("sha256:{:016x}{:048x}", std::hash<std::string>{}(ref + "@newer"), 0);
  auto b2 = sim::simulate_build(ai);
  auto rep = session.build(*b2, copts);
  if (json) {
    auto j = report::rebuild_json(*b2, rep);
    j["before_ok"] = b1->ok;
    std::cout << report::dump(j, 2) << "\n";
    return 0;
  }
  for (const auto& d : b2->diagnostics) std::cerr << format_diagnostic(d, after.dir + "/Dockerfile") << "\n";
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
