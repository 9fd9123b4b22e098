// dfplay check DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE]
//                  [--no-best-practices] [--json]
// BuildKit's build checks (`docker build --call=check`) plus dfplay's best practices for the
// Dockerfile of the context DIR. Text output, one line per finding:
//   Dockerfile:3:1: warning: Stage name 'Build' should be lowercase (StageNameCasing)
// then the build error (if any) and a summary line. Exit status as `docker build --call=check`:
// 1 when a BuildKit check reported something or the check call has a build error (malformed
// check configuration, `error=true` with warnings, blank base name...), else 0; best practices
// do not change it. 2 on usage errors. JSON shape: docs/checks.md, section 8.
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "build_files.h"
#include "checks/engine.h"
#include "command.h"
#include "options.h"
#include "pipeline.h"
#include "report/json.h"

namespace dfplay::cli {
namespace {

int run(const Args& args) {
  CommandLine cl;
  if (int status = parse_command_line("check", args,
                                      kFile | kImages | kJson | kTarget | kBuildArg | kPlatform | kNoBestPractices, 1, cl);
      status >= 0)
    return status;
  bool json = cl.json;
  BuildFiles f;
  if (!load_build_files(cl.positional[0], cl.file, cl.images, f)) return 2;
  const std::string& df_path = f.dockerfile_file;
  auto r = dfplay::run(f.request(cl.options));
  const auto& df = r.analysis->dockerfile;
  const auto& result = r.checks;

  if (json) {
    std::cout << report::dump(checks::to_json(result, df_path), 2) << "\n";
    return result.exit_status;
  }
  for (const auto& d : df.diagnostics)
    if (d.severity == Severity::Error) std::cerr << format_diagnostic(d, df_path) << "\n";
  for (const auto& f : result.findings) std::cout << checks::format_finding(f, df_path) << "\n";
  if (!result.build_error.empty()) std::cout << fmt::format("{}: error: {}\n", df_path, result.build_error);
  size_t bk = result.buildkit_count();
  size_t bp = result.findings.size() - bk;
  if (bk == 0 && result.build_error.empty())
    std::cout << "Check complete, no warnings found.";
  else if (bk == 0)
    std::cout << "Check complete, with a build error.";
  else
    std::cout << fmt::format("Check complete, {} warning{} been found!", bk, bk == 1 ? " has" : "s have");
  std::cout << fmt::format(" ({} best-practice finding{})\n", bp, bp == 1 ? "" : "s");
  return result.exit_status;
}

const Registration reg{"check",
                       "check DIR [-f FILE] [--target T] [--build-arg N=V]... [--platform P] [--images FILE] "
                       "[--no-best-practices] [--json]",
                       run};

}  // namespace
}  // namespace dfplay::cli
