// The Dockerfile AST, shaped like BuildKit's parser.Node so that `dump()` can print BuildKit's
// AST dump exactly, plus precise source ranges for the editor.
//
// Ownership: syntax/ (parser.cpp, dump.cpp, ast_json.cpp). Later stages only read it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "syntax/diagnostic.h"
#include "syntax/source.h"

namespace dfplay::syntax {

enum class Keyword : uint8_t {
  Unknown,
  Add, Arg, Cmd, Copy, Entrypoint, Env, Expose, From, Healthcheck, Label, Maintainer,
  Onbuild, Run, Shell, Stopsignal, User, Volume, Workdir,
};

// Lower-case name as in BuildKit's dump ("from", "run", ...); "" for Unknown.
std::string_view keyword_name(Keyword k);
// Case-insensitive lookup; Keyword::Unknown if it is not one of the 18 instructions.
Keyword keyword_from(std::string_view word);

// One argument or flag, with the range of source bytes it came from. For shell-form arguments
// that span continuation lines, `range` covers the whole span.
struct Word {
  std::string text;
  Range range;
};

struct Heredoc {
  std::string name;     // the delimiter, quotes removed
  std::string content;  // the body as BuildKit stores it (ends with "\n" unless empty)
  bool expand = true;   // false when the delimiter was quoted ('EOF' or "EOF")
  bool chomp = false;   // <<-EOF: leading tabs are stripped from the body
  Range range;          // the body lines and the closing delimiter line
};

// A parser directive at the top of the file: `# syntax=...`, `# escape=...`, `# check=...`.
struct Directive {
  std::string name;   // lower case
  std::string value;
  Range range;
};

// One instruction (BuildKit: a child of the root Node).
struct Node {
  Keyword keyword = Keyword::Unknown;
  std::string keyword_text;   // as written, e.g. "from" or "FROM" (casing checks need it)
  Range range;                // whole instruction: continuation lines and heredoc bodies included
  Range keyword_range;
  std::vector<Word> flags;    // "--from=builder" as written, in order
  // BuildKit's Next chain. For ENV and LABEL: triples (key, value, separator) where the
  // separator is "=" for key=value and "" for the legacy `ENV key value` form.
  std::vector<Word> args;
  bool json = false;          // exec (JSON array) form
  std::vector<Heredoc> heredocs;
  std::unique_ptr<Node> trigger;  // ONBUILD's instruction
  std::string original;           // the instruction text, continuations joined (BuildKit's Original)
  std::vector<std::string> comments;  // comment lines directly above (BuildKit's PrevComment)

  uint32_t start_line() const { return range.begin.line; }
  uint32_t end_line() const { return range.end.line; }
};

struct Dockerfile {
  char escape = '\\';
  std::vector<Directive> directives;
  std::vector<Node> nodes;
  // Lines that were empty (or whitespace only) inside a continuation; BuildKit warns about them
  // (NoEmptyContinuation) and a future version will make them errors.
  std::vector<Range> empty_continuation_lines;
  Diagnostics diagnostics;
};

}  // namespace dfplay::syntax
