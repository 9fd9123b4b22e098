// Resolving a COPY/ADD source (after variable expansion) against the build context the way
// BuildKit does. Only local sources: URLs and git sources are the caller's business.
//
// Rules (BuildKit's dockerfile2llb + fsutil copy + contenthash; the ones marked * were checked
// against Docker 26.1 / BuildKit 0.13 with shared/oracle):
//
// - The source is joined to "/" and cleaned: "./a/", "/a", "a/." all mean "a"; ".." cannot
//   leave the context, it is dropped at the root: "../x" is "x" (*). BuildKit does not fail;
//   we set `escaped` and add a warning ("copy/source-outside-context").
// - Wildcards ('*', '?', '[', unescaped) use Go's filepath.Match per path component: '*' never
//   crosses '/', and "**" is just "*" (*: `COPY **/*.txt` copies a/d.txt but not a/b/c.txt nor
//   top.txt). The part of the path before the first component with a wildcard is resolved
//   (following symlinks), then every entry below it is matched against the rest; a matching
//   directory is taken whole and not searched further.
// - A wildcard that matches nothing is NOT an error in BuildKit: nothing is copied (*). We add
//   a warning ("copy/no-match").
// - A source without wildcards that does not exist (or is excluded by .dockerignore) is an
//   error (*). BuildKit says: failed to compute cache key: failed to calculate checksum of ref
//   <id>: "/nope": not found. We say: source "nope" not found in the build context (and name
//   the .dockerignore line when that is why).
// - A matched directory means its contents (*): items are relative to it. A matched file is
//   one item named by its base name. Symlinks named by the source are followed; symlinks
//   inside a copied directory are copied as symlinks.
// - --exclude=PATTERN (repeatable): patternmatcher patterns (like .dockerignore, '**' works)
//   matched against paths relative to each matched source; the matched source itself is not
//   tested (code reading of fsutil copy/contenthash; not checked with an engine: the oracle's
//   frontend 1.7 has no --exclude). An excluded directory's contents are excluded unless a
//   '!' pattern re-includes them.
// - --parents: the source is split at the first "/./" into a pivot and a pattern (no "/./":
//   the pivot is the context root and the whole source is the pattern). The pattern is a
//   patternmatcher include pattern relative to the pivot ('**' works), and items keep their
//   path from the pivot: `COPY --parents x/./y/*.txt /p/` gives /p/y/a.txt. Without wildcards
//   the path must exist. (Code reading of convert_copy.go; frontend 1.7 lacks --parents.)
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "context/filter.h"
#include "syntax/diagnostic.h"

namespace dfplay::context {

struct CopyOptions {
  std::vector<std::string> excludes;  // --exclude patterns
  bool parents = false;               // --parents
  Range range;                        // the source word in the Dockerfile (for diagnostics)
};

struct CopyRoot {
  std::string path;   // the matched context path as BuildKit names it ("" is the root)
  uint32_t entry;     // the entry copied (symlinks followed)
  bool dir;           // a directory: its contents are copied
};

struct CopyItem {
  uint32_t entry;       // context entry (file, dir or symlink)
  uint32_t root;        // index into CopySource::roots
  uint32_t rel_offset;  // see CopySource::rel
};

struct CopySource {
  std::string source;   // as given
  std::string cleaned;  // context path after cleaning ("" is the root)
  bool wildcard = false;
  bool escaped = false;      // ".." above the root was dropped
  std::string pivot;         // --parents: the directory paths are kept from
  std::string pattern;       // --parents: the include pattern
  std::vector<CopyRoot> roots;
  std::vector<CopyItem> items;  // pre-order; directories before their contents
  uint32_t files = 0;           // regular files among items
  uint64_t bytes = 0;           // their total size
  Diagnostics diagnostics;      // codes "copy/..."

  bool ok() const { return !diagnostics.has_errors(); }
  // The path an item lands at, relative to the destination directory. A matched file (or a
  // symlink to one) keeps the name the source matched, as in BuildKit.
  std::string_view rel(const BuildContext& ctx, const CopyItem& item) const;
};

CopySource resolve_copy_source(const FilteredContext& view, std::string_view source, const CopyOptions& options = {});

std::vector<CopySource> resolve_copy_sources(const FilteredContext& view, const std::vector<std::string>& sources,
                                             const CopyOptions& options = {});

// BuildKit's CopyIgnoredFile check: is `source` (cleaned with filepath.Clean, not made
// relative, so "/x" never matches) matched by the ignore file, with the parent rule
// (MatchesOrParentMatches)? Returns the deciding pattern index (IgnoreFile::rule_of) or -1.
// Note BuildKit only runs the check when the ignore file has no '!' exceptions.
int ignore_rule_for_source(const IgnoreFile& ignore, std::string_view source);

}  // namespace dfplay::context
