// Reading a local archive the way `ADD` does (BuildKit's file op: "attempt unpack").
//
// BuildKit extracts an ADD source that is a regular file when, after transparent decompression
// (gzip, bzip2, xz, zstd, detected by magic bytes, not by name), the first tar header reads
// without error (Go's archive/tar `Next()`). Anything else is copied as a file: a text file
// named `x.tar`, an empty tar (only the end-of-archive blocks), a gzip file that does not hold a
// tar. Extraction happens in a chroot at the destination, so member names are cleaned and
// clamped there: a leading '/' is dropped and `..` stops at the destination
// (`../../etc/passwd` lands in DEST/etc/passwd).
//
// What is read here:
// - tar: ustar (with the 155-byte prefix), GNU (`L` long names, `K` long link names, base-256
//   numbers), PAX `x` records (path, linkpath, size, uid, gid; GNU sparse files by their real
//   size, content not rebuilt). PAX `g` (global) headers are validated but, like Go's
//   archive/tar and BuildKit, not applied to the members after them. V7 headers (no magic) are
//   accepted when the checksum is right, as Go does. Member types moby's Unpack does not handle
//   (`7` contiguous, `S` old GNU sparse, `V` volume label, ...) make the archive Corrupt: the
//   real ADD fails on them.
// - gzip (RFC 1952, several members allowed) with our own DEFLATE decoder (RFC 1951: stored,
//   fixed and dynamic Huffman blocks); zlib streams (RFC 1950) are decoded by inflate_zlib for
//   completeness but are not an archive format for ADD.
// - bzip2, xz, zstd: recognised by their magic bytes, not decoded (status Compressed).
//
// Bounds: decompressed bytes (ArchiveLimits::max_output) and member count are capped; special
// headers (PAX, GNU long names) are capped at 1 MiB like Go's reader. Truncated or corrupt input
// gives an error string; nothing here can crash, loop forever or grow without bound.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "context/build_context.h"

namespace dfplay::context {

enum class MemberType : uint8_t { File, Dir, Symlink, Hardlink, Other };
std::string_view member_type_name(MemberType t);  // "file", "dir", "symlink", "hardlink", "other"

struct ArchiveMember {
  // Relative, clean, clamped to the extraction root: "vendor/lib.sh". "" is the extraction root
  // itself (a member named "/" or "../.."; members named "." or "./" are skipped, as moby does).
  std::string path;
  MemberType type = MemberType::File;
  char typeflag = '0';      // the raw tar type flag
  uint64_t size = 0;        // regular files (hard links: 0); PAX sparse files: their real size
  uint32_t mode = 0;        // permission bits (07777)
  uint32_t uid = 0, gid = 0;
  std::string link;         // symlink target as stored; hard link target cleaned like `path`
  Digest digest;            // XXH3-128 of the bytes stored for a regular file
  bool has_content = false; // `content` holds all the bytes (small text files)
  std::string content;
};

struct ArchiveLimits {
  uint64_t max_output = 256ull << 20;  // decompressed bytes read (the tar stream)
  uint32_t max_members = 200000;
  uint64_t keep_content = 64u << 10;   // keep the bytes of text members up to this size...
  uint64_t keep_total = 16u << 20;     // ...and up to this many bytes in all
};

enum class ArchiveStatus : uint8_t {
  NotArchive,  // BuildKit copies the file as it is
  Listed,      // an archive: every member listed
  Compressed,  // bzip2 / xz / zstd: BuildKit decompresses and checks; we do not decode (members not read)
  Corrupt,     // an archive (its first header reads) that is damaged later: BuildKit's ADD fails
  TooBig,      // an archive beyond our limits: members partly read (a dfplay limit, not an error)
};
std::string_view archive_status_name(ArchiveStatus s);

enum class Compression : uint8_t { None, Gzip, Bzip2, Xz, Zstd };
std::string_view compression_name(Compression c);  // "none", "gzip", "bzip2", "xz", "zstd"

struct ArchiveListing {
  ArchiveStatus status = ArchiveStatus::NotArchive;
  Compression compression = Compression::None;
  std::vector<ArchiveMember> members;  // in archive order (Listed; partial for Corrupt/TooBig)
  uint64_t file_bytes = 0;             // sum of the regular members' sizes
  uint64_t stream_bytes = 0;           // tar bytes read (after decompression)
  std::string message;                 // why (NotArchive, Compressed, Corrupt, TooBig)

  // BuildKit would unpack it (Compressed: it would, if the decompressed stream holds a tar).
  bool is_archive() const { return status != ArchiveStatus::NotArchive; }
};

// Lists the archive in `bytes` (a whole file).
ArchiveListing read_archive(std::string_view bytes, const ArchiveLimits& limits = {});

// From the first bytes of a file (at least 512 for tar): could it be an archive ADD extracts?
// True for gzip/bzip2/xz/zstd magic bytes and for a 512-byte block with a valid tar checksum.
// Cheap; used to decide which binary files keep their bytes in the context.
bool maybe_archive(std::string_view head);

// The magic bytes of a compressed stream (None when absent).
Compression compression_of(std::string_view head);

// ---- DEFLATE ------------------------------------------------------------------------------
// Decoders over a whole input. `sink` receives the output in order, in chunks; it returns false
// to stop early (then the call returns "" with `*stopped` set). Output beyond `max_output` bytes
// is an error. The return value is "" on success, else what is wrong ("truncated deflate data",
// "invalid distance", ...). `consumed` (optional) receives the input bytes used.
using InflateSink = std::function<bool(std::string_view chunk)>;
std::string inflate_raw(std::string_view in, const InflateSink& sink, uint64_t max_output,
                        size_t* consumed = nullptr, bool* stopped = nullptr);
std::string inflate_zlib(std::string_view in, const InflateSink& sink, uint64_t max_output,
                         bool* stopped = nullptr);
// Every gzip member in turn (trailing bytes that are not a gzip header are ignored, trailing
// zero padding included); CRC-32 and ISIZE are checked.
std::string inflate_gzip(std::string_view in, const InflateSink& sink, uint64_t max_output,
                         bool* stopped = nullptr);

uint32_t crc32(std::string_view bytes, uint32_t crc = 0);
uint32_t adler32(std::string_view bytes, uint32_t adler = 1);

}  // namespace dfplay::context
