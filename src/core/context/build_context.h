// The build context: a virtual, read-only tree of files, directories and symlinks, the way
// BuildKit receives it from the client (before .dockerignore is applied; see filter.h).
//
// Storage is compact and sorted so that large contexts (a million files) load and query in
// bounded time: one vector of fixed-size entries in pre-order (compare_paths order), all path
// strings in one arena, contents and symlink targets in another. Entry 0 is the root ("").
// Directories implied by file paths are materialised. A directory's descendants are the
// contiguous range [i + 1, subtree_end(i)), so children, subtree and prefix queries are
// index arithmetic and binary searches.
//
// Content: small text files may keep their bytes (content()); every regular file has a size
// and a 128-bit content digest (XXH3-128 of the bytes, or derived from a user-given hash
// string, or, for a file given with a size only, derived from that size).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline_limits.h"
#include "syntax/diagnostic.h"

namespace dfplay::context {

enum class EntryType : uint8_t { File, Dir, Symlink };
std::string_view entry_type_name(EntryType t);  // "file", "dir", "symlink"

// What the first bytes of a file say about it (ADD unpacks local archives).
enum class Sniff : uint8_t { Unknown, Text, Binary, Tar, Gzip, Bzip2, Xz, Zstd };
std::string_view sniff_name(Sniff s);
Sniff sniff_bytes(std::string_view head);  // from the first bytes (512 are enough for tar)

struct Digest {
  uint64_t hi = 0, lo = 0;
  friend bool operator==(const Digest&, const Digest&) = default;
  std::string hex() const;  // 32 lower-case hex digits
};

Digest digest_of_content(std::string_view bytes);       // XXH3-128
Digest digest_of_hash_text(std::string_view hash);      // a user-given hash ("sha256:...")
Digest digest_of_unknown(uint64_t size);                // size-only files

// Streaming XXH3-128: the same digest as digest_of_content over the concatenated bytes.
class ContentHasher {
 public:
  ContentHasher();
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;
  void update(std::string_view bytes);
  Digest finish();

 private:
  void* state_;
};

class BuildContext {
 public:
  static constexpr uint32_t npos = UINT32_MAX;
  static constexpr uint32_t root = 0;

  BuildContext();  // just the root directory

  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }  // entries incl. root

  std::string_view path(uint32_t i) const { return {paths_.data() + entries_[i].path_off, entries_[i].path_len}; }
  std::string_view name(uint32_t i) const;
  EntryType type(uint32_t i) const { return entries_[i].type; }
  bool is_dir(uint32_t i) const { return entries_[i].type == EntryType::Dir; }
  bool is_file(uint32_t i) const { return entries_[i].type == EntryType::File; }
  bool is_symlink(uint32_t i) const { return entries_[i].type == EntryType::Symlink; }
  uint64_t file_size(uint32_t i) const { return entries_[i].size; }
  uint32_t mode(uint32_t i) const { return entries_[i].mode; }  // permission bits (07777)
  const Digest& digest(uint32_t i) const { return entries_[i].digest; }
  bool has_content(uint32_t i) const { return entries_[i].flags & kHasContent; }
  std::string_view content(uint32_t i) const;         // "" when not kept
  std::string_view symlink_target(uint32_t i) const;  // "" unless a symlink
  std::string_view hash_text(uint32_t i) const;       // a user-given hash, else ""
  Sniff sniff(uint32_t i) const { return entries_[i].sniff; }
  bool implied(uint32_t i) const { return entries_[i].flags & kImplied; }  // dir only implied by paths

  uint32_t parent(uint32_t i) const { return entries_[i].parent; }  // npos for the root
  uint32_t subtree_end(uint32_t i) const { return entries_[i].end; }
  uint32_t depth(uint32_t i) const { return entries_[i].depth; }  // root 0, top level 1

  // Children of directory `d` in name order: for (c = first_child(d); c != npos; c = next_sibling(c)).
  uint32_t first_child(uint32_t d) const { return d + 1 < entries_[d].end ? d + 1 : npos; }
  uint32_t next_sibling(uint32_t c) const;

  // Exact lookup of a clean relative path ("" is the root); npos if absent. O(log n).
  uint32_t find(std::string_view clean_path) const;
  // Entries whose path starts with the string `prefix` (not necessarily at a '/'): [first, last).
  std::pair<uint32_t, uint32_t> prefix_range(std::string_view prefix) const;

  // Resolves symlinks like BuildKit's scoped root (fs.RootPath): absolute link targets start
  // at the context root, ".." never leaves it, at most 255 links. `follow_last` also follows
  // a symlink in the last component. Returns npos when a component does not exist (and sets
  // `error` to "not found" or "too many links").
  // `exists` (optional) hides entries (e.g. the ones .dockerignore excludes).
  uint32_t resolve(std::string_view clean_path, bool follow_last, std::string* error = nullptr,
                   const std::function<bool(uint32_t)>& exists = nullptr) const;

  // Totals over the whole tree.
  uint32_t file_count() const { return files_; }
  uint32_t dir_count() const { return dirs_; }  // without the root
  uint32_t symlink_count() const { return symlinks_; }
  uint64_t total_bytes() const { return bytes_; }  // regular files

  // Problems found while building (invalid paths, conflicts); warnings only.
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  friend class ContextBuilder;
  static constexpr uint8_t kHasContent = 1, kImplied = 2, kHasHashText = 4;

  struct Entry {
    uint64_t size = 0;
    Digest digest;
    uint64_t path_off = 0;
    uint64_t data_off = 0;  // content or symlink target in data_
    uint32_t path_len = 0;
    uint32_t data_len = 0;
    uint32_t parent = npos;
    uint32_t end = 0;
    uint32_t mode = 0;
    uint16_t depth = 0;
    EntryType type = EntryType::File;
    Sniff sniff = Sniff::Unknown;
    uint8_t flags = 0;
  };

  std::vector<Entry> entries_;
  std::string paths_;
  std::string data_;
  std::unordered_map<uint32_t, std::string> hash_texts_;
  uint32_t files_ = 0, dirs_ = 0, symlinks_ = 0;
  uint64_t bytes_ = 0;
  Diagnostics diagnostics_;
};

// Builds a BuildContext from entries in any order. Paths are cleaned ("./a//b/" -> "a/b", a
// leading '/' is dropped); a path that leaves the context ("../x") or is empty is rejected
// with a warning. When a path is given twice the last one wins; a file under a path given as
// a file or symlink is rejected. Missing parent directories are created (mode 0755). At most
// limits::kMaxContextEntries entries (implied directories included) are kept: the rest is left
// out with an error diagnostic (code "limits/context-files").
class ContextBuilder {
 public:
  // `max_entries` is the pipeline's limit; only tests of the data structure itself raise it.
  explicit ContextBuilder(size_t max_entries = limits::kMaxContextEntries) : max_entries_(max_entries) {}

  // A file whose bytes are known. `keep_content` = false keeps only size and digest.
  void add_file(std::string_view path, std::string_view content, uint32_t mode = 0644, bool keep_content = true);
  // A file known by size only, optionally with a user-given hash string (e.g. "sha256:...")
  // or a precomputed digest, and optionally a sniffed kind.
  void add_file_meta(std::string_view path, uint64_t size, std::string_view hash_text = {}, uint32_t mode = 0644,
                     const Digest* digest = nullptr, Sniff sniff = Sniff::Unknown);
  void add_dir(std::string_view path, uint32_t mode = 0755);
  void add_symlink(std::string_view path, std::string_view target);

  size_t pending() const { return recs_.size(); }
  // limits::kMaxContextEntries entries were added: later ones are left out (and build() reports
  // them in one error, "limits/context-files"). A directory walk can stop here.
  bool full() const { return recs_.size() >= max_entries_; }
  // A walk that stops because the builder is full: `path` is the first entry not read.
  void stop_at(std::string_view path);
  BuildContext build();  // the builder is left empty

 private:
  struct Rec {
    uint64_t path_off;
    uint32_t path_len;
    uint32_t seq;
    uint64_t size = 0;
    Digest digest;
    uint64_t data_off = 0;
    uint32_t data_len = 0;
    uint32_t mode = 0;
    EntryType type = EntryType::File;
    Sniff sniff = Sniff::Unknown;
    uint8_t flags = 0;
  };
  bool add_path(std::string_view raw, Rec& rec);
  std::vector<Rec> recs_;
  std::string paths_;
  std::string data_;
  std::unordered_map<uint32_t, std::string> hash_texts_;  // by seq
  Diagnostics diagnostics_;
  size_t max_entries_;
  size_t dropped_ = 0;         // entries left out (over max_entries_)
  std::string first_dropped_;  // the first of them
  bool stopped_ = false;       // a walk stopped (stop_at): how many more is unknown
};

// The JSON forms the JS API and the app pass (documented in docs/context.md):
//   {"path": "content", "dir/": null, ...}
//   [{"path": "...", "content": "...", "size": N, "mode": 420 | "0644", "hash": "sha256:...",
//     "symlink": "target", "type": "file" | "dir" | "symlink"}, ...]
// Problems are reported as diagnostics (code "context/json") and the entry is skipped.
BuildContext context_from_json(std::string_view json_text, Diagnostics* diagnostics = nullptr);

}  // namespace dfplay::context
