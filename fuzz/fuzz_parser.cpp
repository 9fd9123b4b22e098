// libFuzzer target: the Dockerfile parser (syntax::parse), its AST dump and JSON, and the
// analysis (dfplay::analyze: instructions, stage graph, evaluation) with its JSON. Any input must
// give diagnostics, never a crash, a hang or a sanitizer finding. Run with script/fuzz parser
// SECONDS.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pipeline.h"
#include "report/json.h"
#include "syntax/ast_json.h"
#include "syntax/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto df = dfplay::syntax::parse(text);
  (void)dfplay::syntax::dump(df);
  (void)dfplay::report::dump(dfplay::syntax::ast_json(df));
  (void)dfplay::report::dump(dfplay::report::analysis_json(*dfplay::analyze(dfplay::Request{text})));
  return 0;
}
