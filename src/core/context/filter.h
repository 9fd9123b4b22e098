// The context as BuildKit receives it: the BuildContext with an ignore file applied (what
// fsutil's walker sends for `docker build`).
//
// - Every entry is tested against the patterns with its path and its parent's results (see
//   pattern.h). Excluded entries are not sent.
// - An excluded directory that contains an included entry (re-included with '!') is still
//   sent, as a directory: Visibility::Parent.
// - A directory that is not excluded is sent even when everything inside it is ("e/**" keeps
//   an empty "e").
// - The Dockerfile and the ignore file are ordinary entries: they are sent unless a pattern
//   excludes them, so `COPY . .` copies them.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "context/build_context.h"
#include "context/dockerignore.h"

namespace dfplay::context {

enum class Visibility : uint8_t {
  Included,  // sent
  Excluded,  // not sent
  Parent,    // excluded directory, sent because something below it is included
};
std::string_view visibility_name(Visibility v);  // "included", "excluded", "parent"

struct ContextStats {
  uint32_t files = 0, dirs = 0, symlinks = 0;  // dirs without the root
  uint64_t bytes = 0;                          // regular files
};

class FilteredContext {
 public:
  // Everything visible (no ignore file). The view keeps pointers: `ctx` and `ignore` must
  // outlive it (temporaries are refused).
  explicit FilteredContext(const BuildContext& ctx);
  FilteredContext(const BuildContext& ctx, const IgnoreFile& ignore);
  explicit FilteredContext(BuildContext&&) = delete;
  FilteredContext(const BuildContext&, IgnoreFile&&) = delete;
  FilteredContext(BuildContext&&, const IgnoreFile&) = delete;

  const BuildContext& context() const { return *ctx_; }
  const IgnoreFile* ignore() const { return ignore_; }

  bool visible(uint32_t i) const { return vis_.empty() || vis_[i] != uint8_t(Visibility::Excluded); }
  Visibility visibility(uint32_t i) const { return vis_.empty() ? Visibility::Included : Visibility(vis_[i]); }
  // The matcher pattern that decided entry i (index for IgnoreFile::rule_of), or -1. For an
  // excluded entry this is the excluding pattern; for an included one a '!' exception or -1.
  int decided_by(uint32_t i) const { return rule_.empty() ? -1 : rule_[i]; }
  const IgnoreRule* rule(uint32_t i) const { return ignore_ ? ignore_->rule_of(decided_by(i)) : nullptr; }

  const ContextStats& before() const { return before_; }
  const ContextStats& after() const { return after_; }

  // resolve() restricted to the visible entries.
  uint32_t resolve(std::string_view clean_path, bool follow_last, std::string* error = nullptr) const;

 private:
  const BuildContext* ctx_;
  const IgnoreFile* ignore_ = nullptr;
  std::vector<uint8_t> vis_;   // empty: all included
  std::vector<int32_t> rule_;  // empty: none
  ContextStats before_, after_;
};

ContextStats stats_of(const BuildContext& ctx);

}  // namespace dfplay::context
