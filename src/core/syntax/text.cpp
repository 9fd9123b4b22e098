#include "syntax/text.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

namespace dfplay::syntax::text {
namespace {
#include "syntax/unicode_tables.inc"

constexpr char kHex[] = "0123456789abcdef";
}  // namespace

Rune decode(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  size_t n = s.size() - i;
  unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1};
  if (b0 < 0xC2 || b0 > 0xF4) return {kRuneError, 1};
  auto cont = [](unsigned char b) { return b >= 0x80 && b <= 0xBF; };
  if (b0 < 0xE0) {
    if (n < 2 || !cont(p[1])) return {kRuneError, 1};
    return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (p[1] & 0x3F)), 2};
  }
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  else if (b0 == 0xED) hi = 0x9F;
  else if (b0 == 0xF0) lo = 0x90;
  else if (b0 == 0xF4) hi = 0x8F;
  if (n < 2 || p[1] < lo || p[1] > hi) return {kRuneError, 1};
  if (n < 3 || !cont(p[2])) return {kRuneError, 1};
  if (b0 < 0xF0)
    return {static_cast<char32_t>(((b0 & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)), 3};
  if (n < 4 || !cont(p[3])) return {kRuneError, 1};
  return {static_cast<char32_t>(((b0 & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
                                ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
          4};
}

void append_rune(std::string& out, char32_t r) {
  if ((r >= 0xD800 && r <= 0xDFFF) || r > 0x10FFFF) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t space_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (!is_space(c)) break;
      ++i;
      continue;
    }
    Rune r = decode(s, i);
    if (!is_space(r.cp) || (r.cp == kRuneError && r.width == 1)) break;
    i += r.width;
  }
  return i;
}

size_t space_suffix(std::string_view s) {
  size_t n = s.size();
  while (n > 0) {
    auto c = static_cast<unsigned char>(s[n - 1]);
    if (c < 0x80) {
      if (!is_space(c)) break;
      --n;
      continue;
    }
    // Find the start of the last rune (like utf8.DecodeLastRuneInString).
    size_t start = n - 1;
    size_t lim = n >= 4 ? n - 4 : 0;
    while (start > lim && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    Rune r = decode(s, start);
    if (start + r.width != n) break;  // invalid encoding: not a space
    if (!is_space(r.cp)) break;
    n = start;
  }
  return s.size() - n;
}

namespace {
template <size_t N>
bool in_ranges(const uint32_t (&table)[N][2], char32_t r) {
  auto it = std::upper_bound(std::begin(table), std::end(table), r,
                             [](char32_t v, const uint32_t (&range)[2]) { return v < range[0]; });
  if (it == std::begin(table)) return false;
  --it;
  return r <= (*it)[1];
}
}  // namespace

bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  return in_ranges(kPrintRanges, r);
}

bool is_letter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  return in_ranges(kLetterRanges, r);
}

bool is_digit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return in_ranges(kDigitRanges, r);
}

char32_t to_lower(char32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  auto it = std::lower_bound(std::begin(kLowerPairs), std::end(kLowerPairs), r,
                             [](const uint32_t (&pair)[2], char32_t v) { return pair[0] < v; });
  if (it != std::end(kLowerPairs) && (*it)[0] == r) return (*it)[1];
  return r;
}

std::string to_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c));
      ++i;
      continue;
    }
    Rune r = decode(s, i);
    append_rune(out, to_lower(r.cp));
    i += r.width;
  }
  return out;
}

void append_go_quote(std::string& out, std::string_view s) {
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    char32_t r = c;
    uint32_t width = 1;
    if (c >= 0x80) {
      Rune d = decode(s, i);
      r = d.cp;
      width = d.width;
      if (width == 1) {  // invalid byte
        out += "\\x";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
        ++i;
        continue;
      }
    }
    i += width;
    if (is_print(r)) {
      out.append(s.data() + i - width, width);
      continue;
    }
    switch (r) {
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      default: break;
    }
    if (r < ' ' || r == 0x7F) {
      out += "\\x";
      out.push_back(kHex[(r >> 4) & 0xF]);
      out.push_back(kHex[r & 0xF]);
    } else if (r < 0x10000) {
      out += "\\u";
      for (int sh = 12; sh >= 0; sh -= 4) out.push_back(kHex[(r >> sh) & 0xF]);
    } else {
      out += "\\U";
      for (int sh = 28; sh >= 0; sh -= 4) out.push_back(kHex[(r >> sh) & 0xF]);
    }
  }
  out.push_back('"');
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    Rune r = decode(s, i);
    if (r.width == 1) return false;
    i += r.width;
  }
  return true;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      out.push_back(s[i++]);
      continue;
    }
    Rune r = decode(s, i);
    if (r.width == 1) append_rune(out, kRuneError);
    else out.append(s.data() + i, r.width);
    i += r.width;
  }
  return out;
}

}  // namespace dfplay::syntax::text
