// A small node-targeted wasm module of the parser alone, for bench/run-parse-bench.
// The JS side copies each input into the module's memory once, then times bench_parse().
#include <cstdlib>
#include <emscripten/emscripten.h>

#include "syntax/parser.h"

extern "C" {

EMSCRIPTEN_KEEPALIVE char* bench_alloc(size_t n) { return static_cast<char*>(std::malloc(n ? n : 1)); }
EMSCRIPTEN_KEEPALIVE void bench_free(char* p) { std::free(p); }

// Parses the text and returns the number of instructions (so the work cannot be skipped).
EMSCRIPTEN_KEEPALIVE size_t bench_parse(const char* p, size_t n) {
  auto df = dfplay::syntax::parse(std::string_view(p, n));
  return df.nodes.size();
}

// Size of the dump, to check that the wasm build gives the native result.
EMSCRIPTEN_KEEPALIVE size_t bench_dump_size(const char* p, size_t n) {
  return dfplay::syntax::dump(dfplay::syntax::parse(std::string_view(p, n))).size();
}
}
