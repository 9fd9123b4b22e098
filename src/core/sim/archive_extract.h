// ADD of a local archive: its members land in the destination, as BuildKit's file op does
// ("attempt unpack", moby's chrootarchive.Untar). The rules, checked against Docker 26.1 /
// BuildKit 0.13 where marked (*; tests/oracle-builds/016, 017):
//
// - Only a source that is a regular file in the context is a candidate; whether it is an
//   archive is decided by its content (context/archive.h), never by its name (*): a text file
//   named x.tar is copied as a file, and so is a gzip file that does not hold a tar.
// - The destination is always a directory, trailing slash or not (*: `ADD v.tar /opt/f`
//   extracts into /opt/f/). It is created with the --chown owner (*); --chmod does not apply.
// - Members keep the archive's modes and numeric owners; --chown does not apply to them (*).
//   Parent directories the archive does not list are created 0755 root:root.
// - Names are cleaned and clamped to the destination ("../../etc/passwd" -> DEST/etc/passwd);
//   a member "." is skipped; a member that replaces a directory with a non-directory removes
//   the directory first; a directory member over an existing directory only changes its
//   mode and owner. Hard links copy their target (already extracted, or in the image);
//   devices and FIFOs are not modelled (noted). PAX global headers are ignored.
// - When the bytes are not known (a big or binary file the context kept by digest only) or the
//   compression is bzip2/xz/zstd (not decoded here), one estimated summary entry stands for
//   the members (tar 1x, compressed 3x the archive size), flagged with the reason.
// - A damaged archive (its first header reads, later data does not) fails the ADD in BuildKit.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "context/archive.h"
#include "context/build_context.h"
#include "sim/vfs.h"

namespace dfplay::sim {

struct ArchiveAddRequest {
  const context::BuildContext* ctx = nullptr;
  uint32_t entry = 0;           // the source: a regular file of ctx
  std::string dest;             // absolute, clean
  uint32_t layer = 0;
  uint32_t uid = 0, gid = 0;    // --chown owner (for the destination directory only)
  bool chown = false;           // --chown was given (for the note)
  uint64_t identity = 0;        // the source's content identity (the estimate's summary identity)
  context::ArchiveLimits limits;
};

struct ArchiveAdd {
  bool handled = false;    // an archive: extracted, estimated or failed (false: copy it as a file)
  bool estimated = false;  // one summary entry stands for the members
  bool failed = false;     // BuildKit's ADD fails (`message`)
  size_t members = 0;      // entries placed
  uint64_t bytes = 0;      // regular files' bytes placed
  std::string note;        // for the step's notes
  std::string message;     // the error when failed
};

// `put` stores one node (the caller does the layer accounting); `fs` is read (existing
// entries) and written for removals and the destination directory.
using ArchivePut = std::function<void(const std::string& path, FileNode node)>;
ArchiveAdd add_local_archive(const ArchiveAddRequest& req, Vfs& fs, const ArchivePut& put);

}  // namespace dfplay::sim
