// dfplay diff A_DIR B_DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE] [--json]
// Two variants side by side (compare/diff.h): the image figures of A and B and the difference,
// the config changes, the findings B fixes and introduces, the image's file diff (biggest first),
// the layers side by side, and what B's build reuses from A's cache (docs/diff-json.md).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "build_files.h"
#include "cache/session.h"
#include "checks/engine.h"
#include "command.h"
#include "compare/comparer.h"
#include "compare/diff.h"
#include "options.h"
#include "pipeline.h"
#include "units.h"

namespace dfplay::cli {
namespace {

std::string human(uint64_t b) { return format_bytes(b); }

std::string signed_bytes(int64_t d) {
  if (d == 0) return "0";
  return (d > 0 ? "+" : "-") + human(static_cast<uint64_t>(d > 0 ? d : -d));
}

std::string signed_seconds(double d) { return d == 0 ? "0" : fmt::format("{:+.1f} s", d); }

struct Variant {
  std::string dir;
  BuildFiles files;
  std::unique_ptr<sim::BuildResult> build;
  checks::CheckResult checks;
};

void analyse(Variant& v, const BuildOptions& opts, uint64_t nonce, sim::RunCache& runs) {
  RunOptions ro;
  ro.nonce = nonce;
  ro.run_cache = &runs;
  auto r = dfplay::run(v.files.request(opts), ro);
  v.build = std::move(r.build);
  v.checks = std::move(r.checks);
}

void print_text(const Variant& a, const Variant& b, const compare::Diff& d) {
  const auto& fa = d.a;
  const auto& fb = d.b;
  std::cout << fmt::format("A: {}  (target {}, FROM {}){}\n", a.dir, fa.target, fa.base, fa.ok ? "" : "  the build would FAIL");
  std::cout << fmt::format("B: {}  (target {}, FROM {}){}\n", b.dir, fb.target, fb.base, fb.ok ? "" : "  the build would FAIL");
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "", "A", "B", "B - A");
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "image size (est.)", human(fa.size_bytes), human(fb.size_bytes),
                           signed_bytes(d.size_delta));
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "compressed (est.)", human(fa.compressed_bytes),
                           human(fb.compressed_bytes), signed_bytes(d.compressed_delta));
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "layers", fa.layers, fb.layers,
                           d.layer_delta ? fmt::format("{:+}", d.layer_delta) : "0");
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "cold build (est.)", fmt::format("{:.1f} s", fa.cold_seconds),
                           fmt::format("{:.1f} s", fb.cold_seconds), signed_seconds(d.time_delta));
  std::cout << fmt::format("{:<22}{:>12}{:>12}{:>14}\n", "context sent", human(fa.context_sent_bytes),
                           human(fb.context_sent_bytes), signed_bytes(d.context_delta));
  if (d.config.empty()) {
    std::cout << "config: unchanged\n";
  } else {
    std::cout << "config changes:\n";
    for (const auto& c : d.config)
      std::cout << fmt::format("  {}: {} -> {}\n", c.field, c.a_set ? c.a : "(not set)", c.b_set ? c.b : "(not set)");
  }
  std::cout << fmt::format("findings: {} fixed, {} introduced\n", d.fixed.size(), d.introduced.size());
  for (const auto& f : d.fixed) std::cout << fmt::format("  fixed      {} (A line {}): {}\n", f.id, f.line, f.message);
  for (const auto& f : d.introduced) std::cout << fmt::format("  introduced {} (B line {}): {}\n", f.id, f.line, f.message);
  std::cout << fmt::format("files: {} added ({}), {} removed ({}), {} changed\n", d.added, human(d.added_bytes), d.removed,
                           human(d.removed_bytes), d.changed);
  size_t shown = 0;
  for (const auto& f : d.files) {
    if (shown++ == 25) {
      std::cout << fmt::format("  ... {} more (--json lists them all)\n", d.files.size() - 25);
      break;
    }
    char sign = f.change == compare::Change::Added ? '+' : f.change == compare::Change::Removed ? '-' : '~';
    std::string size = f.change == compare::Change::Changed ? fmt::format("{} -> {}", human(f.a_size), human(f.b_size))
                                                           : human(f.weight());
    std::cout << fmt::format("  {} {:<24} {}{}{}\n", sign, size, f.path, f.summary ? "/ (summary)" : "",
                             f.what.empty() ? "" : "  " + f.what);
  }
  std::cout << "layers (A | B):\n";
  for (const auto& l : d.layers) {
    std::string left = l.in_a ? human(l.a_size) : "-";
    std::string right = l.in_b ? human(l.b_size) : "-";
    std::string what = l.base ? fmt::format("base {} | {}", l.in_a ? l.a_stage : "-", l.in_b ? l.b_stage : "-") : l.instruction;
    std::cout << fmt::format("  {:>10} | {:<10} {:>12}  {}\n", left, right, l.delta() ? signed_bytes(l.delta()) : "", what);
  }
  const auto& c = d.cache;
  std::cout << fmt::format("B's build after A's: {} cached, {} run, {} skipped; estimated {:.1f} s (cold {:.1f} s)\n",
                           c.cached, c.run, c.skipped, c.seconds, c.cold_seconds);
  for (const auto& s : c.steps) {
    if (!s.first_miss || !s.reason) continue;
    const auto& st = b.build->steps[s.step];
    std::cout << fmt::format("  first miss at line {} [{}]: {} ({})\n", st.line, b.build->stages[st.stage].label,
                             s.reason->message, s.reason->kind);
  }
}

int run(const Args& args) {
  Variant a, b;
  CommandLine cl;
  if (int status = parse_command_line("diff", args, kFile | kImages | kJson | kTarget | kBuildArg | kPlatform, 2, cl);
      status >= 0)
    return status;
  bool json = cl.json;
  const std::string &file = cl.file, &images = cl.images;
  const BuildOptions& opts = cl.options;
  a.dir = cl.positional[0];
  b.dir = cl.positional[1];
  if (!load_build_files(a.dir, file, images, a.files) || !load_build_files(b.dir, file, images, b.files)) return 2;
  sim::RunCache runs;  // B re-simulates only the RUNs that differ from A's
  analyse(a, opts, 1, runs);
  analyse(b, opts, 2, runs);
  cache::Session session;
  session.record(*a.build);
  cache::Report rep = session.preview(*b.build);
  auto d = compare::diff({*a.build, a.checks}, {*b.build, b.checks}, rep);
  if (json) {
    std::cout << compare::diff_json(*a.build, *b.build, d).dump(2) << "\n";
  } else {
    for (const auto& x : a.build->diagnostics)
      if (x.severity == Severity::Error) std::cerr << format_diagnostic(x, a.files.dockerfile_file) << "\n";
    for (const auto& x : b.build->diagnostics)
      if (x.severity == Severity::Error) std::cerr << format_diagnostic(x, b.files.dockerfile_file) << "\n";
    print_text(a, b, d);
  }
  return a.build->ok && b.build->ok ? 0 : 1;
}

const Registration reg{"diff",
                       "diff A_DIR B_DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE] [--json]",
                       run};

}  // namespace
}  // namespace dfplay::cli
