// A tiny regular-expression engine for the subset of Go's RE2 syntax that BuildKit's pattern
// translation can produce (context/pattern.cpp is its only user): literals, escapes, '.', classes
// (ranges, negation, POSIX names, \d \s \w), groups, '*', '+', '?', '^', '$', \b \B \A \z. A program
// runs as a DFA when it is small, else on a Pike VM: linear in the input for a fixed program, never
// exponential.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dfplay::context::detail {

using Range32 = std::pair<char32_t, char32_t>;

struct RuneSet {
  std::vector<Range32> ranges;  // sorted, merged
  bool contains(char32_t r) const {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), r,
                               [](char32_t v, const Range32& x) { return v < x.first; });
    if (it == ranges.begin()) return false;
    --it;
    return r <= it->second;
  }
};

constexpr char32_t kMaxRune = 0x10FFFF;

struct Inst {
  enum Op : uint8_t { Set, Split, Jmp, Begin, End, WordB, NotWordB, Match } op;
  uint32_t a = 0, b = 0;
};

// A DFA built from the program when it is small (most BuildKit patterns give a handful of
// states): one table lookup per rune. Programs with word-boundary assertions, or whose DFA
// would be too big, run on the Pike VM instead.
struct Dfa {
  bool ok = false;
  std::vector<char32_t> bounds;  // rune class k is [bounds[k], bounds[k + 1])
  uint16_t ascii[128] = {};      // class of each ASCII rune
  size_t nclasses = 0;
  std::vector<int32_t> next;     // state * nclasses + class -> state, -1: no match possible
  std::vector<uint8_t> accept;   // the state accepts at the end of the input
  int32_t start = -1;
  bool accept_empty = false;     // the empty input matches

  size_t class_of(char32_t r) const {
    if (r < 128) return ascii[r];
    auto it = std::upper_bound(bounds.begin(), bounds.end(), r);
    return static_cast<size_t>(it - bounds.begin()) - 1;
  }
};

struct Program {
  std::vector<Inst> code;
  std::vector<RuneSet> sets;
  Dfa dfa;
};

// Compiles `re` into `prog` (and its DFA when small enough). `dfa_budget`, when given, is the
// work the DFA construction may still spend; what it spends is taken off. On a syntax error
// returns false and sets `error`.
bool compile_regexp(std::string_view re, Program& prog, std::string* error, uint64_t* dfa_budget);
bool run_program(const Program& p, std::string_view s);
bool& dfa_enabled();  // declared for tests in context/pattern.h too

}  // namespace dfplay::context::detail
