// Variable expansion and word splitting with the semantics of BuildKit's shell lexer
// (frontend/dockerfile/shell, `Lex.ProcessWord` / `ProcessWords` / `ProcessWordWithMatches`).
// BuildKit is the reference: where it differs from a POSIX shell, this follows BuildKit.
//
// What is recognised in a word:
//   $NAME  ${NAME}          the value; unset expands to "" (or is kept as written, skip_unset)
//   ${NAME:-w} ${NAME-w}    w when NAME is unset (`:` also when it is empty), else the value
//   ${NAME:+w} ${NAME+w}    w when NAME is set (`:` and non-empty), else ""
//   ${NAME:?m} ${NAME?m}    the value, or an error "NAME: m" when unset (`:` also when empty);
//                           without m: "NAME: is not allowed to be unset" / "... to be empty"
//   ${NAME#p} ${NAME##p}    the value without the shortest / longest prefix matching p
//   ${NAME%p} ${NAME%%p}    the value without the shortest / longest suffix matching p
//   ${NAME/p/r} ${NAME//p/r}  the first / every match of p replaced by r
//                           (p: `*`, `?`, `\*`, `\?`, `\\`, see shell/pattern.h)
//   '...'                   literal text (no escapes at all)
//   "..."                   text with $ expansions; the escape character escapes only
//                           `"`, `$` and itself, otherwise it stays
//   <escape>c               the character c, literally (a trailing escape is dropped)
// The words w, m, p and r are expanded recursively (quotes and nested ${...} included).
// NAME is letters, digits and `_` (Unicode letters and digits, as Go's unicode package sees
// them); a name starting with a digit is all the digits that follow (`$12x` = ${12} + "x");
// one of `@ * # ? - $ ! 0` alone is a special parameter. Positional and special parameters
// are only looked up in the Env like any other name, so they are normally unset.
// `$` not followed by a name or `{` is a literal `$`.
//
// Errors use BuildKit's messages: "syntax error: missing '}'", "syntax error: bad
// substitution" (`${}`, `${:...}`, `${{...`), "unsupported modifier (X) in substitution"
// (e.g. `${a=b}`, `${a:#b}`, `${a`), "unexpected end of statement while looking for matching
// single-quote" / "double-quote", "NAME: is not allowed to be unset", "invalid pattern (p) in
// substitution: invalid escape '\x'", "syntax error: missing '/' in ${}". BuildKit itself
// prefixes them with `failed to process "WORD": ` (see buildkit_error()).
//
// Word splitting (expand_words / Expansion::words): unquoted white space separates words;
// quoted text and escaped characters never split; the value of a $ expansion is split on its
// white space. Empty words are dropped (`""` alone yields no word). Like BuildKit's current
// lexer, whose word buffer is shared with nested ${NAME<op>word} expansions, the text of the
// current word that precedes such an expansion is dropped from the words (`ab${x:-c}d` gives
// the word "cd"); Expansion::word is not affected.
//
// Robustness: no recursion (nesting depth is only bounded by memory: 100,000 nested
// `${a:-${a:-...}}` are fine, on a 64 KB wasm stack too), linear time in the input for
// everything but patterns (memoised, no exponential backtracking), and a work budget
// (Options::work_limit) that turns pathological blow-ups (huge values repeated many times,
// huge patterns against huge values) into a clear error. Invalid UTF-8 and NUL bytes are
// accepted: like Go's text/scanner, an invalid byte reads as U+FFFD (and is written as its
// UTF-8 encoding); a leading U+FEFF (BOM) of the input is skipped.
//
// Which BuildKit instruction uses which options (dockerfile2llb, BuildKit 0.2x):
//   ENV, ARG, LABEL, WORKDIR, USER, VOLUME, STOPSIGNAL, COPY/ADD paths and --chown/--chmod,
//   FROM (image, --platform), RUN --mount values: expand_word, default options (some recent
//   frontend versions also set skip_unset in `dispatch`; check dockerfile2llb/convert.go);
//   EXPOSE: expand_words (each port word may split into several);
//   COPY/ADD heredoc bodies (when the delimiter is unquoted): expand_word with
//   skip_process_quotes (and skip_unset in the newest frontends), escape always '\\';
//   the RUN step name shown in the progress output: raw_quotes + skip_unset;
//   heredoc detection in the parser: expand_words with raw_quotes + raw_escapes + skip_unset
//   and an empty Env.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dfplay::shell {

// Variables for an expansion. Distinguishes unset from set-but-empty. Setting a name that
// exists replaces its value (the later definition wins, as with BuildKit's EnvsFromSlice) and
// keeps its original position in entries(). Names are case-sensitive (Linux semantics).
class Env {
 public:
  Env() = default;
  Env(std::initializer_list<std::pair<std::string_view, std::string_view>> vars);
  // From "NAME=VALUE" strings, like BuildKit's EnvsFromSlice: "NAME" alone means NAME="",
  // the first '=' separates, later entries win.
  static Env from_strings(const std::vector<std::string>& entries);

  void set(std::string_view name, std::string_view value);
  bool erase(std::string_view name);  // true if it was set

  // The value, or nullptr when unset. The pointer is valid until the Env is modified.
  const std::string* find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // (name, value) pairs in the order the names were first set.
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };
  std::vector<std::pair<std::string, std::string>> entries_;
  std::unordered_map<std::string, size_t, Hash, Eq> index_;
};

// BuildKit's Lex options. Defaults are ProcessWord's.
struct Options {
  char escape = '\\';                // the Dockerfile's escape character ('\\' or '`')
  bool skip_unset = false;           // SkipUnsetEnv: unset variables stay as written ($X,
                                     // ${X}, ${X:-w} with w expanded, ...), no error for them
  bool skip_process_quotes = false;  // SkipProcessQuotes: quotes are ordinary characters
  bool raw_quotes = false;           // RawQuotes: quotes are processed but kept in the result
  bool raw_escapes = false;          // RawEscapes: escape characters are kept in the result
  // Work limit (bytes produced + pattern steps); beyond it the expansion fails with
  // "expansion too large". The default is far above anything a real Dockerfile needs.
  uint64_t work_limit = uint64_t{1} << 28;
  // When set, the work left for a series of expansions (e.g. every word of one build, see
  // pipeline_limits.h): a call may use no more than what is left (and work_limit), spends what it
  // used, and a call that fails for lack of work leaves 0, so the calls after it fail at once.
  uint64_t* shared_budget = nullptr;
};

struct Expansion {
  bool ok = true;
  std::string word;                 // ProcessWord's result ("" on error)
  std::vector<std::string> words;   // ProcessWords' result (expand_words only; empty on error)
  // Every variable name looked up, in order of first lookup, each once (BuildKit: the union of
  // ProcessWordWithMatches' Matched and Unmatched). Nested words are evaluated before the
  // variable that owns them (`${A:-$B}` looks up B, then A), and all of them are evaluated,
  // whatever the values. Includes positional/special names ("1", "@") and "" for `${/a/b}`.
  std::vector<std::string> referenced;
  // The referenced names that were not set (BuildKit's Unmatched).
  std::vector<std::string> undefined;
  // On failure: BuildKit's message (without the `failed to process` prefix), and the byte
  // range of the input where the failing construct starts (its `$` or opening quote) and
  // where reading stopped. Names referenced before the failure are still reported.
  std::string error;
  size_t error_offset = 0;
  size_t error_end = 0;

  bool is_undefined(std::string_view name) const;
};

// ProcessWord: one string, quotes and escapes processed, variables expanded.
Expansion expand_word(std::string_view input, const Env& env, const Options& options = {});
// ProcessWords: the same, plus `words` (split on unquoted white space after expansion).
Expansion expand_words(std::string_view input, const Env& env, const Options& options = {});

// BuildKit's full error text: `failed to process "INPUT": MESSAGE` (INPUT quoted like Go's %q).
std::string buildkit_error(std::string_view input, const Expansion& e);

}  // namespace dfplay::shell
