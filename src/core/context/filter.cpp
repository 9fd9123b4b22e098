#include "context/filter.h"

namespace dfplay::context {

std::string_view visibility_name(Visibility v) {
  switch (v) {
    case Visibility::Included: return "included";
    case Visibility::Excluded: return "excluded";
    case Visibility::Parent: return "parent";
  }
  return "included";
}

static void count(ContextStats& s, const BuildContext& ctx, uint32_t i) {
  switch (ctx.type(i)) {
    case EntryType::File:
      ++s.files;
      s.bytes += ctx.file_size(i);
      break;
    case EntryType::Dir: ++s.dirs; break;
    case EntryType::Symlink: ++s.symlinks; break;
  }
}

ContextStats stats_of(const BuildContext& ctx) {
  ContextStats s;
  s.files = ctx.file_count();
  s.dirs = ctx.dir_count();
  s.symlinks = ctx.symlink_count();
  s.bytes = ctx.total_bytes();
  return s;
}

FilteredContext::FilteredContext(const BuildContext& ctx) : ctx_(&ctx) {
  before_ = stats_of(ctx);
  after_ = before_;
}

FilteredContext::FilteredContext(const BuildContext& ctx, const IgnoreFile& ignore) : ctx_(&ctx), ignore_(&ignore) {
  before_ = stats_of(ctx);
  const PatternMatcher& m = ignore.matcher;
  if (m.empty()) {
    after_ = before_;
    return;
  }
  const uint32_t n = ctx.size();
  vis_.assign(n, uint8_t(Visibility::Included));
  rule_.assign(n, -1);
  const size_t words = m.words();
  // bits of the most recent directory at each depth (its children read them)
  std::vector<uint64_t> bits;
  auto row = [&](uint32_t depth) -> uint64_t* {
    if (bits.size() < (depth + 1) * words) bits.resize((depth + 1) * words);
    return bits.data() + depth * words;
  };

  for (uint32_t i = 1; i < n;) {
    const uint32_t d = ctx.depth(i);
    uint64_t* out = row(d);  // may grow `bits`: take the parent's row afterwards
    const uint64_t* parent = d > 1 ? bits.data() + (d - 1) * words : nullptr;
    int decided = -1;
    bool excluded = m.match_in_walk(ctx.path(i), parent, out, &decided);
    rule_[i] = decided;
    if (!excluded) {
      // sent: make sure the (excluded) directories above it are sent too
      for (uint32_t p = ctx.parent(i); p != BuildContext::root && vis_[p] == uint8_t(Visibility::Excluded);
           p = ctx.parent(p))
        vis_[p] = uint8_t(Visibility::Parent);
      ++i;
      continue;
    }
    vis_[i] = uint8_t(Visibility::Excluded);
    if (ctx.is_dir(i) && !m.exception_may_match_below(ctx.path(i))) {
      // BuildKit skips the directory: nothing below can be re-included
      const uint32_t end = ctx.subtree_end(i);
      for (uint32_t j = i + 1; j < end; ++j) {
        vis_[j] = uint8_t(Visibility::Excluded);
        rule_[j] = decided;
      }
      i = end;
      continue;
    }
    ++i;
  }
  for (uint32_t i = 1; i < n; ++i)
    if (vis_[i] != uint8_t(Visibility::Excluded)) count(after_, ctx, i);
}

uint32_t FilteredContext::resolve(std::string_view clean_path, bool follow_last, std::string* error) const {
  if (vis_.empty()) return ctx_->resolve(clean_path, follow_last, error);
  return ctx_->resolve(clean_path, follow_last, error, [this](uint32_t i) { return visible(i); });
}

}  // namespace dfplay::context
