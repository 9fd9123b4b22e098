#include "shell/pattern.h"

#include <doctest/doctest.h>

using namespace dfplay::shell;

namespace {
WorkBudget budget() { return WorkBudget{uint64_t{1} << 28, false}; }

std::string prefix(std::string_view p, std::string_view v, bool greedy) {
  WorkBudget b = budget();
  PatternResult r = trim_prefix(p, v, greedy, b);
  INFO("pattern " << p << " value " << v << " message " << r.message);
  CHECK(r.ok);
  return r.value;
}
std::string suffix(std::string_view p, std::string_view v, bool greedy) {
  WorkBudget b = budget();
  PatternResult r = trim_suffix(p, v, greedy, b);
  INFO("pattern " << p << " value " << v << " message " << r.message);
  CHECK(r.ok);
  return r.value;
}
std::string repl(std::string_view p, std::string_view v, std::string_view r, bool all) {
  WorkBudget b = budget();
  PatternResult res = replace(p, v, r, all, b);
  INFO("pattern " << p << " value " << v << " message " << res.message);
  CHECK(res.ok);
  return res.value;
}
}  // namespace

TEST_SUITE("shell") {

TEST_CASE("pattern: reverse_pattern keeps escape pairs (BuildKit's reversePattern)") {
  CHECK(reverse_pattern("a\\*c") == "c\\*a");
  CHECK(reverse_pattern("\\\\\\ab") == "b\\a\\\\");
  CHECK(reverse_pattern("ab\\") == "\\ba");
  CHECK(reverse_pattern("👽\\🚀🖖") == "🖖\\🚀👽");
  CHECK(reverse_pattern("\\\\b") == "b\\\\");
  CHECK(reverse_pattern("") == "");
}

TEST_CASE("pattern: escapes") {
  WorkBudget b = budget();
  CHECK(trim_prefix("\\*", "*x", true, b).value == "x");
  for (const char* bad : {"\\", "\\x", "\\\\\\"}) {
    const PatternResult r = trim_prefix(bad, "x", true, b);
    CHECK_FALSE(r.ok);
    CHECK(r.message.find("invalid pattern (") == 0);
  }
  CHECK(trim_prefix("\\x", "", true, b).message ==
        "invalid pattern (\\x) in substitution: invalid escape '\\x'");
  CHECK(trim_prefix("a\\", "", true, b).message ==
        "invalid pattern (a\\) in substitution: invalid escape '\\\xEF\xBF\xBD'");
  CHECK(prefix("\\}\\/", "}/x", true) == "x");  // \} and \/ are } and /
  CHECK(prefix("(()[]{}^$.|+", "(()[]{}^$.|+x", true) == "x");
}

TEST_CASE("pattern: shortest and longest prefix / suffix") {
  CHECK(prefix("*", "abc", false) == "abc");
  CHECK(prefix("*", "abc", true) == "");
  CHECK(prefix("?", "abc", true) == "bc");
  CHECK(prefix("a*c", "abcabc", false) == "abc");
  CHECK(prefix("a*c", "abcabc", true) == "");
  CHECK(prefix("*b?", "abcabc", false) == "abc");
  CHECK(prefix("*b?", "abcabc", true) == "");
  CHECK(prefix("**", "ab", true) == "");
  CHECK(prefix("*?*", "ab", false) == "b");
  CHECK(suffix("*", "abc", false) == "abc");
  CHECK(suffix("*", "abc", true) == "");
  CHECK(suffix("b*", "abcabc", false) == "abca");
  CHECK(suffix("b*", "abcabc", true) == "a");
  CHECK(suffix("", "abc", true) == "abc");
  CHECK(prefix("", "abc", false) == "abc");
  // Multi-byte runes.
  CHECK(prefix("?", "한국어", false) == "국어");
  CHECK(suffix("?", "한국어", false) == "한국");
  CHECK(prefix("한*", "한국어", true) == "");
  // A leading BOM in a pattern is dropped (Go's text/scanner).
  CHECK(prefix("\xEF\xBB\xBF" "a", "ab", false) == "b");
}

TEST_CASE("pattern: replace first and all") {
  CHECK(repl("b", "abcabc", "X", false) == "aXcabc");
  CHECK(repl("b", "abcabc", "X", true) == "aXcaXc");
  CHECK(repl("", "abc", "-", true) == "-a-b-c-");
  CHECK(repl("", "abc", "-", false) == "-abc");
  CHECK(repl("*", "abc", "-", true) == "-");
  CHECK(repl("x*", "abc", "-", true) == "abc");
  CHECK(repl("?", "a\nb", "-", true) == "-\n-");
  CHECK(repl("*", "a\n\nb", "-", true) == "-\n-\n-");
  CHECK(repl("b*", "abc\nabc", "-", true) == "a-\na-");
  CHECK(repl("?", "\xff", "-", true) == "-");  // an invalid byte is one rune
  CHECK(repl("a", "\xff" "a\xff", "-", true) == "\xff-\xff");
  // Templates (Go's Regexp.Expand) in replace-all only.
  CHECK(repl("b", "abc", "[$0]", true) == "a[b]c");
  CHECK(repl("b", "abc", "[${0}]", true) == "a[b]c");
  CHECK(repl("b", "abc", "[$00]", true) == "a[]c");
  CHECK(repl("b", "abc", "[${name}]", true) == "a[]c");
  CHECK(repl("b", "abc", "[${0]", true) == "a[${0]c");
  CHECK(repl("b", "abc", "[$$0]", true) == "a[$0]c");
  CHECK(repl("b", "abc", "$", true) == "a$c");
  CHECK(repl("b", "abc", "[$0]", false) == "a[$0]c");
}

TEST_CASE("pattern: leftmost-first priority like Go's regexp") {
  // Greedy stars: the first star takes as much as it can while the rest still matches.
  CHECK(repl("a*b*c", "xaabbcc-abc", "<>", false) == "x<>");
  CHECK(repl("*b", "abab", "-", false) == "-");
  CHECK(repl("?*?", "abc", "-", true) == "-");
  // Lazy stars (shortest prefix): the first star takes as little as possible.
  CHECK(prefix("*a*a", "baaaa", false) == "aa");
  CHECK(prefix("*a*a", "baaaa", true) == "");
}

TEST_CASE("pattern: the work budget stops runaway matching") {
  WorkBudget b{1000, false};
  const std::string value(10000, 'a');
  const PatternResult r = replace("*a*a*b", value, "x", true, b);
  CHECK_FALSE(r.ok);
  CHECK(b.exceeded);
}

}  // TEST_SUITE
