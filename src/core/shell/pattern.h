// The patterns of `${VAR#pat}`, `${VAR##pat}`, `${VAR%pat}`, `${VAR%%pat}`, `${VAR/pat/repl}` and
// `${VAR//pat/repl}`, with BuildKit's rules (frontend/dockerfile/shell: a pattern is translated
// to a Go regular expression and matched with Go's leftmost-first semantics):
//
//   `*`  any run of characters (greedy for ##, %% and both replace forms; shortest for # and %)
//   `?`  one character
//   `\*` `\?` `\\`  the literal character; `\}` and `\/` are `}` and `/`; any other `\x` is an
//        error ("invalid escape '\x'"). The backslash is fixed here, whatever the escape token.
//   everything else is literal (no bracket expressions).
//
// As in Go's regexp, `*` and `?` never match a newline, matching works on runes (an invalid
// UTF-8 byte is one U+FFFD rune), and a leading U+FEFF in a pattern is dropped (Go's
// text/scanner skips a BOM). Replace-all expands `$0`, `${0}` and `$$` in the replacement
// like Go's Regexp.ReplaceAllString (other `$name` references expand to nothing).
//
// Matching never backtracks exponentially: it is a memoised search, O(text x pattern) at worst,
// and every operation spends from a shared work budget so pathological inputs end with an
// error instead of a hang.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace dfplay::shell {

// A budget of elementary steps (bytes written, characters compared) shared by one expansion.
struct WorkBudget {
  uint64_t remaining = 0;
  bool exceeded = false;
  bool spend(uint64_t n) {
    if (exceeded) return false;
    if (n > remaining) {
      exceeded = true;
      remaining = 0;
      return false;
    }
    remaining -= n;
    return true;
  }
};

// Outcome of one pattern operation: `ok` with `value`, or an error `message` (BuildKit's text,
// e.g. "invalid pattern (\x) in substitution: invalid escape '\x'"), or `budget.exceeded`.
struct PatternResult {
  bool ok = false;
  std::string value;
  std::string message;
};

// ${VAR#pat} (greedy=false) and ${VAR##pat} (greedy=true): remove the matching prefix.
PatternResult trim_prefix(std::string_view pattern, std::string_view value, bool greedy,
                          WorkBudget& budget);
// ${VAR%pat} and ${VAR%%pat}: remove the matching suffix. Like BuildKit (which reverses the
// value and the pattern), the value's invalid UTF-8 bytes come back as U+FFFD.
PatternResult trim_suffix(std::string_view pattern, std::string_view value, bool greedy,
                          WorkBudget& budget);
// ${VAR/pat/repl} (all=false: first match, replacement inserted literally) and
// ${VAR//pat/repl} (all=true: every match, replacement expanded like Go's ReplaceAllString).
PatternResult replace(std::string_view pattern, std::string_view value,
                      std::string_view replacement, bool all, WorkBudget& budget);

// BuildKit's reversePattern: reverses the runes of a pattern, keeping each `\x` pair in order.
std::string reverse_pattern(std::string_view pattern);

}  // namespace dfplay::shell
