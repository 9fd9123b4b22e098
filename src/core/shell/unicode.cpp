#include "shell/unicode.h"

#include <algorithm>
#include <iterator>

namespace dfplay::shell {
namespace unicode_detail {
struct Range {
  char32_t lo, hi;
};
#include "shell/unicode_tables.inc"

template <size_t N>
bool in_table(const Range (&table)[N], char32_t r) {
  auto it = std::upper_bound(std::begin(table), std::end(table), r,
                             [](char32_t v, const Range& range) { return v < range.lo; });
  if (it == std::begin(table)) return false;
  --it;
  return r <= it->hi;
}
}  // namespace unicode_detail

DecodedRune decode_rune(std::string_view s, size_t i) {
  if (i >= s.size()) return {kRuneError, 0};
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // accepted range of the second byte
  char32_t r = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    r = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    r = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    r = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return {kRuneError, 1};
  }
  if (i + need >= s.size()) return {kRuneError, 1};  // truncated
  for (size_t k = 1; k <= need; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (b < l || b > h) return {kRuneError, 1};
    r = (r << 6) | (b & 0x3F);
  }
  return {r, static_cast<uint32_t>(need + 1)};
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

std::string rune_string(char32_t r) {
  std::string s;
  append_rune(s, r);
  return s;
}

bool is_letter(char32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  return unicode_detail::in_table(unicode_detail::kLetter, r);
}

bool is_digit(char32_t r) {
  if (r < 0x80) return r >= '0' && r <= '9';
  return unicode_detail::in_table(unicode_detail::kDigit, r);
}

bool is_space(char32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool is_print(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  return unicode_detail::in_table(unicode_detail::kPrint, r);
}

std::string go_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < s.size();) {
    const DecodedRune d = decode_rune(s, i);
    const char32_t r = d.rune;
    if (r == kRuneError && d.width == 1) {
      const auto b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
      i += 1;
      continue;
    }
    i += d.width;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (is_print(r)) {
      append_rune(out, r);
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (r < ' ' || r == 0x7F) {
            out += "\\x";
            out.push_back(kHex[(r >> 4) & 0xF]);
            out.push_back(kHex[r & 0xF]);
          } else if (r < 0x10000) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
          } else {
            out += "\\U";
            for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
          }
      }
    }
  }
  out.push_back('"');
  return out;
}

std::string_view go_trim_space(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    const DecodedRune d = decode_rune(s, b);
    if (!is_space(d.rune)) break;
    b += d.width;
  }
  size_t e = s.size();
  while (e > b) {
    // Step back to the start of the last rune (at most 4 bytes back).
    size_t start = e - 1;
    while (start > b && e - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80)
      --start;
    DecodedRune d = decode_rune(s, start);
    if (start + d.width != e) {  // not a well-formed rune ending at e: the last byte alone
      start = e - 1;
      d = decode_rune(s, start);
    }
    if (!is_space(d.rune) || (d.rune == kRuneError && d.width == 1)) break;
    e = start;
  }
  return s.substr(b, e - b);
}

}  // namespace dfplay::shell
