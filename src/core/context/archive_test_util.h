// Test helpers: a small tar writer and gzip writers (stored blocks; a fixed-Huffman encoder of
// literals and zero runs), for archive_test.cpp and sim/archive_extract_test.cpp.
#pragma once
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "context/archive.h"

namespace dfplay::context::testutil {

// ---- a tar writer ---------------------------------------------------------------------------
struct Entry {
  std::string name;
  char type = '0';
  std::string data;
  uint32_t mode = 0644;
  uint64_t uid = 0, gid = 0;
  std::string link;
  std::string prefix;
  enum Magic { Ustar, Gnu, V7 } magic = Ustar;
  std::optional<uint64_t> size;  // declared size when it differs from data.size()
  std::string raw_size;          // the 12 bytes of the size field, verbatim
};

inline void put_octal(std::string& h, size_t off, size_t len, uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(v));
  h.replace(off, len - 1, buf, len - 1);
  h[off + len - 1] = '\0';
}

inline void set_checksum(std::string& h) {
  std::fill(h.begin() + 148, h.begin() + 156, ' ');
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", sum);
  h.replace(148, 6, buf, 6);
  h[154] = '\0';
  h[155] = ' ';
}

inline std::string header(const Entry& e) {
  std::string h(512, '\0');
  h.replace(0, std::min<size_t>(e.name.size(), 100), e.name.substr(0, 100));
  put_octal(h, 100, 8, e.mode);
  put_octal(h, 108, 8, e.uid);
  put_octal(h, 116, 8, e.gid);
  put_octal(h, 124, 12, e.size.value_or(e.data.size()));
  if (!e.raw_size.empty()) h.replace(124, 12, e.raw_size);
  put_octal(h, 136, 12, 1700000000);
  h[156] = e.type;
  h.replace(157, std::min<size_t>(e.link.size(), 100), e.link.substr(0, 100));
  if (e.magic == Entry::Ustar) h.replace(257, 8, std::string("ustar\0" "00", 8));
  if (e.magic == Entry::Gnu) h.replace(257, 8, std::string("ustar  \0", 8));
  if (e.magic != Entry::V7) {
    h.replace(265, 4, "root");
    h.replace(297, 4, "root");
  }
  if (!e.prefix.empty()) h.replace(345, e.prefix.size(), e.prefix);
  set_checksum(h);
  return h;
}

inline std::string pad(std::string s) {
  s.append((512 - s.size() % 512) % 512, '\0');
  return s;
}

inline std::string tar_of(const std::vector<Entry>& entries, bool end = true) {
  std::string out;
  for (const auto& e : entries) out += header(e) + pad(e.data);
  if (end) out.append(1024, '\0');
  return out;
}

// One PAX record: "<len> key=value\n", the length counting itself.
inline std::string pax_record(const std::string& k, const std::string& v) {
  size_t body = k.size() + v.size() + 3;  // ' ', '=', '\n'
  size_t n = body + 1;
  while (std::to_string(n).size() + body != n) ++n;
  return std::to_string(n) + " " + k + "=" + v + "\n";
}

inline Entry pax(std::vector<std::pair<std::string, std::string>> recs, char type = 'x') {
  Entry e;
  e.name = "PaxHeaders/x";
  e.type = type;
  for (const auto& [k, v] : recs) e.data += pax_record(k, v);
  return e;
}

// ---- gzip writers -----------------------------------------------------------------------------
inline std::string le32s(uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>(v >> (8 * i));
  return s;
}

inline std::string gzip_wrap(const std::string& deflate, std::string_view plain) {
  return std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10) + deflate + le32s(crc32(plain)) +
         le32s(static_cast<uint32_t>(plain.size()));
}

inline std::string deflate_stored(std::string_view plain) {
  std::string out;
  size_t i = 0;
  do {
    size_t n = std::min<size_t>(plain.size() - i, 65535);
    bool last = i + n == plain.size();
    out += static_cast<char>(last ? 1 : 0);
    out += static_cast<char>(n & 0xFF);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(~n & 0xFF);
    out += static_cast<char>((~n >> 8) & 0xFF);
    out.append(plain.substr(i, n));
    i += n;
  } while (i < plain.size());
  return out;
}

inline std::string gzip_stored(std::string_view plain) { return gzip_wrap(deflate_stored(plain), plain); }

// A fixed-Huffman block: literals, and runs of zero bytes as one literal 0 plus matches of
// length 258 at distance 1.
class FixedDeflate {
 public:
  FixedDeflate() { bits(1, 1), bits(1, 2); }  // BFINAL, BTYPE=01
  void literals(std::string_view s) {
    for (unsigned char c : s) lit(c);
  }
  void zeros(uint64_t n) {
    if (n == 0) return;
    lit(0);
    --n;
    while (n >= 258) {
      code(0xC5, 8);  // length code 285 = 258 bytes
      code(0, 5);     // distance code 0 = 1
      n -= 258;
    }
    while (n--) lit(0);
  }
  std::string finish() {
    code(0, 7);  // end of block (256)
    if (n_) out_ += static_cast<char>(acc_);
    return out_;
  }

 private:
  std::string out_;
  uint32_t acc_ = 0;
  int n_ = 0;
  void bits(uint32_t v, int k) {
    for (int i = 0; i < k; ++i) push((v >> i) & 1);
  }
  void code(uint32_t c, int len) {  // Huffman codes go most significant bit first
    for (int i = len - 1; i >= 0; --i) push((c >> i) & 1);
  }
  void push(uint32_t b) {
    acc_ |= b << n_;
    if (++n_ == 8) out_ += static_cast<char>(acc_), acc_ = 0, n_ = 0;
  }
  void lit(unsigned v) {
    if (v < 144) code(0x30 + v, 8);
    else code(0x190 + (v - 144), 9);
  }
};

}  // namespace dfplay::context::testutil
