// dfplay parse FILE [--dump|--json]: the parser alone. Without a flag it only parses: the
// diagnostics and one summary line (instructions, lines, bytes), nothing else is computed.
// --dump prints BuildKit's AST dump, --json the AST with positions (docs/ast-json.md).
// Diagnostics go to stderr as FILE:LINE:COL: SEVERITY: MESSAGE; exit status 1 when there is an
// error. FILE "-" is stdin.
#include <cstdio>
#include <iostream>

#include "command.h"
#include "syntax/ast_json.h"
#include "syntax/parser.h"
#include "report/json.h"

namespace dfplay::cli {
namespace {

int run(const Args& args) {
  enum class Output { Summary, Dump, Json } output = Output::Summary;
  std::string file;
  bool file_set = false;
  for (const auto& a : args) {
    if (a == "--json") output = Output::Json;
    else if (a == "--dump") output = Output::Dump;
    else if (!file_set && (a == "-" || a.empty() || a[0] != '-')) {
      file = a;
      file_set = true;
    } else {
      return usage_error("parse");
    }
  }
  if (!file_set) return usage_error("parse");
  std::string text;
  if (!read_file(file, text)) {
    std::fprintf(stderr, "dfplay: cannot read %s\n", file.c_str());
    return 2;
  }
  auto df = syntax::parse(text);
  std::string shown = file == "-" ? "<stdin>" : file;
  for (const auto& d : df.diagnostics) std::cerr << format_diagnostic(d, shown) << "\n";
  if (output == Output::Json) {
    std::cout << report::dump(syntax::ast_json(df), 2) << "\n";
  } else if (output == Output::Dump) {
    std::string out = syntax::dump(df);
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    size_t lines = 0, errors = 0;
    for (char c : text) lines += c == '\n';
    if (!text.empty() && text.back() != '\n') ++lines;
    for (const auto& d : df.diagnostics) errors += d.severity == Severity::Error;
    std::printf("%s: %zu instructions, %zu lines, %zu bytes, %zu errors\n", shown.c_str(), df.nodes.size(),
                lines, text.size(), errors);
  }
  std::fflush(stdout);
  return df.diagnostics.has_errors() ? 1 : 0;
}

const Registration reg{"parse", "parse FILE [--dump|--json]", run};

}  // namespace
}  // namespace dfplay::cli
