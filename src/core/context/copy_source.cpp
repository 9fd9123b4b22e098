#include "context/copy_source.h"

#include <fmt/format.h>

#include "context/glob.h"
#include "context/path.h"

namespace dfplay::context {
namespace {

// Splits a clean context path at the first component with a wildcard (fsutil's
// splitWildcards): "a/b*/c" -> {"a", "b*/c"}.
void split_wildcards(std::string_view p, std::string& fixed, std::string& rest) {
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    size_t end = slash == std::string_view::npos ? p.size() : slash;
    if (has_wildcards(p.substr(start, end - start))) {
      fixed = std::string(p.substr(0, start == 0 ? 0 : start - 1));
      rest = std::string(p.substr(start));
      return;
    }
    if (slash == std::string_view::npos) break;
    start = end + 1;
  }
  fixed = std::string(p);
  rest.clear();
}

class Walker {
 public:
  Walker(const FilteredContext& view, const PatternMatcher* include, const PatternMatcher* exclude,
         CopySource& out)
      : view_(view), ctx_(view.context()), include_(include), exclude_(exclude), out_(out) {}

  // The contents of directory `dir` (root `root_index`).
  void walk(uint32_t dir, uint32_t root_index) {
    const uint32_t rel_offset = dir == BuildContext::root ? 0 : static_cast<uint32_t>(ctx_.path(dir).size() + 1);
    const uint32_t base_depth = ctx_.depth(dir);
    const uint32_t end = ctx_.subtree_end(dir);
    const size_t iw = include_ ? include_->words() : 0;
    const size_t ew = exclude_ ? exclude_->words() : 0;
    std::vector<uint64_t> ibits, ebits;
    std::vector<uint32_t> chain;   // directories on the current path, by relative depth
    std::vector<uint8_t> emitted;  // whether chain[k] was emitted
    for (uint32_t j = dir + 1; j < end;) {
      if (!view_.visible(j)) {
        j = ctx_.subtree_end(j);
        continue;
      }
      const uint32_t r = ctx_.depth(j) - base_depth;  // 1 for direct children
      std::string_view rel = ctx_.path(j).substr(rel_offset);
      bool selected = true;
      bool skip_below = false;
      if (include_) {
        if (ibits.size() < (r + 1) * iw) ibits.resize((r + 1) * iw);
        uint64_t* o = ibits.data() + r * iw;
        const uint64_t* p = r > 1 ? ibits.data() + (r - 1) * iw : nullptr;
        selected = include_->match_in_walk(rel, p, o);
      }
      if (exclude_) {
        if (ebits.size() < (r + 1) * ew) ebits.resize((r + 1) * ew);
        uint64_t* o = ebits.data() + r * ew;
        const uint64_t* p = r > 1 ? ebits.data() + (r - 1) * ew : nullptr;
        if (exclude_->match_in_walk(rel, p, o)) {
          selected = false;
          if (ctx_.is_dir(j) && !exclude_->exception_may_match_below(rel)) skip_below = true;
        }
      }
      if (chain.size() < r + 1) {
        chain.resize(r + 1);
        emitted.resize(r + 1);
      }
      if (selected) {
        for (uint32_t k = 1; k < r; ++k) {
          if (!emitted[k]) {
            emit(chain[k], root_index, rel_offset);
            emitted[k] = 1;
          }
        }
        emit(j, root_index, rel_offset);
      }
      chain[r] = j;
      emitted[r] = selected ? 1 : 0;
      j = skip_below ? ctx_.subtree_end(j) : j + 1;
    }
  }

  void emit(uint32_t e, uint32_t root_index, uint32_t rel_offset) {
    out_.items.push_back({e, root_index, rel_offset});
    if (ctx_.is_file(e)) {
      ++out_.files;
      out_.bytes += ctx_.file_size(e);
    }
  }

 private:
  const FilteredContext& view_;
  const BuildContext& ctx_;
  const PatternMatcher* include_;
  const PatternMatcher* exclude_;
  CopySource& out_;
};

std::string display(std::string_view p) { return p.empty() ? std::string(".") : std::string(p); }

// Why `path` is missing: excluded by the ignore file, or simply absent.
void not_found(const FilteredContext& view, std::string_view path, const Range& range, CopySource& out) {
  // BuildKit: failed to compute cache key: failed to calculate checksum of ref <id>: "/path": not found
  const BuildContext& ctx = view.context();
  std::string err;
  uint32_t raw = ctx.resolve(path, true, &err);
  if (err == "too many links") {
    out.diagnostics.error(range, "copy/symlink-loop",
                          fmt::format("source \"{}\": too many levels of symbolic links", display(path)));
    return;
  }
  if (raw != BuildContext::npos && view.ignore()) {
    // the entry (or a directory above it) is excluded
    for (uint32_t e = raw; e != BuildContext::root && e != BuildContext::npos; e = ctx.parent(e)) {
      if (!view.visible(e)) {
        const IgnoreRule* rule = view.rule(e);
        std::string why = rule ? fmt::format("{} line {} (\"{}\")", view.ignore()->path, rule->line, rule->line_text)
                               : view.ignore()->path;
        out.diagnostics.error(range, "copy/source-excluded",
                              fmt::format("source \"{}\" not found in the build context: it is excluded by {}",
                                          display(path), why));
        return;
      }
    }
  }
  // a symlink whose target is missing (targets resolve inside the context: "/etc/passwd"
  // means <context>/etc/passwd)
  uint32_t link = ctx.resolve(path, false);
  if (link != BuildContext::npos && ctx.is_symlink(link) && view.visible(link)) {
    out.diagnostics.error(range, "copy/source-not-found",
                          fmt::format("source \"{}\" is a symlink to \"{}\", which is not in the build context "
                                      "(symlink targets resolve inside the context)",
                                      display(path), ctx.symlink_target(link)));
    return;
  }
  out.diagnostics.error(range, "copy/source-not-found",
                        fmt::format("source \"{}\" not found in the build context", display(path)));
}

// Adds the roots for one source path (wildcards allowed); false when there is an error.
bool find_roots(const FilteredContext& view, std::string_view cleaned, const Range& range, CopySource& out,
                bool required) {
  const BuildContext& ctx = view.context();
  std::string fixed, rest;
  split_wildcards(cleaned, fixed, rest);
  if (rest.empty()) {
    std::string err;
    uint32_t e = view.resolve(cleaned, true, &err);
    if (e == BuildContext::npos) {
      if (required) not_found(view, cleaned, range, out);
      return !required;
    }
    out.roots.push_back({std::string(cleaned), e, ctx.is_dir(e)});
    return true;
  }
  out.wildcard = true;
  std::string why;
  if (!glob_valid(rest, &why)) {
    out.diagnostics.error(range, "copy/bad-pattern",
                          fmt::format("invalid wildcard in source \"{}\": syntax error in pattern ({})", out.source, why));
    return false;
  }
  uint32_t base = view.resolve(fixed, true);
  if (base == BuildContext::npos || !ctx.is_dir(base)) return true;  // no matches
  // A match is at most as deep as the number of '/' the pattern can consume.
  uint32_t max_depth = 1;
  for (char c : rest)
    if (c == '/' || c == '[') ++max_depth;
  const uint32_t rel_offset = base == BuildContext::root ? 0 : static_cast<uint32_t>(ctx.path(base).size() + 1);
  const uint32_t base_depth = ctx.depth(base);
  const uint32_t end = ctx.subtree_end(base);
  for (uint32_t j = base + 1; j < end;) {
    if (!view.visible(j) || ctx.depth(j) - base_depth > max_depth) {
      j = ctx.subtree_end(j);
      continue;
    }
    std::string_view rel = ctx.path(j).substr(rel_offset);
    if (glob_match(rest, rel)) {
      std::string name = join_path(fixed, rel);
      uint32_t e = j;
      if (ctx.is_symlink(j)) {
        e = view.resolve(name, true);
        if (e == BuildContext::npos) {
          not_found(view, name, range, out);
          return false;
        }
      }
      out.roots.push_back({std::move(name), e, ctx.is_dir(e)});
      j = ctx.subtree_end(j);  // a matched directory is not searched further
      continue;
    }
    ++j;
  }
  return true;
}

}  // namespace

std::string_view CopySource::rel(const BuildContext& ctx, const CopyItem& item) const {
  const CopyRoot& r = roots[item.root];
  if (!r.dir && item.entry == r.entry) return base_name(r.path);
  return ctx.path(item.entry).substr(item.rel_offset);
}

CopySource resolve_copy_source(const FilteredContext& view, std::string_view source, const CopyOptions& options) {
  const BuildContext& ctx = view.context();
  CopySource out;
  out.source = std::string(source);
  const Range& range = options.range;

  PatternMatcher exclude;
  if (!options.excludes.empty()) {
    std::vector<PatternMatcher::Error> errors;
    exclude = PatternMatcher::build(options.excludes, &errors);
    for (const auto& e : errors)
      out.diagnostics.error(range, "copy/bad-exclude",
                            fmt::format("invalid --exclude pattern \"{}\": {}", options.excludes[e.index], e.message));
    if (!errors.empty()) return out;
  }
  const PatternMatcher* exclude_ptr = exclude.empty() ? nullptr : &exclude;

  std::string_view src = source;
  PatternMatcher include;
  bool use_include = false;
  bool parents_required = false;
  if (options.parents) {
    size_t cut = src.find("/./");
    std::string_view pattern_part = src;
    std::string_view pivot_part = "/";
    if (cut != std::string_view::npos) {
      pivot_part = src.substr(0, cut);
      pattern_part = src.substr(cut + 3);
    }
    out.pattern = context_relative(pattern_part);
    out.pivot = context_relative(pivot_part);
    // BuildKit passes [pattern]; an empty pattern ("." or "/") leaves the matcher with no
    // pattern at all, which includes nothing (code reading; not checked with an engine).
    include = PatternMatcher::build({out.pattern}, nullptr);
    use_include = true;
    parents_required = !has_wildcards(pivot_part) && !has_wildcards(pattern_part);
    src = pivot_part;
  }

  bool escaped = false;
  out.cleaned = context_relative(src, &escaped);
  if (options.parents) {
    bool esc2 = false;
    context_relative(source, &esc2);
    escaped = escaped || esc2;
  }
  out.escaped = escaped;
  if (escaped) {
    out.diagnostics.warning(range, "copy/source-outside-context",
                            fmt::format("source \"{}\" points outside the build context; BuildKit drops the "
                                        "leading \"..\" and copies \"{}\"",
                                        source, display(options.parents ? join_path(out.pivot, out.pattern) : out.cleaned)));
  }

  if (parents_required) {
    std::string required = join_path(out.cleaned, out.pattern);
    if (view.resolve(required, true) == BuildContext::npos) {
      not_found(view, required, range, out);
      return out;
    }
  }

  if (!find_roots(view, out.cleaned, range, out, /*required=*/true)) return out;
  if (out.roots.empty()) {
    out.diagnostics.warning(range, "copy/no-match",
                            fmt::format("no file in the build context matches \"{}\"; BuildKit copies nothing "
                                        "for it and does not fail",
                                        source));
    return out;
  }

  Walker walker(view, use_include ? &include : nullptr, exclude_ptr, out);
  for (uint32_t r = 0; r < out.roots.size(); ++r) {
    const CopyRoot& root = out.roots[r];
    if (root.dir) {
      walker.walk(root.entry, r);
    } else {
      std::string_view p = ctx.path(root.entry);
      walker.emit(root.entry, r, static_cast<uint32_t>(p.size() - base_name(p).size()));
    }
  }
  return out;
}

std::vector<CopySource> resolve_copy_sources(const FilteredContext& view, const std::vector<std::string>& sources,
                                             const CopyOptions& options) {
  std::vector<CopySource> out;
  out.reserve(sources.size());
  for (const auto& s : sources) out.push_back(resolve_copy_source(view, s, options));
  return out;
}

int ignore_rule_for_source(const IgnoreFile& ignore, std::string_view source) {
  if (ignore.matcher.empty()) return -1;
  int decided = -1;
  std::string src = clean_path(source);
  if (!ignore.matcher.matches_or_parent_matches(src, &decided)) return -1;
  return decided;
}

}  // namespace dfplay::context
