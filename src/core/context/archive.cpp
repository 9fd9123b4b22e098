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
// Checksums
// =============================================================================================

namespace {

// CRC-32 as in RFC 1952 section 8 (reflected polynomial 0xEDB88320), one table of 256 entries.
const std::array<uint32_t, 256>& crc_table() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

}  // namespace

uint32_t crc32(std::string_view bytes, uint32_t crc) {
  const auto& t = crc_table();
  uint32_t c = crc ^ 0xFFFFFFFFu;
  for (unsigned char b : bytes) c = t[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

uint32_t adler32(std::string_view bytes, uint32_t adler) {
  constexpr uint32_t kBase = 65521;
  uint32_t a = adler & 0xFFFF, b = adler >> 16;
  size_t i = 0;
  while (i < bytes.size()) {
    // 5552 bytes keep the sums below 2^32 before the modulo (RFC 1950's NMAX).
    size_t end = std::min(bytes.size(), i + 5552);
    for (; i < end; ++i) {
      a += static_cast<unsigned char>(bytes[i]);
      b += a;
    }
    a %= kBase;
    b %= kBase;
  }
  return (b << 16) | a;
}

// =============================================================================================
// DEFLATE (RFC 1951)
// =============================================================================================

namespace {

constexpr int kMaxBits = 15;
constexpr int kFastBits = 10;

// A canonical Huffman code: symbols sorted by (length, value), counts per length, and a direct
// table for codes of up to kFastBits bits indexed by the next input bits (which arrive
// least-significant first, so the table index is the bit-reversed code).
struct Huffman {
  std::array<uint16_t, kMaxBits + 1> count{};
  std::array<uint16_t, 288> symbol{};
  std::array<uint16_t, 1u << kFastBits> fast{};  // (symbol << 4) | length; 0 = not a short code

  // Returns "" or what is wrong with the lengths.
  std::string build(const uint8_t* lengths, int n) {
    count.fill(0);
    fast.fill(0);
    for (int s = 0; s < n; ++s) ++count[lengths[s]];
    count[0] = 0;
    int left = 1;
    for (int len = 1; len <= kMaxBits; ++len) {
      left <<= 1;
      left -= count[len];
      if (left < 0) return "invalid Huffman code (over-subscribed)";
    }
    // Incomplete codes are accepted; a code that is not assigned fails when it is met.
    std::array<uint16_t, kMaxBits + 2> offset{};
    for (int len = 1; len <= kMaxBits; ++len) offset[len + 1] = static_cast<uint16_t>(offset[len] + count[len]);
    for (int s = 0; s < n; ++s)
      if (lengths[s]) symbol[offset[lengths[s]]++] = static_cast<uint16_t>(s);
    // Short codes into the direct table: walk the canonical codes in order.
    uint32_t code = 0;
    int idx = 0;
    for (int len = 1; len <= kMaxBits; ++len) {
      for (int k = 0; k < count[len]; ++k, ++idx, ++code) {
        if (len > kFastBits) continue;
        uint32_t rev = 0;
        for (int b = 0; b < len; ++b) rev |= ((code >> b) & 1u) << (len - 1 - b);
        uint16_t entry = static_cast<uint16_t>((symbol[idx] << 4) | len);
        for (uint32_t fill = rev; fill < (1u << kFastBits); fill += (1u << len)) fast[fill] = entry;
      }
      code <<= 1;
    }
    return {};
  }
};

class Inflater {
 public:
  Inflater(std::string_view in, const InflateSink& sink, uint64_t max_output)
      : in_(reinterpret_cast<const uint8_t*>(in.data())), n_(in.size()), sink_(sink), max_(max_output) {
    buf_.resize(kHistory + kChunk + 300);
  }

  // Decodes one DEFLATE stream. "" on success (or when the sink stopped us).
  std::string run() {
    std::string err;
    bool last = false;
    while (!last && err.empty() && !stopped_) {
      last = bits(1);
      uint32_t type = bits(2);
      if (!err_.empty()) break;
      switch (type) {
        case 0: err = stored(); break;
        case 1: err = fixed(); break;
        case 2: err = dynamic(); break;
        default: err = "invalid deflate block type 3"; break;
      }
    }
    if (err.empty()) err = err_;
    if (err.empty() && !stopped_) flush(true);
    return err;
  }

  bool stopped() const { return stopped_; }
  uint64_t total() const { return total_; }
  // Input bytes used, whole bytes (the stream ends on a bit boundary; the rest of that byte is padding).
  size_t consumed() const {
    if (bitcnt_ < phantom_) return pos_;  // past the end (an error was reported)
    size_t held = static_cast<size_t>((bitcnt_ - phantom_) / 8);
    return pos_ - held;
  }

 private:
  static constexpr size_t kHistory = 32768;
  static constexpr size_t kChunk = 256 * 1024;

  const uint8_t* in_;
  size_t n_;
  size_t pos_ = 0;
  uint64_t bitbuf_ = 0;
  int bitcnt_ = 0;
  int phantom_ = 0;  // zero bits appended past the end of the input (an error if consumed)
  std::string err_;
  const InflateSink& sink_;
  uint64_t max_;
  uint64_t total_ = 0;
  std::string buf_;  // [0, wpos_): history (<= kHistory after a flush) + new output
  size_t wpos_ = 0;
  bool stopped_ = false;
  Huffman lit_, dist_;

  void refill() {
    while (bitcnt_ <= 56) {
      uint64_t b = 0;
      if (pos_ < n_) b = in_[pos_++];
      else phantom_ += 8;
      bitbuf_ |= b << bitcnt_;
      bitcnt_ += 8;
    }
  }
  void consume(int k) {
    bitbuf_ >>= k;
    bitcnt_ -= k;
    if (bitcnt_ < phantom_ && err_.empty()) err_ = "truncated deflate data";
  }
  uint32_t bits(int k) {
    if (k == 0) return 0;
    if (bitcnt_ < k) refill();
    uint32_t v = static_cast<uint32_t>(bitbuf_ & ((1ull << k) - 1));
    consume(k);
    return v;
  }

  // Next symbol of `h`, or -1 (err_ set).
  int decode(const Huffman& h) {
    if (bitcnt_ < kMaxBits) refill();
    uint16_t e = h.fast[bitbuf_ & ((1u << kFastBits) - 1)];
    if (e) {
      consume(e & 15);
      return err_.empty() ? (e >> 4) : -1;
    }
    // Canonical decoding, one bit at a time: codes of each length are consecutive integers.
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= kMaxBits; ++len) {
      code |= static_cast<int>((bitbuf_ >> (len - 1)) & 1u);
      int count = h.count[len];
      if (code - first < count) {
        consume(len);
        return err_.empty() ? h.symbol[index + (code - first)] : -1;
      }
      index += count;
      first = (first + count) << 1;
      code <<= 1;
    }
    if (err_.empty()) err_ = bitcnt_ - phantom_ < kMaxBits ? "truncated deflate data" : "invalid Huffman code in deflate data";
    return -1;
  }

  bool flush(bool all) {
    size_t keep = all ? 0 : std::min(wpos_, kHistory);
    size_t out = wpos_ - keep;
    if (out > 0 && !stopped_) {
      if (!sink_(std::string_view(buf_.data(), out))) stopped_ = true;
    }
    if (keep) std::memmove(buf_.data(), buf_.data() + out, keep);
    wpos_ = keep;
    flushed_ += out;
    return !stopped_;
  }
  uint64_t flushed_ = 0;

  bool room(size_t k) {
    if (total_ + k > max_) {
      if (err_.empty()) err_ = fmt::format("decompressed data exceeds the limit of {} bytes", max_);
      return false;
    }
    if (wpos_ + k > kHistory + kChunk) return flush(false);
    return true;
  }

  std::string stored() {
    // Skip to a byte boundary, then hand back the whole bytes held in the bit buffer.
    consume(bitcnt_ & 7);
    if (!err_.empty()) return err_;
    pos_ = consumed();
    bitbuf_ = 0;
    bitcnt_ = 0;
    phantom_ = 0;
    if (n_ - pos_ < 4) return "truncated deflate data";
    uint32_t len = in_[pos_] | (in_[pos_ + 1] << 8);
    uint32_t nlen = in_[pos_ + 2] | (in_[pos_ + 3] << 8);
    pos_ += 4;
    if ((len ^ 0xFFFF) != nlen) return "invalid stored block length";
    if (n_ - pos_ < len) return "truncated deflate data";
    size_t done = 0;
    while (done < len) {
      size_t k = std::min<size_t>(len - done, kChunk);
      if (!room(k)) return err_;
      if (stopped_) return {};
      std::memcpy(buf_.data() + wpos_, in_ + pos_ + done, k);
      wpos_ += k;
      total_ += k;
      done += k;
    }
    pos_ += len;
    return {};
  }

  std::string fixed() {
    static const std::pair<Huffman, Huffman> codes = [] {
      std::pair<Huffman, Huffman> c;
      uint8_t l[288];
      for (int i = 0; i < 144; ++i) l[i] = 8;
      for (int i = 144; i < 256; ++i) l[i] = 9;
      for (int i = 256; i < 280; ++i) l[i] = 7;
      for (int i = 280; i < 288; ++i) l[i] = 8;
      c.first.build(l, 288);
      uint8_t d[30];
      std::fill(d, d + 30, 5);
      c.second.build(d, 30);
      return c;
    }();
    return codes_block(codes.first, codes.second);
  }

  std::string dynamic() {
    int nlit = static_cast<int>(bits(5)) + 257;
    int ndist = static_cast<int>(bits(5)) + 1;
    int nclen = static_cast<int>(bits(4)) + 4;
    if (!err_.empty()) return err_;
    if (nlit > 286 || ndist > 30) return "invalid dynamic block header (too many codes)";
    static constexpr uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    uint8_t clen[19] = {};
    for (int i = 0; i < nclen; ++i) clen[order[i]] = static_cast<uint8_t>(bits(3));
    if (!err_.empty()) return err_;
    Huffman lens;
    if (auto e = lens.build(clen, 19); !e.empty()) return e;
    uint8_t lengths[286 + 30] = {};
    int i = 0;
    while (i < nlit + ndist) {
      int sym = decode(lens);
      if (sym < 0) return err_;
      if (sym < 16) {
        lengths[i++] = static_cast<uint8_t>(sym);
        continue;
      }
      int rep = 0;
      uint8_t val = 0;
      if (sym == 16) {
        if (i == 0) return "invalid code lengths (repeat with no previous length)";
        val = lengths[i - 1];
        rep = 3 + static_cast<int>(bits(2));
      } else if (sym == 17) {
        rep = 3 + static_cast<int>(bits(3));
      } else {
        rep = 11 + static_cast<int>(bits(7));
      }
      if (!err_.empty()) return err_;
      if (i + rep > nlit + ndist) return "invalid code lengths (repeat past the end)";
      while (rep--) lengths[i++] = val;
    }
    if (lengths[256] == 0) return "invalid code lengths (no end-of-block code)";
    if (auto e = lit_.build(lengths, nlit); !e.empty()) return e;
    if (auto e = dist_.build(lengths + nlit, ndist); !e.empty()) return e;
    return codes_block(lit_, dist_);
  }

  std::string codes_block(const Huffman& lit, const Huffman& dist) {
    static constexpr uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                              31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static constexpr uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    static constexpr uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                               33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
    static constexpr uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                               6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
    for (;;) {
      int sym = decode(lit);
      if (sym < 0) return err_;
      if (sym < 256) {
        if (!room(1)) return err_;
        if (stopped_) return {};
        buf_[wpos_++] = static_cast<char>(sym);
        ++total_;
        continue;
      }
      if (sym == 256) return {};
      sym -= 257;
      if (sym >= 29) return "invalid literal/length code";
      size_t len = len_base[sym] + bits(len_extra[sym]);
      int ds = decode(dist);
      if (ds < 0) return err_;
      if (ds >= 30) return "invalid distance code";
      size_t d = dist_base[ds] + bits(dist_extra[ds]);
      if (!err_.empty()) return err_;
      if (d > total_) return "invalid distance (too far back)";
      if (!room(len)) return err_;
      if (stopped_) return {};
      // Byte by byte: the source may overlap the bytes being written (d < len).
      char* p = buf_.data() + wpos_;
      const char* q = p - d;
      for (size_t k = 0; k < len; ++k) p[k] = q[k];
      wpos_ += len;
      total_ += len;
    }
  }
};

}  // namespace

std::string inflate_raw(std::string_view in, const InflateSink& sink, uint64_t max_output, size_t* consumed,
                        bool* stopped) {
  Inflater inf(in, sink, max_output);
  std::string err = inf.run();
  if (consumed) *consumed = inf.consumed();
  if (stopped) *stopped = inf.stopped();
  return err;
}

std::string inflate_zlib(std::string_view in, const InflateSink& sink, uint64_t max_output, bool* stopped) {
  if (stopped) *stopped = false;
  if (in.size() < 2) return "truncated zlib header";
  auto cmf = static_cast<unsigned char>(in[0]), flg = static_cast<unsigned char>(in[1]);
  if ((cmf & 0x0F) != 8) return "zlib: compression method is not deflate";
  if ((cmf >> 4) > 7) return "zlib: window size too large";
  if (((cmf << 8) | flg) % 31 != 0) return "zlib: header check failed";
  if (flg & 0x20) return "zlib: a preset dictionary is required";
  uint32_t adler = 1;
  bool stop = false;
  size_t used = 0;
  std::string err = inflate_raw(
      in.substr(2),
      [&](std::string_view chunk) {
        adler = adler32(chunk, adler);
        return sink(chunk);
      },
      max_output, &used, &stop);
  if (stopped) *stopped = stop;
  if (!err.empty() || stop) return err;
  std::string_view rest = in.substr(2 + used);
  if (rest.size() < 4) return "truncated zlib trailer";
  uint32_t want = (static_cast<uint32_t>(static_cast<unsigned char>(rest[0])) << 24) |
                  (static_cast<uint32_t>(static_cast<unsigned char>(rest[1])) << 16) |
                  (static_cast<uint32_t>(static_cast<unsigned char>(rest[2])) << 8) |
                  static_cast<uint32_t>(static_cast<unsigned char>(rest[3]));
  if (want != adler) return "zlib: Adler-32 checksum mismatch";
  return {};
}

namespace {

uint32_t le32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[at])) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24);
}

bool gzip_magic(std::string_view s) {
  return s.size() >= 3 && s[0] == '\x1f' && s[1] == '\x8b' && s[2] == '\x08';
}

// Length of the gzip member header at the start of `s`, or 0 with `err` set.
size_t gzip_header(std::string_view s, std::string& err) {
  if (s.size() < 10) {
    err = "truncated gzip header";
    return 0;
  }
  if (!gzip_magic(s)) {
    err = "not a gzip header";
    return 0;
  }
  auto flg = static_cast<unsigned char>(s[3]);
  if (flg & 0xE0) {
    err = "gzip header has reserved flags set";
    return 0;
  }
  size_t p = 10;
  if (flg & 0x04) {  // FEXTRA
    if (s.size() < p + 2) return err = "truncated gzip header", 0;
    size_t xlen = static_cast<unsigned char>(s[p]) | (static_cast<unsigned char>(s[p + 1]) << 8);
    p += 2;
    if (s.size() - p < xlen) return err = "truncated gzip header", 0;
    p += xlen;
  }
  for (unsigned char bit : {0x08, 0x10}) {  // FNAME, FCOMMENT: zero-terminated
    if (!(flg & bit)) continue;
    size_t z = s.find('\0', p);
    if (z == std::string_view::npos) return err = "truncated gzip header", 0;
    p = z + 1;
  }
  if (flg & 0x02) {  // FHCRC
    if (s.size() < p + 2) return err = "truncated gzip header", 0;
    uint32_t want = static_cast<unsigned char>(s[p]) | (static_cast<unsigned char>(s[p + 1]) << 8);
    if ((crc32(s.substr(0, p)) & 0xFFFF) != want) return err = "gzip header checksum mismatch", 0;
    p += 2;
  }
  return p;
}

}  // namespace

std::string inflate_gzip(std::string_view in, const InflateSink& sink, uint64_t max_output, bool* stopped) {
  if (stopped) *stopped = false;
  uint64_t total = 0;
  bool first = true;
  while (first || gzip_magic(in)) {
    first = false;
    std::string err;
    size_t h = gzip_header(in, err);
    if (!h) return err;
    uint32_t crc = 0;
    uint64_t size = 0;
    size_t used = 0;
    bool stop = false;
    err = inflate_raw(
        in.substr(h),
        [&](std::string_view chunk) {
          crc = crc32(chunk, crc);
          size += chunk.size();
          return sink(chunk);
        },
        max_output - total, &used, &stop);
    if (stopped) *stopped = stop;
    if (!err.empty() || stop) return err;
    total += size;
    in = in.substr(h + used);
    if (in.size() < 8) return "truncated gzip trailer";
    if (le32(in, 0) != crc) return "gzip CRC-32 mismatch";
    if (le32(in, 4) != static_cast<uint32_t>(size)) return "gzip length mismatch";
    in = in.substr(8);
  }
  return {};
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
