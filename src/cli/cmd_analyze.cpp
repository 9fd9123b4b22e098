// dfplay analyze FILE [--json]: instructions, stages and diagnostics of one Dockerfile.
#include <cstdio>
#include <iostream>

#include "command.h"
#include "pipeline.h"
#include "report/json.h"

namespace dfplay::cli {
namespace {

int run(const Args& args) {
  std::string file;
  bool json = false;
  for (const auto& a : args) {
    if (a == "--json") json = true;
    else if (file.empty()) file = a;
    else return usage_error("analyze");
  }
  if (file.empty()) return usage_error("analyze");
  std::string text;
  if (!read_file(file, text)) {
    std::fprintf(stderr, "dfplay: cannot read %s\n", file.c_str());
    return 2;
  }
  Request request;
  request.dockerfile = text;
  request.dockerfile_path = file;
  auto a = analyze(request);
  if (json) {
    std::cout << report::dump(report::analysis_json(*a), 2) << "\n";
  } else {
    for (const auto& d : a->dockerfile.diagnostics) std::cerr << format_diagnostic(d, file) << "\n";
    std::cout << a->instruction_count << " instructions, " << a->stage_count << " stages\n";
  }
  return a->dockerfile.diagnostics.has_errors() ? 1 : 0;
}

const Registration reg{"analyze", "analyze FILE [--json]", run};

}  // namespace
}  // namespace dfplay::cli
