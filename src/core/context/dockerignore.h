// Reading a .dockerignore file the way BuildKit does (moby/patternmatcher's ignorefile.ReadAll
// followed by patternmatcher.New):
//
// - a UTF-8 BOM at the start is dropped; lines are split at '\n' (a trailing '\r' is dropped);
// - a line whose *first byte* is '#' is a comment ("  # x" is the pattern "# x");
// - each line is trimmed; empty lines are skipped;
// - a leading '!' marks an exception (the rest is trimmed again);
// - the pattern is cleaned (filepath.Clean) and one leading '/' is removed, so "/a/b",
//   "./a/b" and "a//b/" are all "a/b";
// - invalid patterns (bad character classes, a lone "!") are errors: BuildKit fails the build;
// - a line longer than 64 KiB makes BuildKit's line scanner fail ("token too long").
//
// Which file applies: BuildKit first looks for "<Dockerfile name>.dockerignore" next to the
// Dockerfile (e.g. "sub/x.Dockerfile.dockerignore" for "-f sub/x.Dockerfile") and, only when
// that file does not exist, for ".dockerignore" at the context root. An existing but empty
// Dockerfile-specific file still wins (and excludes nothing).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"
#include "context/pattern.h"
#include "syntax/diagnostic.h"

namespace dfplay::context {

struct IgnoreRule {
  std::string pattern;  // as handed to the matcher, e.g. "docs/*.md" or "!docs/KEEP.md"
  std::string line_text;  // the line as written (without the line break)
  uint32_t line = 0;      // 1-based
  Range range;            // the line in the file
  bool exclusion() const { return !pattern.empty() && pattern[0] == '!'; }
};

struct IgnoreFile {
  std::string path;                // "" when no ignore file applies
  std::vector<IgnoreRule> rules;   // every pattern line, in order
  PatternMatcher matcher;          // the valid rules, compiled
  Diagnostics diagnostics;         // code "dockerignore/..."; errors make BuildKit fail

  // The rule behind the matcher's pattern `pattern_index` (nullptr for -1).
  const IgnoreRule* rule_of(int pattern_index) const;
  bool empty() const { return matcher.empty(); }
};

IgnoreFile parse_dockerignore(std::string_view text, std::string path = ".dockerignore");

// The ignore file BuildKit would use for `dockerfile_path` (a context path, e.g. "Dockerfile"
// or "sub/x.Dockerfile"): "<dockerfile>.dockerignore" if it exists in `ctx`, else
// ".dockerignore" if it exists, else "".
std::string select_dockerignore(const BuildContext& ctx, std::string_view dockerfile_path = "Dockerfile");

// select_dockerignore + parse_dockerignore on the file's kept content. A selected file whose
// content was not kept gives a warning and no patterns.
// The patterns are then bounded by limit_match_work for `ctx`.
IgnoreFile load_dockerignore(const BuildContext& ctx, std::string_view dockerfile_path = "Dockerfile");

// Leaves out the patterns from the first one whose matching against `ctx` would take the work
// past limits::kMaxIgnoreMatchWork (estimated from the context's entries and path bytes and
// Pattern::cost_per_byte), with an error "limits/dockerignore-work" at its line.
void limit_match_work(IgnoreFile& f, const BuildContext& ctx);

}  // namespace dfplay::context
