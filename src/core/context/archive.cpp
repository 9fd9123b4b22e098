#include "context/archive.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>

namespace dfplay::context {

std::string_view member_type_name(MemberType t) {
  switch (t) {
    case MemberType::File: return "file";
    case MemberType::Dir: return "dir";
    case MemberType::Symlink: return "symlink";
    case MemberType::Hardlink: return "hardlink";
    case MemberType::Other: return "other";
  }
  return "other";
}

std::string_view archive_status_name(ArchiveStatus s) {
  switch (s) {
    case ArchiveStatus::NotArchive: return "not-archive";
    case ArchiveStatus::Listed: return "listed";
    case ArchiveStatus::Compressed: return "compressed";
    case ArchiveStatus::Corrupt: return "corrupt";
    case ArchiveStatus::TooBig: return "too-big";
  }
  return "not-archive";
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::None: return "none";
    case Compression::Gzip: return "gzip";
    case Compression::Bzip2: return "bzip2";
    case Compression::Xz: return "xz";
    case Compression::Zstd: return "zstd";
  }
  return "none";
}

// =============================================================================================
// tar
// =============================================================================================

Compression compression_of(std::string_view h) {
  auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
  if (starts(std::string_view("\x1f\x8b\x08", 3))) return Compression::Gzip;
  // bzip2: "BZh", a block size digit, then a block (pi) or end-of-stream (sqrt(pi)) magic.
  if (h.size() >= 10 && starts("BZh") && h[3] >= '1' && h[3] <= '9' &&
      (h.substr(4, 6) == std::string_view("\x31\x41\x59\x26\x53\x59", 6) ||
       h.substr(4, 6) == std::string_view("\x17\x72\x45\x38\x50\x90", 6)))
    return Compression::Bzip2;
  if (starts(std::string_view("\xfd" "7zXZ\x00", 6))) return Compression::Xz;
  if (starts(std::string_view("\x28\xb5\x2f\xfd", 4))) return Compression::Zstd;
  // zstd skippable frames: 0x184D2A50..0x184D2A5F, little-endian.
  if (h.size() >= 4 && (static_cast<unsigned char>(h[0]) & 0xF0) == 0x50 && h.substr(1, 3) == "\x2a\x4d\x18")
    return Compression::Zstd;
  return Compression::None;
}

namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxSpecial = 1u << 20;  // PAX records, GNU long names (Go: maxSpecialFileSize)

// Go's parseString: up to the first NUL.
std::string_view field_str(const char* blk, size_t off, size_t len) {
  std::string_view s(blk + off, len);
  size_t z = s.find('\0');
  return z == std::string_view::npos ? s : s.substr(0, z);
}

// Go's parseNumeric: base-256 when the high bit of the first byte is set, else octal with
// leading/trailing spaces and NULs trimmed (empty = 0). False when malformed or negative.
bool field_num(const char* blk, size_t off, size_t len, uint64_t& out) {
  auto b = reinterpret_cast<const unsigned char*>(blk + off);
  out = 0;
  if (len > 0 && (b[0] & 0x80)) {
    if (b[0] & 0x40) return false;  // negative
    for (size_t i = 0; i < len; ++i) {
      unsigned c = i == 0 ? (b[0] & 0x7F) : b[i];
      if (out >> 55) return false;  // overflow of int64
      out = (out << 8) | c;
    }
    return true;
  }
  size_t s = 0, e = len;
  while (s < e && (b[s] == ' ' || b[s] == 0)) ++s;
  while (e > s && (b[e - 1] == ' ' || b[e - 1] == 0)) --e;
  // parseString inside the trimmed field: up to the first NUL.
  for (size_t i = s; i < e; ++i)
    if (b[i] == 0) e = i;
  if (s == e) return true;
  for (size_t i = s; i < e; ++i) {
    if (b[i] < '0' || b[i] > '7') return false;
    if (out >> 60) return false;
    out = out * 8 + (b[i] - '0');
  }
  return true;
}

bool all_zero(const char* blk) {
  for (size_t i = 0; i < kBlock; ++i)
    if (blk[i]) return false;
  return true;
}

// The header checksum: the stored octal value equals the unsigned or the signed byte sum, with
// the checksum field itself counted as spaces.
bool checksum_ok(const char* blk) {
  uint64_t stored;
  if (!field_num(blk, 148, 8, stored)) return false;
  int64_t usum = 0, ssum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    char c = (i >= 148 && i < 156) ? ' ' : blk[i];
    usum += static_cast<unsigned char>(c);
    ssum += static_cast<signed char>(c);
  }
  return static_cast<int64_t>(stored) == usum || static_cast<int64_t>(stored) == ssum;
}

// Go's path.Clean of a member name, joined to the extraction root: returns false when the
// name cleans to "." (moby skips it); `out` is the clamped relative path ("" = the root).
bool clean_member(std::string_view name, std::string& out) {
  std::vector<std::string_view> parts;
  bool absolute = !name.empty() && name[0] == '/';
  int up = 0;  // ".." beyond the start of a relative name (clamped at the root)
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view seg = name.substr(i, j - i);
    i = j + 1;
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
      else if (!absolute) ++up;
      continue;
    }
    parts.push_back(seg);
  }
  out.clear();
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return !(parts.empty() && !absolute && up == 0);
}

bool looks_text(std::string_view s) { return s.substr(0, 8000).find('\0') == std::string_view::npos; }

// The tar stream, pushed in chunks of any size.
class TarParser {
 public:
  TarParser(const ArchiveLimits& lim, ArchiveListing& out) : lim_(lim), out_(out) {}

  // False to stop: the end of the archive, an error, or a limit.
  bool feed(std::string_view data) {
    while (!data.empty() && !done_) {
      switch (state_) {
        case State::Header: {
          size_t k = std::min(kBlock - have_, data.size());
          std::memcpy(blk_ + have_, data.data(), k);
          have_ += k;
          data.remove_prefix(k);
          out_.stream_bytes += k;
          if (have_ == kBlock) {
            have_ = 0;
            header();
          }
          break;
        }
        case State::Data: {
          size_t k = static_cast<size_t>(std::min<uint64_t>(left_, data.size()));
          take(data.substr(0, k));
          data.remove_prefix(k);
          out_.stream_bytes += k;
          left_ -= k;
          if (left_ == 0) end_data();
          break;
        }
        case State::Pad: {
          size_t k = static_cast<size_t>(std::min<uint64_t>(pad_, data.size()));
          data.remove_prefix(k);
          out_.stream_bytes += k;
          pad_ -= k;
          pad_read_ += k;
          if (pad_ == 0) state_ = State::Header;
          break;
        }
      }
    }
    return !done_;
  }

  // The input ended (after every feed).
  void finish() {
    if (done_) return;
    done_ = true;
    if (state_ == State::Header && have_ == 0) return ok_end();
    if (state_ == State::Pad && pad_read_ == 0) return ok_end();  // Go: EOF where padding starts is a clean end
    if (state_ == State::Data && sink_ == Sink::Member)
      return fail(fmt::format("truncated archive: member \"{}\" needs {} more bytes", cur_.path, left_));
    fail("truncated archive (it ends inside a header or a block)");
  }

  bool entries_seen() const { return entries_ > 0; }
  bool done() const { return done_; }

 private:
  enum class State : uint8_t { Header, Data, Pad };
  enum class Sink : uint8_t { Member, LongName, LongLink, Pax, PaxGlobal, Skip };

  const ArchiveLimits& lim_;
  ArchiveListing& out_;
  State state_ = State::Header;
  Sink sink_ = Sink::Skip;
  char blk_[kBlock];
  size_t have_ = 0;
  uint64_t left_ = 0, pad_ = 0, pad_read_ = 0, data_size_ = 0;
  bool zero_seen_ = false;
  bool done_ = false;
  uint64_t entries_ = 0;  // headers Go's Next() returns (members and PAX global headers)
  std::string special_;   // data of a PAX or GNU long-name header
  std::string long_name_, long_link_;
  bool has_long_name_ = false, has_long_link_ = false;
  std::vector<std::pair<std::string, std::string>> pax_;
  ArchiveMember cur_;
  bool skip_cur_ = false;  // cleans to "." (moby skips it)
  bool keep_cur_ = false;
  std::unique_ptr<ContentHasher> hasher_;
  uint64_t kept_total_ = 0;

  void ok_end() {
    if (entries_) {
      out_.status = ArchiveStatus::Listed;
    } else {
      out_.status = ArchiveStatus::NotArchive;
      out_.message = "no tar header (empty archive)";
    }
  }
  void fail(std::string msg) {
    done_ = true;
    out_.message = std::move(msg);
    out_.status = entries_ ? ArchiveStatus::Corrupt : ArchiveStatus::NotArchive;
  }
  void too_big(std::string msg) {
    done_ = true;
    out_.message = std::move(msg);
    out_.status = ArchiveStatus::TooBig;
  }

  void start_data(Sink s, uint64_t size) {
    sink_ = s;
    left_ = size;
    data_size_ = size;
    pad_ = (kBlock - size % kBlock) % kBlock;
    pad_read_ = 0;
    special_.clear();
    if (size == 0) end_data();
    else state_ = State::Data;
  }

  void take(std::string_view chunk) {
    switch (sink_) {
      case Sink::Member:
        if (hasher_) hasher_->update(chunk);
        if (keep_cur_) cur_.content.append(chunk);
        break;
      case Sink::LongName:
      case Sink::LongLink:
      case Sink::Pax:
      case Sink::PaxGlobal: special_.append(chunk); break;
      case Sink::Skip: break;
    }
  }

  void end_data() {
    state_ = pad_ ? State::Pad : State::Header;
    switch (sink_) {
      case Sink::Member: {
        if (hasher_) cur_.digest = hasher_->finish();
        hasher_.reset();
        cur_.has_content = keep_cur_ && looks_text(cur_.content);
        if (!cur_.has_content) {
          cur_.content.clear();
          cur_.content.shrink_to_fit();
        } else {
          kept_total_ += cur_.content.size();
        }
        if (!skip_cur_) {
          if (cur_.type == MemberType::File) out_.file_bytes += cur_.size;
          out_.members.push_back(std::move(cur_));
        }
        cur_ = {};
        break;
      }
      case Sink::LongName:
      case Sink::LongLink: {
        size_t z = special_.find('\0');
        std::string s = special_.substr(0, z);
        if (sink_ == Sink::LongName) long_name_ = std::move(s), has_long_name_ = true;
        else long_link_ = std::move(s), has_long_link_ = true;
        break;
      }
      case Sink::Pax:
      case Sink::PaxGlobal: {
        std::vector<std::pair<std::string, std::string>> recs;
        if (!parse_pax(special_, recs)) return fail("invalid PAX extended header");
        if (sink_ == Sink::Pax) pax_ = std::move(recs);
        else ++entries_;  // returned by Go's Next() as an entry of its own; BuildKit ignores it
        break;
      }
      case Sink::Skip: break;
    }
    special_.clear();
  }

  // Go's parsePAXRecord: "%d %s=%s\n", the length counting the whole record.
  static bool parse_pax(std::string_view s, std::vector<std::pair<std::string, std::string>>& recs) {
    while (!s.empty()) {
      size_t sp = s.find(' ');
      if (sp == std::string_view::npos || sp == 0 || sp > 20) return false;
      uint64_t n = 0;
      for (size_t i = 0; i < sp; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        n = n * 10 + static_cast<uint64_t>(s[i] - '0');
      }
      if (n < 5 || n > s.size() || n <= sp + 1) return false;
      std::string_view rec = s.substr(sp + 1, n - sp - 2);
      if (s[n - 1] != '\n') return false;
      size_t eq = rec.find('=');
      if (eq == std::string_view::npos || eq == 0) return false;
      std::string_view k = rec.substr(0, eq), v = rec.substr(eq + 1);
      bool nul_checked_value = k == "path" || k == "linkpath" || k == "uname" || k == "gname";
      if (nul_checked_value ? v.find('\0') != std::string_view::npos : k.find('\0') != std::string_view::npos)
        return false;
      recs.emplace_back(std::string(k), std::string(v));
      s.remove_prefix(n);
    }
    return true;
  }

  static bool parse_dec(std::string_view v, uint64_t& out) {
    if (v.empty() || v.size() > 19) return false;
    out = 0;
    for (char c : v) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
  }

  void header() {
    if (all_zero(blk_)) {
      if (zero_seen_) {
        done_ = true;
        return ok_end();
      }
      zero_seen_ = true;
      return;
    }
    if (zero_seen_) return fail("invalid tar header (a zero block followed by a non-zero block)");
    if (!checksum_ok(blk_)) return fail("invalid tar header (checksum mismatch)");
    std::string_view magic(blk_ + 257, 6), version(blk_ + 263, 2);
    bool ustar = magic == std::string_view("ustar\0", 6);
    bool star = ustar && std::string_view(blk_ + 508, 4) == std::string_view("tar\0", 4);
    char type = blk_[156];
    uint64_t mode = 0, uid = 0, gid = 0, size = 0;
    if (!field_num(blk_, 100, 8, mode) || !field_num(blk_, 108, 8, uid) || !field_num(blk_, 116, 8, gid) ||
        !field_num(blk_, 124, 12, size))
      return fail("invalid tar header (a numeric field is malformed)");
    (void)version;
    std::string name(field_str(blk_, 0, 100));
    if (ustar) {
      std::string_view prefix = field_str(blk_, 345, star ? 131 : 155);
      if (!prefix.empty()) name = std::string(prefix) + "/" + name;
    }
    std::string link(field_str(blk_, 157, 100));

    switch (type) {
      case 'x':
      case 'g':
        if (size > kMaxSpecial) return fail("PAX extended header larger than 1 MiB");
        return start_data(type == 'x' ? Sink::Pax : Sink::PaxGlobal, size);
      case 'L':
      case 'K':
        if (size > kMaxSpecial) return fail("GNU long name larger than 1 MiB");
        return start_data(type == 'L' ? Sink::LongName : Sink::LongLink, size);
      default: break;
    }

    // A real entry: PAX records first, then GNU long names (Go's order).
    std::optional<std::string> sparse_name;
    std::optional<uint64_t> sparse_size;
    for (const auto& [k, v] : pax_) {
      if (v.empty()) continue;  // keeps the header's value
      uint64_t num = 0;
      if (k == "path") name = v;
      else if (k == "linkpath") link = v;
      else if (k == "uid" || k == "gid" || k == "size") {
        // Go parses a signed number: a negative owner is "unchanged" for moby (root here); a
        // negative size is an invalid header.
        bool negative = k != "size" && v.size() > 1 && v[0] == '-';
        if (!parse_dec(negative ? std::string_view(v).substr(1) : std::string_view(v), num))
          return fail(fmt::format("invalid PAX record {}={}", k, v));
        (k == "uid" ? uid : k == "gid" ? gid : size) = negative ? 0 : num;
      } else if (k == "GNU.sparse.name") sparse_name = v;
      else if (k == "GNU.sparse.realsize" || k == "GNU.sparse.size") {
        if (!parse_dec(v, num)) return fail(fmt::format("invalid PAX record {}={}", k, v));
        sparse_size = num;
      }
    }
    pax_.clear();
    if (sparse_name) name = *sparse_name;
    if (has_long_name_) name = std::move(long_name_);
    if (has_long_link_) link = std::move(long_link_);
    has_long_name_ = has_long_link_ = false;
    long_name_.clear();
    long_link_.clear();
    if (type == '\0') type = !name.empty() && name.back() == '/' ? '5' : '0';

    if (++entries_ > lim_.max_members)
      return too_big(fmt::format("more than {} members (a dfplay limit)", lim_.max_members));

    cur_ = {};
    cur_.typeflag = type;
    cur_.mode = static_cast<uint32_t>(mode & 07777);
    cur_.uid = static_cast<uint32_t>(std::min<uint64_t>(uid, UINT32_MAX));
    cur_.gid = static_cast<uint32_t>(std::min<uint64_t>(gid, UINT32_MAX));
    skip_cur_ = !clean_member(name, cur_.path);
    uint64_t data = size;
    switch (type) {
      case '0':
        cur_.type = MemberType::File;
        cur_.size = size;
        break;
      case '1':
        cur_.type = MemberType::Hardlink;
        data = 0;
        {
          std::string target;
          clean_member(link, target);
          cur_.link = std::move(target);
        }
        break;
      case '2':
        cur_.type = MemberType::Symlink;
        cur_.link = link;
        data = 0;
        break;
      case '5':
        cur_.type = MemberType::Dir;
        data = 0;
        break;
      case '3':
      case '4':
      case '6':
        cur_.type = MemberType::Other;
        data = 0;
        break;
      default: {
        // Go's reader returns it ('7' contiguous, 'S' old GNU sparse, 'V' volume label...); moby's
        // Unpack then fails ("unhandled tar header type").
        auto c = static_cast<unsigned char>(type);
        std::string shown = std::isprint(c) ? std::string(1, type) : fmt::format("\\x{:02x}", c);
        return fail(fmt::format("unsupported tar member type '{}' for \"{}\" (BuildKit fails: unhandled tar header type)",
                                shown, name));
      }
    }
    if (sparse_size) cur_.size = *sparse_size;
    begin_member(data);
  }

  void begin_member(uint64_t data) {
    state_ = State::Header;
    if (cur_.type == MemberType::File) {
      hasher_ = std::make_unique<ContentHasher>();
      keep_cur_ = data == cur_.size && data <= lim_.keep_content &&
                  kept_total_ + data <= lim_.keep_total;
      if (keep_cur_) cur_.content.reserve(static_cast<size_t>(data));
    } else {
      keep_cur_ = false;
    }
    start_data(Sink::Member, data);
  }
};

}  // namespace

bool maybe_archive(std::string_view head) {
  if (compression_of(head) != Compression::None) return true;
  if (head.size() < kBlock) return false;
  return !all_zero(head.data()) && checksum_ok(head.data());
}

ArchiveListing read_archive(std::string_view bytes, const ArchiveLimits& limits) {
  ArchiveListing out;
  out.compression = compression_of(bytes);
  switch (out.compression) {
    case Compression::Bzip2:
    case Compression::Xz:
    case Compression::Zstd:
      out.status = ArchiveStatus::Compressed;
      out.message = fmt::format("compressed archive ({}), members not read", compression_name(out.compression));
      return out;
    default: break;
  }
  TarParser tar(limits, out);
  if (out.compression == Compression::None) {
    std::string_view part = bytes.substr(0, static_cast<size_t>(std::min<uint64_t>(bytes.size(), limits.max_output)));
    tar.feed(part);
    if (part.size() < bytes.size() && !tar.done()) {
      out.status = tar.entries_seen() ? ArchiveStatus::TooBig : ArchiveStatus::NotArchive;
      out.message = fmt::format("the archive is larger than {} bytes (a dfplay limit)", limits.max_output);
      return out;
    }
    tar.finish();
    return out;
  }
  // gzip
  bool stopped = false;
  std::string err = inflate_gzip(bytes, [&](std::string_view chunk) { return tar.feed(chunk); }, limits.max_output,
                                 &stopped);
  if (stopped) return out;  // the tar parser decided (end of archive, error or limit)
  if (err.empty()) {
    tar.finish();
    return out;
  }
  if (err.starts_with("decompressed data exceeds")) {
    if (!tar.entries_seen()) {
      out.status = ArchiveStatus::NotArchive;
      out.message = err;
      return out;
    }
    out.status = ArchiveStatus::TooBig;
    out.message = err + " (a dfplay limit)";
    return out;
  }
  out.status = tar.entries_seen() ? ArchiveStatus::Corrupt : ArchiveStatus::NotArchive;
  out.message = "gzip: " + err;
  return out;
}

}  // namespace dfplay::context
