#include "sim/vfs.h"

#include <xxhash.h>

#include <cstring>

namespace dfplay::sim {

uint64_t content_hash(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

uint64_t hash_combine(uint64_t a, uint64_t b) {
  uint64_t v[2] = {a, b};
  return XXH3_64bits(v, sizeof v);
}

uint64_t hash_combine(uint64_t a, std::string_view s) {
  return XXH3_64bits_withSeed(s.data(), s.size(), a);
}

FileNode file_node(std::string content, uint32_t layer, uint32_t mode) {
  FileNode n;
  n.type = NodeType::File;
  n.size = content.size();
  n.hash = content_hash(content);
  n.mode = mode;
  n.layer = layer;
  n.content = std::make_shared<const std::string>(std::move(content));
  return n;
}

FileNode dir_node(uint32_t layer, uint32_t mode) {
  FileNode n;
  n.type = NodeType::Dir;
  n.mode = mode;
  n.layer = layer;
  return n;
}

FileNode symlink_node(std::string target, uint32_t layer) {
  FileNode n;
  n.type = NodeType::Symlink;
  n.mode = 0777;
  n.size = target.size();
  n.hash = content_hash(target);
  n.link = std::move(target);
  n.layer = layer;
  return n;
}

FileNode summary_node(uint64_t size, uint64_t identity, uint32_t layer, std::string source,
                      bool estimated) {
  FileNode n;
  n.type = NodeType::Dir;
  n.mode = 0755;
  n.size = size;
  n.hash = identity;
  n.layer = layer;
  n.summary = true;
  n.estimated = estimated;
  n.source = std::move(source);
  return n;
}

FileNode unknown_node(bool dir, uint64_t identity, uint32_t layer, std::string source) {
  FileNode n = dir ? summary_node(0, identity, layer, std::move(source), true) : FileNode{};
  if (!dir) {
    n.hash = identity;
    n.layer = layer;
    n.estimated = true;
    n.source = std::move(source);
  }
  n.unknown = true;
  return n;
}

bool looks_like_file(std::string_view clean) {
  if (clean.empty() || clean == "/" || clean.back() == '/') return false;
  std::string_view name = base_name(clean);
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0 && dot + 1 < name.size()) return true;
  std::string_view dir = base_name(parent_path(clean));
  return dir == "bin" || dir == "sbin";
}

// ---- paths ----

namespace {
// True if `p` is made of clean segments: no empty, "." or ".." segment and no trailing '/'.
bool clean_segments(std::string_view p) {
  if (p.empty() || p.back() == '/') return false;
  size_t i = 0;
  while (i < p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view seg = p.substr(i, j - i);
    if (seg.empty() || seg == "." || seg == "..") return false;
    i = j + 1;
  }
  return true;
}
}  // namespace

std::string clean_abs(std::string_view path, std::string_view cwd) {
  // Fast paths: an already clean absolute path, or a clean relative path in a clean directory.
  if (!path.empty() && path[0] == '/') {
    if (path.size() == 1) return "/";
    if (clean_segments(path.substr(1))) return std::string(path);
  } else if (!path.empty() && clean_segments(path) && !cwd.empty() && cwd[0] == '/' &&
             (cwd.size() == 1 || clean_segments(cwd.substr(1)))) {
    std::string r;
    r.reserve(cwd.size() + 1 + path.size());
    r.append(cwd);
    if (cwd.size() > 1) r += '/';
    r.append(path);
    return r;
  }
  std::string out;
  out.reserve(path.size() + cwd.size() + 1);
  // Segments are pushed onto `out` ("/a/b"); ".." pops the last one.
  auto push = [&out](std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == '/') ++i;
      size_t j = i;
      while (j < text.size() && text[j] != '/') ++j;
      std::string_view seg = text.substr(i, j - i);
      i = j;
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        size_t cut = out.rfind('/');
        out.resize(cut == std::string::npos ? 0 : cut);
        continue;
      }
      out += '/';
      out += seg;
    }
  };
  if (path.empty() || path.front() != '/') push(cwd);
  push(path);
  if (out.empty()) out.push_back('/');
  return out;
}

std::string_view parent_path(std::string_view p) {
  size_t cut = p.rfind('/');
  if (cut == std::string_view::npos || cut == 0) return "/";
  return p.substr(0, cut);
}

std::string_view base_name(std::string_view p) {
  size_t cut = p.rfind('/');
  return cut == std::string_view::npos ? p : p.substr(cut + 1);
}

bool is_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return !path.empty() && path.front() == '/';
  if (path.size() < dir.size() || path.compare(0, dir.size(), dir) != 0) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

std::string_view relative_to(std::string_view path, std::string_view dir) {
  if (path.size() <= dir.size()) return {};
  if (dir == "/") return path.substr(1);
  return path.substr(dir.size() + 1);
}

std::string subtree_begin(std::string_view dir) {
  if (dir == "/") return std::string("/\x01", 2);  // everything after the root itself
  std::string s(dir);
  s += '/';
  return s;
}

std::string subtree_end(std::string_view dir) {
  if (dir == "/") return "0";
  std::string s(dir);
  s += '0';  // '/' + 1
  return s;
}

// ---- Vfs ----

Vfs::Vfs() { add(entries_.emplace("/", dir_node(0)).first); }

uint64_t Vfs::entry_hash(std::string_view path, const FileNode& n) {
  struct {
    uint64_t size, hash, content;
    uint32_t mode, uid, gid, layer;
    uint8_t type, summary, estimated, has_content, unknown;
  } f;
  std::memset(&f, 0, sizeof f);  // padding included: the bytes are hashed
  f.size = n.size;
  f.hash = n.hash;
  // The content itself, not only `hash`: a generated file's hash is an identity of its inputs.
  f.content = n.content ? content_hash(*n.content) : 0;
  f.mode = n.mode;
  f.uid = n.uid;
  f.gid = n.gid;
  f.layer = n.layer;
  f.type = static_cast<uint8_t>(n.type);
  f.summary = n.summary;
  f.estimated = n.estimated;
  f.has_content = n.content != nullptr;
  f.unknown = n.unknown;
  uint64_t h = XXH3_64bits_withSeed(path.data(), path.size(), 0x9e3779b97f4a7c15ULL);
  h = XXH3_64bits_withSeed(&f, sizeof f, h);
  if (!n.link.empty()) h = XXH3_64bits_withSeed(n.link.data(), n.link.size(), h ^ 1);
  if (!n.source.empty()) h = XXH3_64bits_withSeed(n.source.data(), n.source.size(), h ^ 2);
  return h;
}

uint64_t Vfs::fingerprint() const {
  if (!tracked_) {
    fingerprint_ = 0;
    for (auto it = entries_.begin(); it != entries_.end(); ++it) fingerprint_ += entry_hash(it->first, it->second);
    tracked_ = true;
  }
  return fingerprint_;
}

void Vfs::erase_range(Map::iterator first, Map::iterator last) {
  for (auto it = first; it != last; ++it) sub(it);
  entries_.erase(first, last);
}

void Vfs::replace(Map::iterator it, FileNode n) {
  sub(it);
  it->second = std::move(n);
  add(it);
}

const FileNode* Vfs::find(std::string_view path) const {
  auto it = entries_.find(path);
  return it == entries_.end() ? nullptr : &it->second;
}

void Vfs::put(std::string_view path, FileNode n, Replaced* replaced) { put_impl(path, nullptr, std::move(n), replaced); }

void Vfs::put(std::string&& path, FileNode n, Replaced* replaced) {
  std::string_view view = path;
  put_impl(view, &path, std::move(n), replaced);
}

void Vfs::put_impl(std::string_view path, std::string* owned, FileNode n, Replaced* replaced) {
  if (replaced) *replaced = Replaced{};
  if (path.empty() || path == "/") return;
  // Parents: the nearest existing ancestor is found by walking up; missing ones are created.
  std::string_view parent = parent_path(path);
  if (parent != "/") {
    auto it = entries_.find(parent);
    if (it == entries_.end()) {
      mkdir_p(parent, n.layer);
    } else if (!it->second.is_dir()) {
      // A file in the way becomes a directory (the simulation never fails on it).
      replace(it, dir_node(n.layer));
    }
  }
  auto it = entries_.lower_bound(path);
  if (it != entries_.end() && it->first == path) {
    if (replaced) *replaced = Replaced{true, it->second.type, it->second.summary, it->second.layer, it->second.size};
    if (it->second.is_dir() && !n.is_dir()) {
      // Replacing a directory by a file drops its subtree.
      erase_range(entries_.lower_bound(subtree_begin(path)), entries_.lower_bound(subtree_end(path)));
    }
    replace(it, std::move(n));
  } else {
    add(entries_.emplace_hint(it, owned ? std::move(*owned) : std::string(path), std::move(n)));
  }
}

void Vfs::mkdir_p(std::string_view path, uint32_t layer, uint32_t uid, uint32_t gid) {
  if (path.empty() || path == "/") return;
  // Find the deepest existing ancestor, then create the missing ones top-down (the prefixes of
  // `path` after that ancestor).
  std::string_view p = path;
  while (p != "/") {
    auto it = entries_.find(p);
    if (it != entries_.end()) {
      if (!it->second.is_dir()) replace(it, dir_node(layer));  // a file in the way becomes a directory
      break;
    }
    p = parent_path(p);
  }
  size_t pos = p == "/" ? 0 : p.size();
  auto hint = entries_.end();
  while (pos < path.size()) {
    size_t next = path.find('/', pos + 1);
    if (next == std::string_view::npos) next = path.size();
    FileNode d = dir_node(layer);
    d.uid = uid;
    d.gid = gid;
    std::string_view missing = path.substr(0, next);
    hint = entries_.emplace_hint(hint == entries_.end() ? entries_.lower_bound(missing) : std::next(hint),
                                 std::string(missing), std::move(d));
    add(hint);
    pos = next;
  }
}

uint64_t Vfs::remove(std::string_view path) {
  if (path.empty()) return 0;
  uint64_t bytes = 0;
  auto first = entries_.lower_bound(subtree_begin(path));
  auto last = entries_.lower_bound(subtree_end(path));
  for (auto it = first; it != last; ++it) bytes += it->second.size;
  erase_range(first, last);
  if (path != "/") {
    auto it = entries_.find(path);
    if (it != entries_.end()) {
      bytes += it->second.size;
      sub(it);
      entries_.erase(it);
    }
  }
  return bytes;
}

void Vfs::for_each_under(std::string_view dir,
                         const std::function<void(const std::string&, const FileNode&)>& f) const {
  auto self = entries_.find(dir);
  if (self == entries_.end()) return;
  if (!self->second.is_dir()) {
    f(self->first, self->second);
    return;
  }
  auto first = entries_.lower_bound(subtree_begin(dir));
  auto last = entries_.lower_bound(subtree_end(dir));
  for (auto it = first; it != last; ++it) f(it->first, it->second);
}

uint64_t Vfs::size_under(std::string_view path) const {
  auto self = entries_.find(path);
  if (self == entries_.end()) return 0;
  uint64_t bytes = path == "/" ? 0 : self->second.size;
  if (!self->second.is_dir()) return bytes;
  auto first = entries_.lower_bound(subtree_begin(path));
  auto last = entries_.lower_bound(subtree_end(path));
  for (auto it = first; it != last; ++it) bytes += it->second.size;
  return bytes;
}

void Vfs::apply(const std::vector<FileChange>& changes) {
  for (const auto& c : changes) {
    if (c.op == FileChange::Op::Remove)
      remove(c.path);
    else
      put(c.path, c.node);
  }
}

}  // namespace dfplay::sim
