// Loading a real directory into a BuildContext (the file-system side of the build context;
// the core only sees the resulting in-memory tree). Used by `dfplay build DIR`.
//
// - Everything is loaded: .dockerignore is applied later by the core (context/filter.h).
// - Regular files are hashed (XXH3-128, streamed); text files up to `keep_limit` bytes keep
//   their bytes, and so do archives up to `keep_archive_limit` (context/archive.h:
//   maybe_archive; ADD extracts them); bigger or other binary files keep only size, digest and
//   a sniffed kind.
// - Permission bits are kept; symlinks are recorded, never followed.
// - Special files (sockets, FIFOs, devices) and unreadable entries are skipped with a warning.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "context/build_context.h"

namespace dfplay::cli {

struct ContextLoadOptions {
  uint64_t keep_limit = 1u << 20;    // keep the bytes of text files up to this size
  bool keep_binary = false;          // also keep the bytes of small binary files
  uint64_t keep_archive_limit = 64u << 20;  // keep the bytes of archives (ADD extracts them) up to this size
  uint64_t max_entries = 10000000;   // refuse bigger trees (a safety net)
};

struct ContextLoadReport {
  uint32_t files = 0, dirs = 0, symlinks = 0, skipped = 0;
  uint64_t bytes = 0;        // regular files
  uint64_t kept_bytes = 0;   // contents kept in memory
  std::vector<std::string> warnings;
};

// Loads `dir` recursively. Returns false (with `error`) when `dir` is not a readable
// directory or the tree is too big; problems with single entries are warnings.
bool load_context_dir(const std::string& dir, context::BuildContext& out, const ContextLoadOptions& options = {},
                      ContextLoadReport* report = nullptr, std::string* error = nullptr);

}  // namespace dfplay::cli
