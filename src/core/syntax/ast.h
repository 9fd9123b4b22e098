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
// that span continuation lines, `range` covers the whole span (continuation characters and
// comment lines in between included). `text` is the value as BuildKit stores it: quotes and
// escapes are kept for shell-form, ENV, LABEL and ARG words; JSON strings are decoded; flags
// have quotes and backslashes removed (BuildKit's extractBuilderFlags, which also re-encodes
// every non-ASCII byte of a flag as if it were a Latin-1 character, exactly like BuildKit).
struct Word {
  std::string text;
  Range range;
};

struct Heredoc {
  std::string name;     // the delimiter, quotes removed
  // The body as BuildKit stores it: the raw lines between the opener's instruction and the
  // closing delimiter, line endings included (so it ends with "\n", or "\r\n" for CRLF
  // files, unless empty). Leading tabs are NOT stripped here even when `chomp` is set: like
  // BuildKit, the consumer strips them (ChompHeredocContent) when it uses the body.
  std::string content;
  bool expand = true;   // false when the delimiter was quoted ('EOF', "EOF", E"O"F)
  bool chomp = false;   // <<-EOF: leading tabs are to be stripped from the body lines
  uint32_t fd = 0;      // file descriptor prefix, e.g. 3 for 3<<EOF (0 when absent)
  Range range;          // the body lines and the closing delimiter line
  Range opener_range;   // the `<<EOF` word in the instruction line
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
  // Whole instruction: from the keyword to the end of its last line (continuation lines and
  // heredoc bodies with their closing delimiter included; line endings excluded).
  Range range;
  Range keyword_range;
  // BuildKit's Flags: "--from=builder", "--link" (a boolean flag is kept without "=")...
  std::vector<Word> flags;
  // BuildKit's Next chain, one Word per node:
  //  - FROM, EXPOSE, and ADD/COPY/VOLUME in shell form: whitespace-separated words;
  //  - RUN, CMD, ENTRYPOINT, SHELL in shell form, USER, WORKDIR, STOPSIGNAL, MAINTAINER: one
  //    word, the whole rest of the instruction;
  //  - any exec (JSON) form: the decoded array elements (`json` is true);
  //  - ARG: the words, quotes kept (`ARG a=1 "b=2"`);
  //  - ENV and LABEL: triples (key, value, separator) where the separator is "=" for
  //    key=value and "" for the legacy `ENV key value` form (its range is empty then);
  //  - HEALTHCHECK: the type word (CMD, NONE...) then the command as for CMD;
  //  - ONBUILD: no args, the nested instruction is in `trigger`;
  //  - an unknown instruction: one empty word (BuildKit's parseIgnore), so the dump prints
  //    `(foo "")`.
  std::vector<Word> args;
  Range args_range;           // the text after the keyword and flags (empty range if none)
  bool json = false;          // exec (JSON array) form
  // Heredoc bodies, in the order of their openers. For `ONBUILD RUN <<EOF`, they are
  // attached to the ONBUILD node (as in BuildKit), not to its trigger.
  std::vector<Heredoc> heredocs;
  std::unique_ptr<Node> trigger;  // ONBUILD's instruction
  // BuildKit's Original: the instruction text, continuation lines joined with the escape
  // characters (and comment and empty lines) removed; for a trigger, the text after ONBUILD.
  std::string original;
  // BuildKit's PrevComment: the comment lines (text after '#', trimmed) since the previous
  // instruction; a line holding only '#' clears the list, blank lines do not.
  std::vector<std::string> comments;
  bool has_error = false;     // the parser reported an error for this instruction

  uint32_t start_line() const { return range.begin.line; }
  uint32_t end_line() const { return range.end.line; }
};

struct Dockerfile {
  char escape = '\\';       // from the escape directive: '\\' or '`'
  std::vector<Directive> directives;
  std::vector<Node> nodes;
  // Lines that were empty (or whitespace only) inside a continuation; BuildKit warns about them
  // (NoEmptyContinuation) and a future version will make them errors.
  std::vector<Range> empty_continuation_lines;
  Diagnostics diagnostics;
};

}  // namespace dfplay::syntax
