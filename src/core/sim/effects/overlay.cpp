// The overlay filesystem a RUN works on: the stage's files below, the RUN's own changes and
// its mounts above (Overlay, sim/effects/internal.h).
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects.h"
#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim::detail {

// ====================================================================================
// Overlay
// ====================================================================================

Overlay::Overlay(const Vfs& base, const std::vector<MountInfo>& mounts, std::string_view workdir)
    : base_(base), mounts_(mounts) {
  for (auto& m : mounts_) {
    m.target = clean_abs(m.target, workdir);
    m.source = clean_abs(m.source, "/");
  }
}

const MountInfo* Overlay::mount_at(std::string_view path) const {
  const MountInfo* best = nullptr;
  for (const auto& m : mounts_)
    if (is_within(path, m.target) && (!best || m.target.size() >= best->target.size())) best = &m;
  return best;
}

bool Overlay::hidden_in_base(std::string_view path) const {
  if (!hiding_) return false;
  std::string_view p = path;
  while (p != "/") {
    p = parent_path(p);
    auto it = over_.find(p);
    if (it != over_.end() && (it->second.removed || it->second.opaque)) return true;
  }
  return false;
}

namespace {
const FileNode& mount_dir_node() {
  static const FileNode n = dir_node(0, 0755);
  return n;
}
}  // namespace

const FileNode* Overlay::find_below_mounts(std::string_view path) const {
  if (const MountInfo* m = mounts_.empty() ? nullptr : mount_at(path)) {
    if (m->kind == MountInfo::Kind::Bind && m->source_fs) {
      std::string src = path == m->target ? m->source : clean_abs(relative_to(path, m->target), m->source);
      const FileNode* n = m->source_fs->find(src);
      if (n || path != m->target) return n;
    }
    return path == m->target ? &mount_dir_node() : nullptr;
  }
  return base_.find(path);
}

const FileNode* Overlay::find(std::string_view path) const {
  auto it = over_.find(path);
  if (it != over_.end()) return it->second.removed ? nullptr : &it->second.node;
  if (hidden_in_base(path)) return nullptr;
  return find_below_mounts(path);
}

void Overlay::mkdir_p(const std::string& path, uint32_t layer, uint32_t uid, uint32_t gid) {
  if (path == "/" || path.empty()) return;
  std::vector<std::string_view> missing;
  std::string_view p = path;
  while (p != "/") {
    const FileNode* n = find(p);
    if (n && n->is_dir()) break;
    missing.push_back(p);
    p = parent_path(p);
  }
  for (auto i = missing.rbegin(); i != missing.rend(); ++i) {
    FileNode d = dir_node(layer);
    d.uid = uid;
    d.gid = gid;
    std::string key(*i);
    auto [slot, inserted] = over_.try_emplace(std::move(key));
    auto& e = slot->second;
    const std::string& key_ref = slot->first;
    bool replacing_non_dir = !e.removed && e.node.type != NodeType::Dir && !e.node.summary &&
                             (e.node.size || e.node.hash);
    if (e.removed || replacing_non_dir) {
      e.opaque = true;
      hiding_ = true;
    } else if (const FileNode* old = find_below_mounts(key_ref); old && !old->is_dir()) {
      e.opaque = true;
      hiding_ = true;
    }
    e.fresh = inserted && mounts_.empty();
    e.removed = false;
    e.node = std::move(d);
  }
}

void Overlay::put(const std::string& path, FileNode n) {
  if (path.empty() || path == "/") return;
  std::string_view parent = parent_path(path);
  bool parent_fresh = false;
  if (parent != "/") {
    // Fast path: the parent was written by this RUN (several files into one new directory).
    auto pit = over_.find(parent);
    bool parent_ok = pit != over_.end() ? (!pit->second.removed && pit->second.node.is_dir()) : is_dir(parent);
    if (!parent_ok) {
      mkdir_p(std::string(parent), n.layer);
      pit = over_.find(parent);
    }
    parent_fresh = pit != over_.end() && pit->second.fresh && !pit->second.node.summary;
  }
  bool replaces_tree = !n.is_dir() || n.summary;  // a file or a summary replaces what was below
  auto [it, inserted] = over_.try_emplace(path);
  Entry& e = it->second;
  bool opaque = false;
  if (!inserted) {
    opaque = e.removed || e.opaque;
    if (!e.removed && e.node.is_dir() && replaces_tree) {
      // Drop what this RUN wrote below.
      over_.erase(over_.lower_bound(subtree_begin(path)), over_.lower_bound(subtree_end(path)));
      if (find_below_mounts(path)) opaque = true;
    }
  } else if (parent_fresh) {
    // Nothing can exist below a directory this RUN created.
    e.fresh = n.is_dir() && !n.summary;
  } else if (replaces_tree && !(hiding_ && hidden_in_base(path))) {
    const FileNode* old = find_below_mounts(path);
    opaque = old && old->is_dir();
  }
  if (opaque) hiding_ = true;
  if (!inserted) e.fresh = e.fresh && n.is_dir() && !n.summary;
  e.removed = false;
  e.opaque = opaque;
  e.node = std::move(n);
}

uint64_t Overlay::remove(const std::string& path) {
  if (path.empty()) return 0;
  if (!find(path)) return 0;
  uint64_t bytes = size_under(path);
  if (path == "/") {
    over_.clear();
    for (const auto& [p, n] : base_.entries())
      if (p != "/" && parent_path(p) == "/") {
        over_[p].removed = true;
      }
    hiding_ = true;
    return bytes;
  }
  over_.erase(over_.lower_bound(subtree_begin(path)), over_.lower_bound(subtree_end(path)));
  bool below = find_below_mounts(path) != nullptr;
  if (!below) {
    auto& be = base_.entries();
    auto first = be.lower_bound(subtree_begin(path));
    below = first != be.end() && first->first < subtree_end(path);
  }
  if (below) {
    Entry& e = over_[path];
    e.removed = true;
    e.opaque = false;
    e.fresh = false;
    e.node = FileNode{};
    hiding_ = true;
  } else {
    over_.erase(path);
  }
  return bytes;
}

uint64_t Overlay::size_under(std::string_view path) const {
  const FileNode* self = find(path);
  if (!self) return 0;
  uint64_t total = path == "/" ? 0 : self->size;
  if (!self->is_dir()) return total;
  for_each_under(path, [&](const std::string&, const FileNode& n) { total += n.size; });
  return total;
}

std::vector<std::string> Overlay::children(std::string_view dir) const {
  std::vector<std::string> out;
  if (mounts_.empty() && !hiding_) {
    // Fast path: walk both sorted ranges, jumping over each child's subtree.
    const FileNode* self = find(dir);
    if (!self || !self->is_dir()) return out;
    size_t prefix = dir == "/" ? 1 : dir.size() + 1;
    std::string jump;
    auto collect = [&](const auto& map) {
      auto it = map.lower_bound(subtree_begin(dir));
      auto end = map.lower_bound(subtree_end(dir));
      while (it != end) {
        std::string_view rel = std::string_view(it->first).substr(prefix);
        size_t slash = rel.find('/');
        if (slash == std::string_view::npos) {
          out.emplace_back(rel);
          ++it;
        } else {  // inside a child's subtree ("/d/b/x"): jump past it ("/d/b0")
          out.emplace_back(rel.substr(0, slash));
          jump.assign(it->first, 0, prefix + slash);
          jump += '0';
          it = map.lower_bound(jump);
        }
      }
    };
    collect(base_.entries());
    collect(over_);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  for_each_under(dir, [&](const std::string& p, const FileNode&) {
    std::string_view rel = relative_to(p, dir);
    if (!rel.empty() && rel.find('/') == std::string_view::npos) out.emplace_back(rel);
  });
  return out;
}

std::vector<FileChange> Overlay::take_changes(uint64_t* cache_bytes) {
  std::vector<FileChange> out;
  out.reserve(over_.size() + 4);
  while (!over_.empty()) {
    auto nh = over_.extract(over_.begin());  // moves the path out without copying it
    Entry& e = nh.mapped();
    if (const MountInfo* m = mounts_.empty() ? nullptr : mount_at(nh.key())) {
      if (m->kind == MountInfo::Kind::Cache && !e.removed && cache_bytes) *cache_bytes += e.node.size;
      continue;
    }
    if (e.removed) {
      out.push_back({FileChange::Op::Remove, std::move(nh.key()), {}});
      continue;
    }
    if (e.opaque) out.push_back({FileChange::Op::Remove, nh.key(), {}});
    out.push_back({FileChange::Op::Put, std::move(nh.key()), std::move(e.node)});
  }
  return out;
}

}  // namespace dfplay::sim::detail
