// Checksums (CRC-32, Adler-32) and DEFLATE decompression (zlib and gzip streams) for the archive
// reader (archive.h).
#include "context/archive.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <memory>
#include <optional>

namespace dfplay::context {

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

}  // namespace dfplay::context
