// Syntax colouring of a Dockerfile from the core parser's own AST positions (no second grammar):
// instruction keywords, flags, quoted strings, variables, comments, heredoc bodies and parser
// directives. The editor paints these spans; everything else is plain text.
//
// Pure logic (no ImGui): unit-tested natively (highlight_test.cpp).
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "syntax/ast.h"

namespace dfplay::app {

enum class Token : uint8_t {
  Plain,
  Keyword,    // FROM, RUN, ... (and AS in FROM x AS y)
  Flag,       // --from=, --mount= (the name and '=', the value keeps its own colour)
  String,     // "..." and '...' in arguments, JSON strings of the exec form
  Variable,   // $NAME, ${NAME:-default}
  Comment,    // # lines
  Heredoc,    // <<EOF openers, bodies and closing delimiters
  Directive,  // # syntax=..., # escape=..., # check=...
};
inline constexpr int kTokenCount = 8;

struct Span {
  uint32_t begin = 0, end = 0;  // bytes [begin, end) of the text
  Token token = Token::Plain;
  friend bool operator==(const Span&, const Span&) = default;
};

// Sorted, non-overlapping, non-Plain spans covering the coloured bytes of `text`, which `df`
// was parsed from; only of its bytes [begin, end) when given (the same spans, cut to them: the
// editor colours the lines in view only, a few instead of a big file's 10,000 per result).
std::vector<Span> highlight(std::string_view text, const syntax::Dockerfile& df, uint32_t begin = 0,
                            uint32_t end = UINT32_MAX);

}  // namespace dfplay::app
