// The virtual filesystem of one build stage, built layer by layer.
//
// Paths are absolute and clean ("/app/dist/server.js"; "/" is the root). Entries live in a map
// sorted by path, so the subtree of "/a" is the contiguous range ["/a/", "/a0"): '/' (0x2F) and
// '0' (0x30) are adjacent, and names such as "/a-b" or "/a.txt" sort outside that range.
//
// A node is either a real file/dir/symlink, or a *summary*: one node standing for a subtree that
// is not modelled file by file (a base image's /usr, a node_modules tree, a Go module cache).
// A summary's `size` is the size of the whole subtree it stands for. Sizes of directories that
// are not summaries are 0 (directory entries themselves are not counted).
//
// Hashes: `hash` is the xxh3-64 of the file content when the content is known; for generated
// files and summaries it is an identity derived from the inputs that determine their content
// (equal hashes => equal content); 0 means "unknown content" (never equal to anything) for files
// and "no content" for plain directories.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::sim {

enum class NodeType : uint8_t { File, Dir, Symlink };

struct FileNode {
  NodeType type = NodeType::File;
  uint64_t size = 0;          // bytes (for a summary node: the whole subtree it stands for)
  uint32_t mode = 0644;       // permission bits (0755 for dirs)
  uint32_t uid = 0, gid = 0;
  uint64_t hash = 0;          // content hash (xxh3-64), or a content identity; see above
  std::shared_ptr<const std::string> content;  // text content when known
  std::string link;           // symlink target
  uint32_t layer = 0;         // index of the layer that last wrote it (0 = base image)
  bool summary = false;       // stands for a subtree not modelled file by file
  bool estimated = false;     // size is an estimate
  std::string source;         // where an estimated figure comes from (short text or URL)
  bool unknown = false;       // produced by a step whose effect is not modelled: size/content unknown

  bool is_dir() const { return type == NodeType::Dir; }
  bool is_file() const { return type == NodeType::File; }
  bool is_symlink() const { return type == NodeType::Symlink; }
};

// xxh3-64 of a byte string (the content hash of FileNode).
uint64_t content_hash(std::string_view bytes);
// Mixes two 64-bit values (order matters); used to derive identities of generated content.
uint64_t hash_combine(uint64_t a, uint64_t b);
uint64_t hash_combine(uint64_t a, std::string_view s);

// Constructors for the common node kinds.
FileNode file_node(std::string content, uint32_t layer, uint32_t mode = 0644);
FileNode dir_node(uint32_t layer, uint32_t mode = 0755);
FileNode symlink_node(std::string target, uint32_t layer);
// A summary (directory standing for a whole subtree) of `size` bytes, estimated from `source`.
FileNode summary_node(uint64_t size, uint64_t identity, uint32_t layer, std::string source,
                      bool estimated = true);
// What a step whose effect is not modelled may have produced at a path: a file (size unknown,
// 0) or a directory summary of unknown size; `unknown` and `estimated` set, `source` says which
// step. `identity` must change when that step's inputs change (cache consistency).
FileNode unknown_node(bool dir, uint64_t identity, uint32_t layer, std::string source);
// A path that most likely names a file rather than a directory: its last component has an
// extension (`app.jar`, `libfoo.so.1`, not `.config` or `lib`) or sits in a bin/sbin directory
// (`/bin/busybox`, `/usr/local/bin/tool`). Used only to guess the shape of unknown content.
bool looks_like_file(std::string_view clean);

// A filesystem change as produced by a RUN (sim/effects.h) or a COPY. `Remove` removes the path
// and everything below it; `Put` creates or replaces the path itself (children untouched).
struct FileChange {
  enum class Op : uint8_t { Put, Remove };
  Op op = Op::Put;
  std::string path;
  FileNode node;  // for Put
};

class Vfs {
 public:
  Vfs();  // holds the root directory "/" only

  const FileNode* find(std::string_view path) const;
  bool exists(std::string_view path) const { return find(path) != nullptr; }

  // What put() found at the path before (existed = false: the path was new).
  struct Replaced {
    bool existed = false;
    NodeType type = NodeType::File;
    bool summary = false;
    uint32_t layer = 0;
    uint64_t size = 0;
  };
  // Creates or replaces `path` (which must be absolute and clean; "/" is ignored). Missing parent
  // directories are created (root-owned 0755, same layer). A parent that is a file or symlink is
  // replaced by a directory. `replaced`, when given, receives what was at `path`.
  void put(std::string_view path, FileNode n, Replaced* replaced = nullptr);
  // The same, taking over `path`'s buffer when the entry is new.
  void put(std::string&& path, FileNode n, Replaced* replaced = nullptr);
  void put(const char* path, FileNode n, Replaced* replaced = nullptr) {
    put(std::string_view(path), std::move(n), replaced);
  }
  void mkdir_p(std::string_view path, uint32_t layer, uint32_t uid = 0, uint32_t gid = 0);
  // Removes `path` and everything below it; returns the bytes removed. Removing "/" empties the
  // filesystem (the root itself stays).
  uint64_t remove(std::string_view path);

  // Visits (path, node) for every entry strictly below `dir` in sorted order; if `dir` is a file
  // or symlink, visits that entry only.
  void for_each_under(std::string_view dir,
                      const std::function<void(const std::string&, const FileNode&)>& f) const;
  // Sum of sizes at and below `path`.
  uint64_t size_under(std::string_view path) const;
  // Number of entries (the root included).
  size_t size() const { return entries_.size(); }
  uint64_t total_size() const { return size_under("/"); }

  // Applies a RUN's or COPY's changes in order.
  void apply(const std::vector<FileChange>& changes);

  // Direct access for the engine and the UI (sorted by path).
  const std::map<std::string, FileNode, std::less<>>& entries() const { return entries_; }

  // Identity of the whole tree: equal fingerprints => the same entries, every field of every
  // node equal, text contents included. A sum of one hash per entry (the order of the changes
  // does not matter): computed on first use, then kept up to date as entries change (a Vfs whose
  // fingerprint is never asked for pays nothing).
  uint64_t fingerprint() const;

 private:
  using Map = std::map<std::string, FileNode, std::less<>>;
  static uint64_t entry_hash(std::string_view path, const FileNode& n);
  void add(Map::const_iterator it) {
    if (tracked_) fingerprint_ += entry_hash(it->first, it->second);
  }
  void sub(Map::const_iterator it) {
    if (tracked_) fingerprint_ -= entry_hash(it->first, it->second);
  }
  void erase_range(Map::iterator first, Map::iterator last);
  void put_impl(std::string_view path, std::string* owned, FileNode n, Replaced* replaced);
  void replace(Map::iterator it, FileNode n);

  Map entries_;
  mutable uint64_t fingerprint_ = 0;
  mutable bool tracked_ = false;  // fingerprint_ is up to date
};

// Go's path.Clean of `path`, resolved against `cwd` when relative: "a/../b" in "/app" ->
// "/app/b"; "" -> cwd; trailing slashes removed; never goes above "/".
std::string clean_abs(std::string_view path, std::string_view cwd = "/");
// "/a/b" -> "/a"; "/a" -> "/"; "/" -> "/".
std::string_view parent_path(std::string_view clean);
// "/a/b" -> "b"; "/" -> "".
std::string_view base_name(std::string_view clean);
// True if `path` is `dir` or below it (both clean and absolute).
bool is_within(std::string_view path, std::string_view dir);
// `path` relative to `dir` ("" when equal); `path` must be within `dir`.
std::string_view relative_to(std::string_view path, std::string_view dir);
// The first key of the subtree range of `dir` ("/a" -> "/a/"; "/" -> "/\x01", just after the root
// itself) and the first key past it ("/a" -> "/a0"; "/" -> "0").
std::string subtree_begin(std::string_view dir);
std::string subtree_end(std::string_view dir);

}  // namespace dfplay::sim
