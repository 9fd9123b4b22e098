// The .dockerignore / COPY --exclude / COPY --parents matcher, with the semantics of
// moby/patternmatcher (what BuildKit and the docker CLI use), quirks included:
//
// - A pattern is matched against the whole slash-separated path, anchored at the context root:
//   "*.md" matches "a.md" but not "docs/a.md" (use "**/*.md").
// - '*' and '?' never match '/'; "**" matches any number of directories ("a/**/b" matches
//   "a/b" and "a/x/y/b"); a trailing "/**" matches everything below but not the directory
//   itself; "[...]" classes come from Go regexp syntax ('^' negates, '!' does not).
// - Patterns are classified like patternmatcher does: a pattern without special characters
//   is an exact comparison; "prefix/**" a prefix test; a pattern starting with "**" and
//   otherwise plain is a *suffix* test, so "**foo" matches "xfoo" and "a/xfoo" (BuildKit
//   does this); everything else is translated to a regular expression exactly like BuildKit
//   (so "[*]" or "a^b" behave as oddly as they do there) and run on a small Pike VM
//   (linear time, no backtracking).
// - Exclusions ('!') and the parent-directory rule are evaluated like fsutil's walker
//   (PatternMatcher.MatchesUsingParentResults): a path matches a pattern when the pattern
//   matches the path itself or matched its parent directory; the last matching pattern wins,
//   but a pattern is only evaluated when it could change the answer, and a parent's skipped
//   pattern is not inherited. Consequence (checked against Docker 26 / BuildKit 0.13):
//   with "q", "!q/b", "q" the file q/b is *included*.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::context {

namespace detail {
struct Program;  // compiled regular expression (pattern.cpp)
// Regular expressions run on a DFA when it is small, else on a Pike VM. Tests switch the DFA
// off to check both give the same answers.
bool& dfa_enabled();
}

class Pattern {
 public:
  enum class Kind : uint8_t { Exact, Prefix, Suffix, Regexp };

  // Compiles one cleaned pattern ('!' already removed). On a syntax error returns nullopt
  // and sets `error` to a lower-case reason.
  // `dfa_budget`, when given, is the work its DFA construction may still spend (shared by the
  // patterns of one matcher, see PatternMatcher::kMaxDfaWork); what it spends is taken off.
  static std::optional<Pattern> compile(std::string_view cleaned, bool exclusion, std::string* error,
                                        uint64_t* dfa_budget = nullptr);

  bool match(std::string_view path) const;
  // The work of one match per byte of the path, in the units of PatternMatcher's budgets: 0 for
  // the plain kinds (one comparison), 1 for a regular expression run as a DFA, the program's
  // size for one run on the Pike VM (every live instruction steps on every byte).
  uint64_t cost_per_byte() const;

  const std::string& text() const { return text_; }   // cleaned, without '!'
  bool exclusion() const { return exclusion_; }
  Kind kind() const { return kind_; }
  const std::string& regexp() const { return regexp_; }  // BuildKit's regular expression

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  Pattern(const Pattern&);
  Pattern& operator=(const Pattern&);
  ~Pattern();

 private:
  Pattern() = default;
  std::string text_;
  std::string regexp_;
  bool exclusion_ = false;
  Kind kind_ = Kind::Exact;
  detail::Program* program_ = nullptr;
};

// A bit per pattern: which patterns matched a directory (handed down to its children).
using MatchBits = std::vector<uint64_t>;

class PatternMatcher {
 public:
  struct Error {
    size_t index;         // index into the input list
    std::string message;  // e.g. `illegal exclusion pattern: "!"`, `syntax error in pattern`
  };

  PatternMatcher() = default;

  // The DFA constructions of all the patterns of one matcher together spend at most this much
  // work (about 2.7 ns a unit natively): past it, the remaining regular expressions run on the
  // Pike VM. One pattern's construction alone gives up after 2^23.
  static constexpr uint64_t kMaxDfaWork = uint64_t{1} << 24;

  // patternmatcher.New: each entry is trimmed, skipped when empty, cleaned (filepath.Clean),
  // split into '!' + pattern and syntax-checked. Invalid entries are left out and reported.
  static PatternMatcher build(const std::vector<std::string>& patterns, std::vector<Error>* errors);

  size_t size() const { return patterns_.size(); }
  bool empty() const { return patterns_.empty(); }
  const Pattern& pattern(size_t i) const { return patterns_[i]; }
  size_t source_index(size_t i) const { return source_[i]; }  // index into build()'s input
  bool has_exclusions() const { return has_exclusions_; }
  // Keeps the first `n` patterns only (a limit reached: the rest are left out).
  void truncate(size_t n);
  size_t words() const { return (patterns_.size() + 63) / 64; }

  // The path matches some pattern and no later '!' pattern (no parent rule).
  bool matches_exact(std::string_view path) const;
  // Like matches_exact, but a pattern also matches when it matches any parent directory.
  // (BuildKit's CopyIgnoredFile check uses this.) `decided_by` gets the last matching
  // pattern's index, or -1.
  bool matches_or_parent_matches(std::string_view path, int* decided_by = nullptr) const;

  // One step of a pre-order tree walk (fsutil): `parent` holds the bits of the parent
  // directory (nullptr at the top of the walk), `out` receives this path's bits (resized to
  // words()). Returns whether the path is matched (excluded, for an ignore file);
  // `decided_by` gets the index of the pattern that decided it, or -1.
  bool match_in_walk(std::string_view path, const uint64_t* parent, uint64_t* out, int* decided_by = nullptr) const;

  // True when some '!' pattern could match `dir` or something below it (BuildKit skips an
  // excluded directory when none can). Conservative: true for any wildcard exception.
  bool exception_may_match_below(std::string_view dir) const;

 private:
  void note_exclusion(const Pattern& p);

  std::vector<Pattern> patterns_;
  std::vector<size_t> source_;
  bool has_exclusions_ = false;
  bool only_prefix_exceptions_ = true;
};

}  // namespace dfplay::context
